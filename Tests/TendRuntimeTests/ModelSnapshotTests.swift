import Testing
import TendEngine
import TendMetrics
import TendTensor
@testable import TendRuntime

@Suite struct ModelSnapshotTests {
    static func model() -> MLP { try! MLP(layout: MLPLayout(sizes: [4, 3, 2], activation: .relu, dropout: 0, layerNorm: false), seed: 1) }

    @Test func aPublishedSnapshotIsACopyTheTrainerCannotChange() {
        let slot = ModelSnapshotSlot()
        #expect(slot.latest == nil)
        let live = Self.model()
        let v1 = slot.publish(live, step: 10)
        let before = slot.latest!.model.parameters[0].value.storage
        live.parameters[0].value.storage.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] = 0 } }
        #expect(slot.latest!.model.parameters[0].value.storage == before)
        #expect(slot.latest!.step == 10)
        let v2 = slot.publish(live, step: 20)
        #expect(v2 > v1)
        #expect(slot.latest!.version == v2)
        #expect(slot.latest!.model.parameters[0].value.storage.allSatisfy { $0 == 0 })
    }

    @Test func layerRowsComeFromThePruningSummary() {
        let m = Self.model()
        m.parameters[0].value.storage.withUnsafeMutableBufferPointer { p in for i in 0..<6 { p[i] = 0 } }
        let rows = LayerStatistics.rows(PruningSummary(model: m))
        #expect(rows.map(\.name) == ["fc1", "fc2"])
        #expect(rows[0].parameters == 4 * 3 + 3)
        #expect(rows[0].shape == m.parameters[0].value.shape.dims)
        #expect(abs(rows[0].sparsity - Double(6 + m.parameters[1].value.storage.filter { $0 == 0 }.count) / 15) < 1e-12)
        #expect(rows[1].bitsPerWeight == 32)
    }
}

@Suite struct EncoderLayerRowsTests {
    @Test func layerRowsOfAnEncoderAreItsEmbeddingsAndLinearLayers() throws {
        let config = BertConfig(vocabularySize: 40, hiddenSize: 16, layers: 2, attentionHeads: 2, intermediateSize: 32, maxPositions: 8)
        let m = try Architecture.bert(BertArchitecture(config: config)).makeModel(seed: 3)
        MagnitudePruner.prune(m, spec: .sparsity(0.5))
        let rows = LayerStatistics.rows(model: m)
        #expect(rows.count == 3 + 12)
        #expect(rows[0].name == "embeddings.word_embeddings" && rows[0].shape == [40, 16] && rows[0].sparsity == 0)
        #expect(rows[7].name == "encoder.layer.0.intermediate.dense" && rows[7].shape == [32, 16] && rows[7].parameters == 32 * 16 + 32)
        #expect(rows[7].sparsity > 0.1 && rows[7].sparsity < 0.99)   // global 50 %: per layer it varies
    }
}
