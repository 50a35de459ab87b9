import Testing
import TendCore
import TendTensor
@testable import TendInterop

@Suite struct SparseSafetensorsTests {
    func sparseTensor(_ shape: [Int], keep: Double, seed: UInt64) -> Tensor {
        var g = SeededGenerator(seed: seed)
        let n = shape.reduce(1, *)
        return Tensor(shape: Shape(shape), storage: (0..<n).map { _ in
            Double(g.next() % 1000) / 1000 < keep ? g.nextGaussian() : 0
        })
    }

    @Test func denseToSparseToDenseIsBitExactForEveryScheme() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        var special = sparseTensor([3, 7], keep: 0.3, seed: 1)
        special.storage[2] = -0.0; special.storage[5] = .infinity; special.storage[20] = .leastNonzeroMagnitude
        let tensors: [(String, Tensor)] = [("fc1.weight", sparseTensor([64, 33], keep: 0.2, seed: 2)),
                                           ("fc1.bias", sparseTensor([64], keep: 1, seed: 3)),
                                           ("fc2.weight", sparseTensor([10, 70_000], keep: 0.01, seed: 4)),
                                           ("odd", special), ("empty", Tensor(shape: [0, 4]))]
        for forced in [nil, SparseScheme.bitmap, .csr, .dense] {
            let path = dir.file("s-\(forced?.rawValue ?? "auto").safetensors")
            for (name, t) in tensors {
                let enc = SparseTensorCodec.encode(name: name, tensor: t, scheme: forced)
                try SafetensorsWriter.write(entries: enc.entries, metadata: enc.scheme == .dense ? [:] :
                    [SparseSafetensors.metadataPrefix + name: "{\"scheme\":\"\(enc.scheme.rawValue)\",\"shape\":\(t.shape.dims)}"], to: path)
                let back = try SparseSafetensors.denseTensors(SafetensorsFile(path: path))
                #expect(back.count == 1 && back[0].0 == name)
                #expect(back[0].1.shape == t.shape)
                #expect(back[0].1.storage.map(\.bitPattern) == t.storage.map(\.bitPattern))
            }
        }
        let path = dir.file("all.safetensors")
        let stats = try SparseSafetensors.write(tensors: tensors, metadata: ["arch": "x"], to: path, sparse: { $0 != "odd" })
        #expect(stats.map(\.scheme) == [.bitmap, .dense, .csr, .dense, .dense])
        let file = try SafetensorsFile(path: path)
        #expect(file.metadata["arch"] == "x")
        let back = try SparseSafetensors.denseTensors(file)
        #expect(back.map(\.0) == tensors.map(\.0))
        for (a, b) in zip(back, tensors) { #expect(a.1.storage.map(\.bitPattern) == b.1.storage.map(\.bitPattern) && a.1.shape == b.1.shape) }
        let stored = stats.reduce(0) { $0 + $1.storedBytes }
        #expect(file.tensorInfo.reduce(0) { $0 + $1.byteRange.count } == stored)
        #expect(stored < stats.reduce(0) { $0 + $1.denseBytes } / 5)
    }

    @Test func inconsistentComponentsAreReportedWithTensorName() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let path = dir.file("bad.safetensors")
        let bitmap = SafetensorsEntry(name: "w.bitmap", dtype: .u8, shape: [1], bytes: [0b0000_0111])
        let values = SafetensorsEntry(name: "w.values", tensor: Tensor(shape: [2], storage: [1, 2]))
        try SafetensorsWriter.write(entries: [bitmap, values], metadata: ["tend.sparse.w": "{\"scheme\":\"bitmap\",\"shape\":[2,4]}"], to: path)
        #expect(throws: SparseSafetensorsError.self) { try SparseSafetensors.denseTensors(SafetensorsFile(path: path)) }
        do { _ = try SparseSafetensors.denseTensors(SafetensorsFile(path: path)) } catch {
            #expect("\(error)".contains("\"w\"") && "\(error)".contains("set bits"))
        }
        try SafetensorsWriter.write(entries: [values], metadata: ["tend.sparse.w": "{\"scheme\":\"zip\",\"shape\":[2]}"], to: path)
        do { _ = try SparseSafetensors.denseTensors(SafetensorsFile(path: path)); Issue.record("accepted unknown scheme") } catch {
            #expect("\(error)".contains("unknown scheme \"zip\""))
        }
    }
    /// A reader that does not know Tend can decode a bitmap tensor from the metadata alone; a file that
    /// claims another bit order is refused instead of decoded into wrong weights.
    @Test func sparseMetadataStatesBitOrderAndLayout() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let path = dir.file("s.safetensors")
        var w = Tensor(shape: [4, 16], repeating: 0)
        w[0, 1] = 1; w[2, 9] = -2; w[3, 15] = 3
        _ = try SparseSafetensors.write(tensors: [("w", w)], metadata: [:], to: path, sparse: { _ in true })
        let file = try SafetensorsFile(path: path)
        let meta = try JSONParser().parse(file.metadata["tend.sparse.w"] ?? "")
        #expect(meta["bit_order"]?.stringValue == "lsb0")
        #expect(meta["layout"]?.stringValue == "row-major")
        #expect(meta["version"]?.intValue == 1)
        #expect(meta["nnz"]?.intValue == 3)
        // Decoding by hand with the stated order gives the weights back.
        if meta["scheme"]?.stringValue == "bitmap" {
            let bits = try file.bytes("w.bitmap")
            let set = (0..<w.count).filter { bits[$0 / 8] >> ($0 % 8) & 1 == 1 }
            #expect(set == [1, 2 * 16 + 9, 3 * 16 + 15])
        }
        let bitmap = SafetensorsEntry(name: "w.bitmap", dtype: .u8, shape: [1], bytes: [0b0000_0011])
        let values = SafetensorsEntry(name: "w.values", tensor: Tensor(shape: [2], storage: [1, 2]))
        try SafetensorsWriter.write(entries: [bitmap, values], metadata: ["tend.sparse.w":
            "{\"scheme\":\"bitmap\",\"shape\":[8],\"nnz\":2,\"bit_order\":\"msb0\"}"], to: path)
        do { _ = try SparseSafetensors.denseTensors(SafetensorsFile(path: path)); Issue.record("accepted msb0") } catch {
            #expect("\(error)".contains("bit_order \"msb0\""))
        }
    }
}
