import Foundation
import Testing
import TendEngine
@testable import TendInterop
import TendTensor

/// Decodes the ONNX messages Tend writes back with the TensorBoard protobuf reader, by onnx.proto's field
/// numbers and wire types, so a wrong number or type fails here rather than in ONNX Runtime.
private struct DecodedTensor { var name = ""; var dims: [Int] = []; var dataType = 0; var raw: [UInt8] = [] }
private struct DecodedNode { var op = ""; var inputs: [String] = []; var outputs: [String] = []; var attributes: [String: Int] = [:] }
private struct DecodedValue { var name = ""; var elementType = 0; var dims: [String] = [] }
private struct DecodedModel {
    var irVersion = 0, opsetDomain = "-", opset = 0, producer = ""
    var nodes: [DecodedNode] = [], initializers: [DecodedTensor] = [], inputs: [DecodedValue] = [], outputs: [DecodedValue] = []

    init(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buf in
            var r = ProtoReader(buf)
            while let (f, w) = try r.nextField() {
                switch (f, w) {
                case (1, .varint): irVersion = Int(try r.varint())
                case (2, .lengthDelimited): producer = try r.string()
                case (7, .lengthDelimited): try graph(r.message())
                case (8, .lengthDelimited):
                    var o = try r.message()
                    while let (g, v) = try o.nextField() {
                        if g == 1 { opsetDomain = try o.string() } else if g == 2, v == .varint { opset = Int(try o.varint()) } else { try o.skip(v) }
                    }
                default: try r.skip(w)
                }
            }
        }
    }

    mutating func graph(_ r: ProtoReader) throws {
        var r = r
        while let (f, w) = try r.nextField() {
            switch (f, w) {
            case (1, .lengthDelimited): nodes.append(try node(r.message()))
            case (5, .lengthDelimited): initializers.append(try tensor(r.message()))
            case (11, .lengthDelimited): inputs.append(try value(r.message()))
            case (12, .lengthDelimited): outputs.append(try value(r.message()))
            default: try r.skip(w)
            }
        }
    }

    func node(_ r: ProtoReader) throws -> DecodedNode {
        var r = r, n = DecodedNode()
        while let (f, w) = try r.nextField() {
            switch (f, w) {
            case (1, .lengthDelimited): n.inputs.append(try r.string())
            case (2, .lengthDelimited): n.outputs.append(try r.string())
            case (4, .lengthDelimited): n.op = try r.string()
            case (5, .lengthDelimited):
                var a = try r.message(), name = "", type = 0
                while let (g, v) = try a.nextField() {
                    if g == 1 { name = try a.string() } else if g == 20 { type = Int(try a.varint()) } else { try a.skip(v) }
                }
                n.attributes[name] = type
            default: try r.skip(w)
            }
        }
        return n
    }

    func tensor(_ r: ProtoReader) throws -> DecodedTensor {
        var r = r, t = DecodedTensor()
        while let (f, w) = try r.nextField() {
            switch (f, w) {
            case (1, .varint): t.dims.append(Int(Int64(bitPattern: try r.varint())))
            case (2, .varint): t.dataType = Int(try r.varint())
            case (8, .lengthDelimited): t.name = try r.string()
            case (9, .lengthDelimited): t.raw = Array(try r.bytes())
            default: try r.skip(w)
            }
        }
        return t
    }

    func value(_ r: ProtoReader) throws -> DecodedValue {
        var r = r, v = DecodedValue()
        while let (f, w) = try r.nextField() {
            guard w == .lengthDelimited else { try r.skip(w); continue }
            if f == 1 { v.name = try r.string(); continue }
            var type = try r.message()                                   // TypeProto
            while let (g, _) = try type.nextField() {
                var tensor = try type.message()                          // tensor_type = 1
                #expect(g == 1)
                while let (h, hw) = try tensor.nextField() {
                    if h == 1 { v.elementType = Int(try tensor.varint()); continue }
                    guard h == 2, hw == .lengthDelimited else { try tensor.skip(hw); continue }
                    var shape = try tensor.message()
                    while try shape.nextField() != nil {
                        var dim = try shape.message()
                        while let (k, kw) = try dim.nextField() {
                            v.dims.append(k == 1 && kw == .varint ? String(try dim.varint()) : try dim.string())
                        }
                    }
                }
            }
        }
        return v
    }

    func initializer(_ name: String) -> DecodedTensor? { initializers.first { $0.name == name } }
}

private func floats(_ raw: [UInt8]) -> [Float] {
    raw.withUnsafeBytes { b in (0..<(raw.count / 4)).map { b.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) } }
}

@Suite("ONNX and PyTorch export")
struct OnnxExportTests {
    static func mlp(layerNorm: Bool = false, dropout: Float = 0, activation: Activation = .relu) throws -> MLP {
        try MLP(layout: MLPLayout(sizes: [4, 6, 3], activation: activation, dropout: dropout, layerNorm: layerNorm), seed: 7)
    }

    @Test("an exported MLP decodes as a ModelProto: IR 8, opset 17, Sub/Mul normaliser, Gemm per layer, weights as raw floats")
    func mlpDecodes() throws {
        let m = try Self.mlp()
        let norm = Normalizer(kind: .standard, offset: [1, 2, 3, 4], factor: [0.5, 0.5, 2, 2])
        let decoded = try DecodedModel(MLPExport.onnx(m, normalizer: norm).encoded())
        #expect(decoded.irVersion == 8)
        #expect(decoded.opsetDomain == "" && decoded.opset == 17)
        #expect(decoded.producer == "tend")
        #expect(decoded.nodes.map(\.op) == ["Sub", "Mul", "Gemm", "Relu", "Gemm"])
        #expect(decoded.nodes[2].attributes["transB"] == 2)       // AttributeType INT
        #expect(decoded.nodes.last?.outputs == ["logits"])
        #expect(decoded.inputs.map(\.name) == ["features"])
        #expect(decoded.inputs[0].elementType == 1 && decoded.inputs[0].dims == ["batch", "4"])
        #expect(decoded.outputs.map(\.name) == ["logits"] && decoded.outputs[0].dims == ["batch", "3"])
        let w = try #require(decoded.initializer("fc1.weight"))
        #expect(w.dims == [6, 4] && w.dataType == 1)
        #expect(floats(w.raw) == m.denseLayers[0].weight.value.storage)
        #expect(floats(try #require(decoded.initializer("normalizer.factor")).raw) == [0.5, 0.5, 2, 2])
    }

    @Test("an identity normaliser adds no nodes; LayerNorm, tanh-GELU and dropout map to LayerNormalization, Tanh, nothing")
    func mlpLayersMap() throws {
        let m = try Self.mlp(layerNorm: true, dropout: 0.2, activation: .gelu)
        let decoded = try DecodedModel(MLPExport.onnx(m, normalizer: .identity(features: 4)).encoded())
        let ops = decoded.nodes.map(\.op)
        #expect(ops.first == "Gemm" && ops.last == "Gemm")
        #expect(ops.contains("LayerNormalization") && ops.contains("Tanh") && !ops.contains("Dropout") && !ops.contains("Sub"))
        #expect(decoded.nodes.first { $0.op == "LayerNormalization" }?.attributes == ["axis": 2, "epsilon": 1])
    }

    @Test("the torch state dict names nn.Sequential indices (LayerNorm, activation, Dropout take their own), or fcN")
    func torchNames() throws {
        let m = try Self.mlp(layerNorm: true, dropout: 0.1)
        let seq = MLPExport.torchStateDict(m, names: .sequential)
        #expect(seq.map(\.0) == ["0.weight", "0.bias", "1.weight", "1.bias", "4.weight", "4.bias"])
        #expect(seq.map { $0.1.shape.dims } == [[6, 4], [6], [6], [6], [3, 6], [3]])
        #expect(MLPExport.sequentialModule(m) ==
                "nn.Sequential(nn.Linear(4, 6), nn.LayerNorm(6, eps=1e-05), nn.ReLU(), nn.Dropout(0.1), nn.Linear(6, 3))")
        #expect(MLPExport.torchStateDict(m, names: .fc).map(\.0) == ["fc1.weight", "fc1.bias", "ln1.weight", "ln1.bias", "fc2.weight", "fc2.bias"])
    }

    @Test("a BERT export has the Hugging Face inputs and outputs, erf GELU, masked softmax and every weight once")
    func bertDecodes() throws {
        let encoder = try HuggingFaceModel.loadEncoder(directory: BertFixtures.tinyModel).encoder
        let decoded = try DecodedModel(BertExport.onnx(encoder).encoded())
        #expect(decoded.inputs.map(\.name) == ["input_ids", "attention_mask", "token_type_ids"])
        #expect(decoded.inputs.allSatisfy { $0.elementType == 7 && $0.dims == ["batch", "sequence"] })
        #expect(decoded.outputs.map(\.name) == ["last_hidden_state", "sentence_embedding"])
        let ops = Set(decoded.nodes.map(\.op))
        #expect(ops.isSuperset(of: ["Gather", "Range", "LayerNormalization", "MatMul", "Reshape", "Transpose", "Softmax", "Erf", "ReduceSum"]))
        #expect(decoded.nodes.filter { $0.op == "Softmax" }.count == encoder.config.layers)
        let q = try #require(decoded.initializer("encoder.layer.0.attention.self.query.weight_t"))
        let hf = try #require(encoder.namedParameters.first { $0.name == "encoder.layer.0.attention.self.query.weight" })
        #expect(q.dims == [hf.shape[1], hf.shape[0]])
        #expect(floats(q.raw)[1] == hf.tensor.storage[hf.shape[1]])   // [in, out]: element (0, 1) is W[1, 0]
        #expect(decoded.initializer("embeddings.word_embeddings.weight")?.dims == [encoder.config.vocabularySize, encoder.config.hiddenSize])
        #expect(BertExport.torchStateDict(encoder).map(\.0) == encoder.parameterLayout.map(\.name))
    }

    @Test("the .onnx file is written whole, and a torch file holds exactly the model's tensors with a format note")
    func writesFiles() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let m = try Self.mlp()
        let bytes = try OnnxFileWriter.write(MLPExport.onnx(m, normalizer: nil), to: dir.file("m.onnx"))
        #expect(dir.read("m.onnx").count == bytes)
        #expect(dir.entries() == ["m.onnx"])
        try SafetensorsWriter.write(tensors: MLPExport.torchStateDict(m, names: .sequential), metadata: ["format": "pt"], to: dir.file("m.safetensors"))
        let file = try SafetensorsFile(path: dir.file("m.safetensors"))
        #expect(file.names.sorted() == ["0.bias", "0.weight", "2.bias", "2.weight"])
        #expect(file.metadata == ["format": "pt"])
    }
}
