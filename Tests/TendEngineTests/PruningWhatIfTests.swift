import Testing
import TendCore
import TendTensor
@testable import TendEngine

func bitPatterns(_ m: any Model) -> [[UInt32]] { m.parameters.map { $0.value.storage.map(\.bitPattern) } }

@Suite struct PruningWhatIfTests {
    func trained() throws -> (any Model, Dataset) {
        let split = DataSplit(blobs(rows: 400, seed: 7), seed: 1)
        var c = smallConfig(epochs: 4)
        c.layout = MLPLayout(sizes: [4, 32, 32, 3])
        let t = try Trainer(config: c, data: split)
        t.run()
        return (t.model, t.data.validation)
    }

    @Test func whatIfLeavesModelBitIdenticalAndMatchesCommit() throws {
        let (model, val) = try trained()
        let bits = bitPatterns(model)
        let w = PruningWhatIf(model: model, validation: val)
        let o = w.evaluate(.sparsity(0.7))
        #expect(bitPatterns(model) == bits)
        #expect(model.parameters.allSatisfy { $0.mask == nil })
        #expect(abs(o.summary.sparsity - 0.7) < 0.01)
        #expect(o.summary.storedBytes < o.summary.denseBytes)
        #expect(o.deltaStoredBytes == o.summary.storedBytes - w.baseline.summary.storedBytes)
        // Committing the same spec gives the figures the what-if predicted.
        let copy = model.copy()
        PruningSession(model: copy).commit(.sparsity(0.7))
        let ev = evaluate(copy, on: val)
        #expect(ev.report.accuracy == o.accuracy && ev.loss == o.loss)
        #expect(PruningSummary(model: copy) == o.summary)
        let curve = w.sweep(PruningWhatIf.sparsitySteps())
        #expect(curve.count == 20 && curve[0].deltaAccuracy == 0)
        #expect(bitPatterns(model) == bits)
    }

    @Test func undoRestoresValuesAndMasksExactly() throws {
        let (model, _) = try trained()
        let session = PruningSession(model: model)
        MagnitudePruner.prune(model, spec: .sparsity(0.2))
        let bits = bitPatterns(model), masks = model.parameters.map(\.mask)
        session.commit(.sparsity(0.5))
        session.commit(.threshold(0.5, scope: .layer, includeBiases: true))
        #expect(session.undo())
        #expect(session.undo())
        #expect(!session.undo())
        #expect(bitPatterns(model) == bits)
        #expect(model.parameters.map(\.mask) == masks)
    }

    @Test func summaryCountsSparseBytes() {
        let t = Tensor(shape: [4, 8], storage: (0..<32).map { $0 % 4 == 0 ? 1 : 0 })
        let s = PruningSummary(tensors: [("w", t)], eligible: { _ in true })
        #expect(s.parameters[0].scheme == .bitmap)
        #expect(s.storedBytes == 4 + 8 * 4)
        #expect(SparseStorageScheme.cheapest(shape: [100, 100], nonZeros: 10).scheme == .csr)
        #expect(SparseStorageScheme.cheapest(shape: [10], nonZeros: 10).scheme == .dense)
    }
}
