import Foundation
import Testing
import TendCore
import TendTensor
@testable import TendEngine

@Suite struct PruningScheduleTests {
    @Test func polynomialDecayMatchesFormula() {
        let s = PruningSchedule.polynomial(from: 0.1, to: 0.9, begin: 100, end: 500, frequency: 50)
        for t in [0, 99, 100, 150, 300, 499, 500, 800] {
            let p = min(1, max(0, Double(t - 100) / 400))
            let expected = t < 100 ? 0 : 0.9 + (0.1 - 0.9) * pow(1 - p, 3)
            #expect(abs(s.sparsity(at: t) - expected) < 1e-12)
        }
        #expect(s.target(at: 99) == nil)
        #expect(s.target(at: 100) == 0.1)
        #expect(s.target(at: 120) == nil)
        #expect(s.target(at: 150) == s.sparsity(at: 150))
        #expect(s.target(at: 500) == 0.9)
        #expect(s.target(at: 550) == nil)
    }

    @Test func oneShotAndConstantFireOnTheirSteps() {
        #expect(PruningSchedule.oneShot(step: 7, sparsity: 0.5).target(at: 7) == 0.5)
        #expect(PruningSchedule.oneShot(step: 7, sparsity: 0.5).target(at: 8) == nil)
        let c = PruningSchedule.constant(sparsity: 0.7, beginStep: 10, endStep: nil, frequency: 5)
        #expect([9, 10, 12, 15, 1000].map { c.target(at: $0) } == [nil, 0.7, nil, 0.7, 0.7])
        #expect(PruningSchedule.constant(sparsity: 2, beginStep: 0, endStep: nil, frequency: 1).validationError != nil)
    }

    @Test func maskedWeightsStayZeroThrough100AdamStepsWithSchedule() throws {
        let data = blobs(rows: 320, seed: 4)
        let model = try MLP(layout: MLPLayout(sizes: [4, 32, 16, 3]), seed: 2)
        let config = PruningConfig(schedule: .polynomial(from: 0.2, to: 0.8, begin: 10, end: 60, frequency: 10))
        let adam = Adam(learningRate: 1e-2)
        var sampler = BatchSampler(batchSize: 32, rng: SeededGenerator(seed: 1))
        var x = Tensor(shape: [32, 4]), y = [Int](repeating: 0, count: 32)
        var lastMasks: [Tensor?] = []
        for step in 0..<100 {
            if !sampler.next(from: data, x: &x, y: &y) { sampler.startEpoch(count: data.count); _ = sampler.next(from: data, x: &x, y: &y) }
            let (_, g) = softmaxCrossEntropy(logits: model.forward(x, training: true), labels: y)
            model.backward(g)
            adam.step(model.parameters)
            if config.apply(to: model, step: step) != nil { lastMasks = model.parameters.map(\.mask) }
            for p in model.parameters {
                guard let m = p.mask else { continue }
                for i in 0..<m.count where m.storage[i] == 0 { #expect(p.value.storage[i].bitPattern == 0) }
            }
        }
        #expect(abs(PruningSummary(model: model).sparsity - 0.8) < 0.01)
        #expect(model.parameters.map(\.mask) == lastMasks)
    }

    @Test func trainerAppliesConfiguredSchedule() throws {
        var config = smallConfig(epochs: 2)
        config.pruning = PruningConfig(schedule: .oneShot(step: 5, sparsity: 0.5))
        let t = try Trainer(config: config, data: DataSplit(blobs(rows: 200, seed: 1), seed: 0))
        t.run()
        let s = PruningSummary(model: t.model).sparsity
        #expect(s >= 0.5 && s < 0.6)
    }
}
