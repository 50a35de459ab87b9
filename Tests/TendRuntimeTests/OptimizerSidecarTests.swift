import Foundation
import Testing
import TendCore
import TendEngine
import TendInterop
import TendTensor
@testable import TendRuntime

/// Optimizer state in a sibling `….optimizer.safetensors`: the weights file holds only the model's tensors,
/// reading merges the state back so resume is bit-identical, and inline checkpoints still read.
@Suite struct OptimizerSidecarTests {
    static func trained() throws -> (Trainer, DataSplit) {
        var g = SeededGenerator(seed: 3)
        let rows = 120
        var x: [Float] = [], y: [Int] = []
        for _ in 0..<rows { let c = Int(g.next() % 3); for j in 0..<4 { x.append((j == c ? 2 : 0) + 0.5 * g.nextGaussian()) }; y.append(c) }
        let split = DataSplit(Dataset(features: Tensor(shape: [rows, 4], storage: x), labels: y, classes: 3), seed: 0)
        var c = TrainConfig(layout: MLPLayout(sizes: [4, 8, 3]))
        c.epochs = 2; c.batchSize = 16
        let t = try Trainer(config: c, data: split)
        t.run()
        return (t, split)
    }

    @Test func weightsFileHoldsOnlyModelTensorsAndReadingMergesTheState() throws {
        let dir = NSTemporaryDirectory() + "tend-sidecar-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (t, split) = try Self.trained()
        let ck = t.makeCheckpoint(reason: "test")
        let path = dir + "/epoch-0001.safetensors"
        try OptimizerSidecar.write(ck, to: path)

        let weights = try SafetensorsFile(path: path)
        #expect(Set(weights.names) == Set(t.model.parameters.map(\.name)))   // strict-load clean
        #expect(weights.metadata[OptimizerSidecar.metadataKey] == "epoch-0001.optimizer.safetensors")
        let state = try SafetensorsFile(path: OptimizerSidecar.siblingPath(of: path))
        #expect(!state.names.isEmpty && state.names.allSatisfy { $0.hasPrefix("adam.m.") || $0.hasPrefix("adam.v.") })
        #expect(OptimizerSidecar.isSibling("epoch-0001.optimizer.safetensors") && !OptimizerSidecar.isSibling("epoch-0001.safetensors"))

        let back = try OptimizerSidecar.read(path)
        #expect(Set(back.tensors.map(\.0)) == Set(ck.tensors.map(\.0)))
        let a = try Trainer(resuming: ck, data: split, epochs: 3), b = try Trainer(resuming: back, data: split, epochs: 3)
        a.run(); b.run()
        for (x, y) in zip(a.model.namedTensors(), b.model.namedTensors()) { #expect(x.1.storage == y.1.storage, "\(x.0)") }
    }

    @Test func inlineCheckpointsStillReadAndAMissingSiblingIsNamed() throws {
        let dir = NSTemporaryDirectory() + "tend-sidecar-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (t, _) = try Self.trained()
        let ck = t.makeCheckpoint(reason: "test")
        let old = dir + "/old.safetensors"
        try SafetensorsWriter.write(tensors: ck.tensors, metadata: ck.metadata, to: old)   // state inline, as before
        #expect(Set(try OptimizerSidecar.read(old).tensors.map(\.0)) == Set(ck.tensors.map(\.0)))

        let path = dir + "/epoch-0002.safetensors"
        try OptimizerSidecar.write(ck, to: path)
        try FileManager.default.removeItem(atPath: OptimizerSidecar.siblingPath(of: path))
        let error = #expect(throws: ModelFileError.self) { try OptimizerSidecar.read(path) }
        #expect(error.map(String.init(describing:))?.contains("epoch-0002.optimizer.safetensors is missing") == true)
    }
}
