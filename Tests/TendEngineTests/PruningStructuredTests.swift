import Testing
import TendCore
import TendTensor
@testable import TendEngine

@Suite struct PruningStructuredTests {
    @Test func removingAllZeroNeuronsKeepsOutputsAndShrinksNextLayer() throws {
        let m = try MLP(layout: MLPLayout(sizes: [5, 8, 6, 3]), seed: 3)
        // Units 1 and 6 of fc1, units 2 and 4 of fc2 have no incoming weights; units 6 and 4 keep a bias (folded).
        for r in [1, 6] { for j in 0..<5 { m.denseLayers[0].weight.value[r, j] = 0 } }
        m.denseLayers[0].bias.value.storage[1] = 0
        m.denseLayers[0].bias.value.storage[6] = 0.7
        for r in [2, 4] { for j in 0..<8 { m.denseLayers[1].weight.value[r, j] = 0 } }
        m.denseLayers[1].bias.value.storage[4] = -0.3
        var g = SeededGenerator(seed: 1)
        let x = Tensor(shape: [4, 5], storage: (0..<20).map { _ in g.nextGaussian() })
        let before = m.predict(x)

        let r = StructuredPruning.removeNeurons(from: m, amount: .neurons(2))
        #expect(r.removed[0] == [1, 6])
        #expect(r.model.layout.sizes == [5, 6, 4, 3])
        #expect(r.model.denseLayers[1].weight.value.shape == Shape([4, 6]))
        #expect(r.model.denseLayers[2].weight.value.shape == Shape([3, 4]))
        #expect(r.removed[1] == [2, 4])
        #expect(r.folded == 4)
        let after = r.model.predict(x)
        #expect(before.maxAbsDifference(after) < 1e-5)
        // The original is unchanged.
        #expect(m.layout.sizes == [5, 8, 6, 3])
    }

    @Test func fractionRemovesSmallestNormRowsAndKeepsOne() throws {
        let m = try MLP(layout: MLPLayout(sizes: [3, 4, 2]), seed: 1)
        let w = m.denseLayers[0].weight
        w.value = Tensor(rows: [[3, 0, 0], [0.1, 0, 0], [1, 1, 0], [0, 0.2, 0]])
        let r = StructuredPruning.removeNeurons(from: m, amount: .fraction(0.5))
        #expect(r.removed == [[1, 3]])
        #expect(r.model.denseLayers[0].weight.value == Tensor(rows: [[3, 0, 0], [1, 1, 0]]))
        #expect(r.model.denseLayers[1].weight.value == StructuredPruning.selectColumns(m.denseLayers[1].weight.value, [0, 2]))
        #expect(StructuredPruning.removeNeurons(from: m, amount: .neurons(10)).model.layout.sizes == [3, 1, 2])
    }
}
