import Testing
import TendCore
import TendTensor
@testable import TendEngine

/// Sort-based reference: prune the k smallest |w| over the tensors together, ties by flat index.
func referenceMasks(pruning k: Int, of tensors: [Tensor]) -> [Tensor] {
    let flat = tensors.flatMap(\.storage)
    let order = flat.indices.sorted { a, b in
        let (x, y) = (abs(flat[a]), abs(flat[b]))
        return x != y ? x < y : a < b
    }
    var mask = [Float](repeating: 1, count: flat.count)
    for i in order.prefix(k) { mask[i] = 0 }
    var out: [Tensor] = [], start = 0
    for t in tensors { out.append(Tensor(shape: t.shape, storage: Array(mask[start..<(start + t.count)]))); start += t.count }
    return out
}

/// Random tensors with many exact ties (values on a coarse grid, both signs, zeros).
func tiedTensors(_ shapes: [[Int]], seed: UInt64) -> [Tensor] {
    var g = SeededGenerator(seed: seed)
    return shapes.map { s in
        Tensor(shape: Shape(s), storage: (0..<s.reduce(1, *)).map { _ in Float(Int(g.next() % 9) - 4) * 0.25 })
    }
}

@Suite struct PruningSelectionTests {
    @Test(arguments: [0.0, 0.1, 0.33, 0.5, 0.8, 0.97, 1.0])
    func globalMasksEqualSortReferenceWithTies(_ s: Double) {
        let ts = tiedTensors([[7, 5], [3], [4, 6]], seed: 3)
        let n = ts.reduce(0) { $0 + $1.count }
        let k = MagnitudeSelection.pruneCount(sparsity: s, of: n)
        #expect(MagnitudeSelection.masks(sparsity: s, of: ts) == referenceMasks(pruning: k, of: ts))
    }

    @Test func globalMasksEqualSortReferenceOnGaussianWeights() {
        var g = SeededGenerator(seed: 9)
        let ts = [[64, 32], [32], [10, 32]].map { s in
            Tensor(shape: Shape(s), storage: (0..<s.reduce(1, *)).map { _ in g.nextGaussian() })
        }
        for k in [0, 1, 500, 1234, 2399, 2400] {
            #expect(MagnitudeSelection.masks(pruningSmallest: k, of: ts) == referenceMasks(pruning: k, of: ts))
        }
    }

    @Test func negativeAndPositiveZeroTieByIndex() {
        let t = Tensor(shape: [6], storage: [0.5, -0, 0, -0.25, 0.25, 0])
        #expect(MagnitudeSelection.masks(pruningSmallest: 2, of: [t])[0].storage == [1, 0, 0, 1, 1, 1])
        #expect(MagnitudeSelection.masks(pruningSmallest: 4, of: [t])[0].storage == [1, 0, 0, 0, 1, 0])
    }

    @Test func pruneCountIsFloorOfSparsityTimesCount() {
        #expect(MagnitudeSelection.pruneCount(sparsity: 0.8, of: 10) == 8)
        #expect(MagnitudeSelection.pruneCount(sparsity: 0.7, of: 10) == 7)
        #expect(MagnitudeSelection.pruneCount(sparsity: 0.55, of: 3) == 1)
        #expect(MagnitudeSelection.pruneCount(sparsity: 1, of: 7) == 7)
    }

    @Test func perLayerAndGlobalPruningOfTrainedModelMatchReference() throws {
        let split = DataSplit(blobs(rows: 300, seed: 2), seed: 0)
        var config = smallConfig(epochs: 3)
        config.layout = MLPLayout(sizes: [4, 16, 8, 3], activation: .relu)
        let t = try Trainer(config: config, data: split)
        t.run()
        let weights = t.model.parameters.filter(\.isDecayed).map(\.value)

        let global = t.model.copy()
        MagnitudePruner.prune(global, spec: .sparsity(0.6, scope: .global))
        let n = weights.reduce(0) { $0 + $1.count }
        let ref = referenceMasks(pruning: MagnitudeSelection.pruneCount(sparsity: 0.6, of: n), of: weights)
        #expect(global.parameters.filter(\.isDecayed).map { $0.mask! } == ref)

        let layer = t.model.copy()
        MagnitudePruner.prune(layer, spec: .sparsity(0.6, scope: .layer))
        for (p, w) in zip(layer.parameters.filter(\.isDecayed), weights) {
            #expect(p.mask! == referenceMasks(pruning: MagnitudeSelection.pruneCount(sparsity: 0.6, of: w.count), of: [w])[0])
            #expect(abs(countZeros(p.value) - MagnitudeSelection.pruneCount(sparsity: 0.6, of: w.count)) <= countZeros(w))
        }
        // Biases untouched unless asked.
        for (a, b) in zip(layer.parameters, t.model.parameters) where !a.isDecayed {
            #expect(a.mask == nil && a.value == b.value)
        }
        let withBiases = t.model.copy()
        MagnitudePruner.prune(withBiases, spec: .sparsity(0.5, includeBiases: true))
        #expect(withBiases.parameters.allSatisfy { $0.mask != nil })
    }

    @Test func thresholdPrunesBelowTauAndWritesPositiveZero() throws {
        let m = try MLP(layout: MLPLayout(sizes: [8, 6, 3]), seed: 5)
        let before = m.parameters.map(\.value)
        MagnitudePruner.prune(m, spec: .threshold(0.3))
        for (p, v) in zip(m.parameters, before) {
            for i in 0..<v.count {
                let pruned = p.isDecayed && abs(v.storage[i]) < 0.3
                #expect(p.value.storage[i].bitPattern == (pruned ? 0 : v.storage[i].bitPattern))
            }
        }
        let summary = PruningSummary(model: m)
        #expect(summary.sparsity > 0.2 && summary.sparsity < 0.5)
    }
}
