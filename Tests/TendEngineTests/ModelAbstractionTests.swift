import Foundation
import Testing
import TendCore
import TendTensor
@testable import TendEngine

/// An MLP seen only through the `Model` protocol and not as a chain (`sequentialLayers` is nil), the
/// way a family with branches (attention, residuals) looks to compression.
final class OpaqueModel: Model {
    let inner: MLP
    init(_ inner: MLP) { self.inner = inner }
    var architecture: Architecture { inner.architecture }
    var parameters: [Parameter] { inner.parameters }
    func forward(_ batch: Batch, training: Bool) -> Tensor { inner.forward(batch, training: training) }
    func backward(_ gradLogits: Tensor) { inner.backward(gradLogits) }
    func copy() -> OpaqueModel { OpaqueModel(inner.copy()) }
    var linearLayers: [(name: String, layer: Dense)] { inner.linearLayers }
    var dropoutLayers: [Dropout] { inner.dropoutLayers }
    func traceForward(_ batch: Batch, visit: (String, Tensor) -> Bool) { inner.traceForward(batch, visit: visit) }
}

@Suite struct ModelAbstractionTests {
    @Test func mlpParametersCarryRolesAndGroupIntoLayers() throws {
        let m: any Model = try MLP(layout: MLPLayout(sizes: [4, 8, 3], layerNorm: true), seed: 1)
        #expect(m.parameters.map(\.name) == ["fc1.weight", "fc1.bias", "ln1.weight", "ln1.bias", "fc2.weight", "fc2.bias"])
        #expect(m.parameters.map(\.role) == [.weight, .bias, .norm, .norm, .weight, .bias])
        #expect(m.parameters.map(\.isDecayed) == [true, false, false, false, true, false])
        #expect(m.layerGroups == [
            LayerGroup(name: "fc1", kind: .linear, shape: [8, 4], parameterCount: 40, parameterNames: ["fc1.weight", "fc1.bias"]),
            LayerGroup(name: "ln1", kind: .norm, shape: [8], parameterCount: 16, parameterNames: ["ln1.weight", "ln1.bias"]),
            LayerGroup(name: "fc2", kind: .linear, shape: [3, 8], parameterCount: 27, parameterNames: ["fc2.weight", "fc2.bias"]),
        ])
        #expect(m.linearLayers.map(\.name) == ["fc1", "fc2"])
        #expect(m.outputCount == 3 && m.parameterCount == 83)
    }

    @Test func pruningAndDecaySelectByRoleNotName() {
        let embedding = Parameter(name: "fc1.weight", value: Tensor(shape: [5, 2]), role: .embedding)
        let norm = Parameter(name: "ln.weight", value: Tensor(shape: [2]), role: .norm)
        let weight = Parameter(name: "anything", value: Tensor(shape: [2, 2]), role: .weight)
        #expect(embedding.isDecayed && !norm.isDecayed && weight.isDecayed)
        let spec = PruningSpec.sparsity(0.5), withBiases = PruningSpec.sparsity(0.5, includeBiases: true)
        #expect(!spec.isEligible(embedding) && !withBiases.isEligible(embedding), "embeddings are never pruned")
        #expect(!spec.isEligible(norm) && withBiases.isEligible(norm))
        #expect(spec.isEligible(weight))
    }

    @Test func architectureIsATaggedRecordThatAlsoReadsBareLayouts() throws {
        let layout = MLPLayout(sizes: [4, 8, 3], activation: .tanh, dropout: 0.1, layerNorm: true)
        let arch = Architecture.mlp(layout)
        let object = try JSONSerialization.jsonObject(with: Data(arch.json.utf8)) as! [String: Any]
        #expect(object["family"] as? String == "mlp" && object["mlp"] != nil)
        #expect(try Architecture(json: arch.json) == arch)
        // Format 1 stored the layout itself.
        #expect(try Architecture(json: #"{"activation":"relu","dropout":0,"layerNorm":false,"sizes":[64,128,10]}"#)
                == .mlp(MLPLayout(sizes: [64, 128, 10])))
        #expect(throws: DecodingError.self) { try Architecture(json: #"{"family":"bert","bert":{}}"#) }
        let built = try arch.makeModel(seed: 3)
        #expect(built.architecture == arch && arch.family == "mlp" && arch.widths == [4, 8, 3] && arch.featureCount == 4)
    }

    @Test func badLayoutsThrowInsteadOfStopping() {
        #expect(throws: ArchitectureError.self) { try MLP(layout: MLPLayout(sizes: [4]), seed: 0) }
        #expect(throws: ArchitectureError.self) { try MLP(layout: MLPLayout(sizes: [4, 0, 3]), seed: 0) }
        #expect(throws: ArchitectureError.self) { try Architecture.mlp(MLPLayout(sizes: [4, 3], dropout: 1)).makeModel(seed: 0) }
        let split = DataSplit(blobs(rows: 60, seed: 1), seed: 0)
        #expect(throws: ArchitectureError.self) { try Trainer(config: TrainConfig(layout: MLPLayout(sizes: [4, -1, 3])), data: split) }
    }

    @Test func fineTuneWithOtherFeaturesThrows() throws {
        let t = try Trainer(config: smallConfig(epochs: 1), data: DataSplit(blobs(rows: 60, seed: 1), seed: 0))
        let wrong = Dataset(features: Tensor(shape: [2, 3]), labels: [0, 1], classes: 3)
        #expect(throws: FineTuneError.featureCount(found: 3, expected: 4)) {
            try t.scheduleFineTune(train: wrong, epochs: 1, learningRate: 1e-3)
        }
        #expect(!t.hasPendingFineTune)
    }

    @Test func checkpointsAreFormatTwoAndFormatOneStillLoadsAsAnMLP() throws {
        let split = DataSplit(blobs(rows: 200, seed: 2), seed: 0)
        let t = try Trainer(config: smallConfig(epochs: 2), data: split)
        t.run()
        let ck = t.makeCheckpoint(reason: "test")
        #expect(ck.metadata[Checkpoint.Key.format] == "2")
        #expect(try Checkpoint.architecture(ck.metadata) == t.config.architecture)

        // The same checkpoint as format 1 wrote it: arch and config.layout hold the bare layout.
        var old = ck
        let layoutJSON = try String(decoding: { let e = JSONEncoder(); e.outputFormatting = [.sortedKeys]; return try e.encode(t.config.layout!) }(), as: UTF8.self)
        old.metadata[Checkpoint.Key.format] = "1"
        old.metadata[Checkpoint.Key.arch] = layoutJSON
        var config = try JSONSerialization.jsonObject(with: Data(ck.metadata[Checkpoint.Key.config]!.utf8)) as! [String: Any]
        config["layout"] = try JSONSerialization.jsonObject(with: Data(layoutJSON.utf8))
        config["architecture"] = nil
        old.metadata[Checkpoint.Key.config] = String(decoding: try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]), as: UTF8.self)
        #expect(!old.metadata[Checkpoint.Key.config]!.contains("architecture"))

        let loaded = try old.model()
        #expect(loaded is MLP && loaded.architecture == .mlp(t.config.layout!))
        let x = split.validation.features
        #expect(loaded.predict(x) == t.model.predict(x))
        let resumed = try Trainer(resuming: old, data: split, epochs: 3)
        #expect(resumed.config == t.config.with(epochs: 3))
        #expect(resumed.model.predict(x) == t.model.predict(x))
        try t.restore(from: old)   // same architecture in either format
    }

    @Test func quantizationSwapsLinearLayersWhereverTheySit() throws {
        // tanh: no ReLU to fuse, so the chain path and the swap path run the same kernels and must agree bit for bit.
        let mlp = try MLP(layout: MLPLayout(sizes: [4, 16, 12, 3], activation: .tanh), seed: 4)
        let x = blobs(rows: 64, seed: 9).features
        let chain = QuantizedModel(model: mlp, calibration: x)
        let swapped = QuantizedModel(model: OpaqueModel(mlp), calibration: x)
        #expect(swapped.stages.map(\.name) == ["fc1", "fc2", "fc3"])
        #expect(swapped.predict(x) == chain.predict(x))
        let inputs = QuantizedModel.layerInputs(of: OpaqueModel(mlp), on: .features(x))
        #expect(Set(inputs.keys) == ["fc1", "fc2", "fc3"] && inputs["fc1"] == x.storage)
        // keepFP32 by name leaves that layer on the fp32 path in both.
        let keep = QuantizationConfig(keepFP32: ["fc2"])
        let a = QuantizedModel(model: mlp, calibration: x, config: keep), b = QuantizedModel(model: OpaqueModel(mlp), calibration: x, config: keep)
        #expect(a.predict(x) == b.predict(x))
        guard case .fp32 = b.stages[1] else { Issue.record("fc2 should stay fp32"); return }
    }

    @Test func oneEvaluationLoopServesFP32AndInt8() throws {
        let split = DataSplit(blobs(rows: 300, seed: 3), seed: 0)
        let t = try Trainer(config: smallConfig(epochs: 4), data: split)
        t.run()
        let q = QuantizedModel(model: t.model, calibration: t.data.train.features)
        let f = evaluate(t.model, on: t.data.validation, keepLogits: true)
        let i = evaluate(q, on: t.data.validation, keepLogits: true)
        #expect(f.logits?.shape == Shape([t.data.validation.count, 3]) && i.logits?.shape == f.logits?.shape)
        #expect(abs(f.report.accuracy - i.report.accuracy) < 0.05)
        #expect(evaluate(q, on: t.data.validation, classes: 5).report.confusion.count == 5)
    }
}

extension TrainConfig {
    func with(epochs: Int) -> TrainConfig { var c = self; c.epochs = epochs; return c }
}
