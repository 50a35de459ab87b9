import CInt8
import Foundation
import Testing
import TendCore
import TendTensor
@testable import TendEngine

/// Dynamic int8 for the encoder's linear layers: the per-row kernels bit for bit on every variant this CPU
/// runs, one layer against fp32, a tiny random encoder's embeddings, keep-fp32 patterns and the stored form.
@Suite struct EncoderInt8Tests {
    static func randomTensor(_ rows: Int, _ cols: Int, seed: UInt64, scale: Float = 1) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        return Tensor(shape: Shape([rows, cols]), storage: (0..<(rows * cols)).map { _ in rng.nextGaussian() * scale })
    }

    static func unavailableNote() -> String {
        let missing = Int8Kernel.allCases.filter { !$0.isAvailable }
        return missing.isEmpty ? "" : "not run on this CPU: " + missing.map { "\($0) (needs \($0.instructionSet))" }.joined(separator: ", ")
    }

    @Test func perRowQuantizationAndEpilogueAreBitIdenticalOnEveryAvailableVariant() {
        let note = Self.unavailableNote()
        if !note.isEmpty { print("EncoderInt8Tests: dynamic int8 kernels \(note); AVX-512 paths are not built") }
        for (m, k, n) in [(1, 1, 1), (5, 37, 9), (9, 64, 24), (4, 130, 41)] {
            var x = Self.randomTensor(m, k, seed: UInt64(m * 100 + k), scale: 3)
            if m > 1 { for c in 0..<k { x[1, c] = 0 } }            // an all-zero row: scale 1, zero-point 0
            if m > 2 { for c in 0..<k { x[2, c] = abs(x[2, c]) } } // a non-negative row: zero-point 0
            let stride = (k + 31) / 32 * 32
            let w = Self.randomTensor(n, k, seed: 5)
            let q = QuantizedLinear(name: "l", weight: w, bias: (0..<n).map { Float($0) / 10 })
            func run(_ v: Int8Kernel) -> (codes: [UInt8], scales: [Float], zeros: [Int32], y: [Float]) {
                var codes = [UInt8](repeating: 9, count: m * stride), scales = [Float](repeating: 0, count: m), zeros = [Int32](repeating: 0, count: m)
                x.withUnsafeBufferPointer { px in
                    cint8_quantize_rows_u7(v.c, Int32(m), Int32(k), px.baseAddress, Int32(k), &codes, Int32(stride), &scales, &zeros)
                }
                var l = q; l.kernel = v
                return (codes, scales, zeros, l.forward(x).storage)
            }
            let want = run(.scalar)
            #expect(want.codes.allSatisfy { $0 <= 127 })
            if m > 1 { #expect(want.scales[1] == 1 && want.zeros[1] == 0) }
            if m > 2 { #expect(want.zeros[2] == 0) }
            for v in Int8Kernel.available {
                let got = run(v)
                #expect(got.codes == want.codes && got.scales == want.scales && got.zeros == want.zeros, "\(v) codes \(m)×\(k)")
                #expect(got.y == want.y, "\(v) outputs \(m)×\(k)×\(n)")
            }
        }
    }

    @Test func int8LinearIsWithinToleranceOfFP32() {
        let (m, k, n) = (13, 96, 40)
        let x = Self.randomTensor(m, k, seed: 21)
        let w = Self.randomTensor(n, k, seed: 22, scale: 0.05)
        let bias = (0..<n).map { Float($0 % 5) * 0.1 - 0.2 }
        var reference = Tensor(shape: Shape([m, n]))
        broadcastRows(Tensor(shape: Shape([n]), storage: bias), into: &reference)
        gemm(x, w, into: &reference, transposeB: true, beta: 1)
        let y = QuantizedLinear(name: "l", weight: w, bias: bias).forward(x)
        let e = QuantizationError.measure(original: reference.storage, reconstructed: y.storage)
        // 7-bit activations per row, 8-bit weights per channel: ~35 dB on Gaussian data.
        #expect(e.sqnrDB > 30 && e.cosine > 0.999, "SQNR \(e.sqnrDB) dB, cosine \(e.cosine)")
        // Each output within a few quantization steps of the exact product.
        let bound = 0.05 * (reference.storage.map(abs).max() ?? 1)
        #expect(e.maxAbsError < Double(bound), "max error \(e.maxAbsError) > \(bound)")
    }

    static func tinyModel() throws -> BertModel {
        try #require(try Architecture.bert(BertModelTests.architecture).makeModel(seed: 7) as? BertModel)
    }

    @Test func tinyEncoderOnInt8KeepsItsEmbeddingsAndStacksQueryKeyValue() throws {
        let model = try Self.tinyModel()
        #expect(model.dynamicLinears.count == 12)
        #expect(model.linearLayers.isEmpty)   // no Dense layers: the static MLP path is not involved
        let fp32 = model.predict(.tokens(BertModelTests.tokens()))
        let layers = try DynamicQuantization.quantize(model, keepFP32: [])
        let q = DynamicQuantization.quantizedCopy(of: model, layers: layers)
        #expect(q.installedInt8.count == 12 && q.encoder.layers.allSatisfy { $0.attention.qkvInt8 != nil })
        let int8 = q.predict(.tokens(BertModelTests.tokens()))
        #expect(int8 != fp32)
        for r in 0..<fp32.rows {
            let c = QuantizationError.measure(original: Array(fp32.storage[(r * 32)..<((r + 1) * 32)]),
                                              reconstructed: Array(int8.storage[(r * 32)..<((r + 1) * 32)])).cosine
            #expect(c >= 0.99, "sequence \(r): cosine \(c)")
        }
        // The original model is untouched; keeping query fp32 unstacks that layer's projections and changes the output.
        #expect(model.installedInt8.isEmpty && model.predict(.tokens(BertModelTests.tokens())) == fp32)
        let partial = DynamicQuantization.quantizedCopy(of: model, layers: try DynamicQuantization.quantize(model, keepFP32: ["layer.0.attention.self.query"]))
        #expect(partial.installedInt8.count == 11 && partial.encoder.layers[0].attention.qkvInt8 == nil && partial.encoder.layers[1].attention.qkvInt8 != nil)
        let mixed = partial.predict(.tokens(BertModelTests.tokens()))
        #expect(mixed != int8 && mixed != fp32)
        // Every variant gives the same embeddings.
        for v in Int8Kernel.available {
            let c = q.copy(); c.encoder.setInt8Kernel(v)
            #expect(c.predict(.tokens(BertModelTests.tokens())) == int8, "\(v)")
        }
    }

    @Test func keepFP32PatternsSelectByGlobOrSubstringAndRefuseOnesThatMatchNothing() throws {
        let model = try Self.tinyModel()
        let names = model.dynamicLinears.map(\.name)
        #expect(try DynamicQuantization.selected(by: ["encoder.layer.1.*"], in: names).count == 6)
        #expect(try DynamicQuantization.selected(by: ["output.dense"], in: names).count == 4)
        #expect(try DynamicQuantization.selected(by: ["*.intermediate.dense"], in: names) == ["encoder.layer.0.intermediate.dense", "encoder.layer.1.intermediate.dense"])
        #expect(throws: DynamicQuantizationError.patternMatchesNothing(pattern: "fc3", example: names[0])) {
            try DynamicQuantization.quantize(model, keepFP32: ["fc3"])
        }
        let message = DynamicQuantizationError.patternMatchesNothing(pattern: "fc3", example: names[0]).description
        #expect(message.contains("\"fc3\" matches no linear layer"))
    }

    @Test func errorTableCoversEveryLinearLayerOnFP32Inputs() throws {
        let model = try Self.tinyModel()
        let table = DynamicQuantization.errorTable(model, calibration: [.tokens(BertModelTests.tokens())], kept: ["encoder.layer.0.output.dense"])
        #expect(table.map(\.name) == model.dynamicLinears.map(\.name))
        #expect(table.allSatisfy { $0.rows == 9 })   // 9 real tokens
        #expect(table.first { $0.name == "encoder.layer.0.output.dense" }?.precision == "fp32")
        for row in table {
            #expect(row.weight.sqnrDB > 30 && row.activation.sqnrDB > 25 && row.output.cosine > 0.99, "\(row.name)")
            #expect(row.activation.clippedFraction == 0)
        }
    }

    @Test func storedLayersRoundTripAndAFileForAnotherModelIsRefusedNamingTheTensor() throws {
        let model = try Self.tinyModel()
        let layers = try DynamicQuantization.quantize(model, keepFP32: ["layer.1.output.dense"])
        let records = Dictionary(uniqueKeysWithValues: DynamicInt8Archive.records(of: layers).map { ($0.name, $0) })
        let meta = DynamicInt8Archive.metadata(model: model, layers: layers, keepFP32: ["layer.1.output.dense"])
        #expect(meta[QuantizedArchive.layersKey]?.contains("encoder.layer.1.output.dense:fp32") == true)
        let back = try DynamicInt8Archive.layers(records: records, metadata: meta, for: model)
        #expect(back.map(\.name) == layers.map(\.name))
        #expect(zip(back, layers).allSatisfy { $0.weights == $1.weights && $0.bias == $1.bias })
        // Same architecture, other weights.
        let other = try #require(try Architecture.bert(BertModelTests.architecture).makeModel(seed: 8) as? BertModel)
        #expect {
            try DynamicInt8Archive.layers(records: records, metadata: meta, for: other)
        } throws: { e in
            "\(e)".contains("tensor \"encoder.layer.0.attention.self.query.weight\"") && "\(e)".contains("another model")
        }
        // Another shape.
        var arch = BertModelTests.architecture
        arch.config.intermediateSize = 48
        let wider = try #require(try Architecture.bert(arch).makeModel(seed: 7) as? BertModel)
        #expect {
            try DynamicInt8Archive.layers(records: records, metadata: meta, for: wider)
        } throws: { e in "\(e)".contains("tensor \"encoder.layer.0.intermediate.dense.weight\": has shape [64, 32]") }
    }

    @Test func forcedKernelNamesTheMissingInstructionSet() throws {
        #expect(try Int8Kernel.chosen(nil) == .best)
        #expect(try Int8Kernel.chosen("scalar") == .scalar)
        #expect(throws: Int8KernelChoiceError.self) { try Int8Kernel.chosen("avx512-vnni") }
        for k in Int8Kernel.allCases where !k.isAvailable {
            #expect { try Int8Kernel.chosen(k.description) } throws: { "\($0)".contains("this CPU lacks \(k.instructionSet)") }
        }
        for k in Int8Kernel.available { #expect(try Int8Kernel.chosen(k.description) == k) }
    }
}
