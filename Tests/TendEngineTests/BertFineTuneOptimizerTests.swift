import Testing
import TendCore
import TendTensor
@testable import TendEngine

/// AdamW over the encoder's named parameters: decay by role, the two learning-rate groups, the linear
/// schedule, clipping, freezing, and a few steps on a tiny separable text task lowering the loss.
@Suite struct BertFineTuneOptimizerTests {
    @Test func linearScheduleWarmsUpThenDecaysToZeroAsTransformersDoes() {
        let s = LinearWarmupDecay(warmupSteps: 4, totalSteps: 12)
        #expect([0, 1, 2, 4, 8, 12, 13].map { s.factor(step: $0) } == [0, 0.25, 0.5, 1, 0.5, 0, 0])
        #expect(LinearWarmupDecay(warmupFraction: 0.1, totalSteps: 95).warmupSteps == 10)
        #expect(LinearWarmupDecay(warmupSteps: 0, totalSteps: 10).factor(step: 0) == 1)
    }

    @Test func decayAppliesToWeightsAndEmbeddingsNotBiasesOrNormsWithTheHeadsOwnRate() throws {
        // Zero gradients: Adam's step is 0, so only the decoupled decay w ← w·(1 − lr·wd) moves anything.
        let t = BertBackwardTests.makeTraining()
        let before = Dictionary(uniqueKeysWithValues: t.parameters.map { ($0.name, $0.value) })
        let opt = BertFineTuneOptimizer(training: t, learningRate: 0.01, headLearningRate: 0.1, weightDecay: 0.5,
                                        maxGradientNorm: nil, schedule: LinearWarmupDecay(warmupSteps: 0, totalSteps: 10))
        let step = opt.step()
        #expect(step.learningRate == 0.01 && step.headLearningRate == 0.1 && step.gradientNorm == 0)
        for p in t.parameters {
            let old = before[p.name]!
            let lr: Float = p.name.hasPrefix("classifier.") ? 0.1 : 0.01
            let factor: Float = p.role.isDecayed ? 1 - lr * 0.5 : 1
            let worst = zip(p.value.storage, old.storage).map { abs($0 - $1 * factor) }.max()!
            #expect(worst <= 1e-6, "\(p.name) (\(p.role)): off by \(worst)")
        }
    }

    @Test func clippingBoundsTheGlobalNormAndReportsItBefore() throws {
        let t = BertBackwardTests.makeTraining()
        try t.forward(BertBackwardTests.batch, labels: BertBackwardTests.labels, training: false)
        t.backward()
        var s = 0.0
        for p in t.parameters { s += sumOfSquares(p.grad) }
        let opt = BertFineTuneOptimizer(training: t, maxGradientNorm: 0.1, schedule: LinearWarmupDecay(warmupSteps: 0, totalSteps: 1))
        let step = opt.step()
        #expect(abs(Double(step.gradientNorm) - s.squareRoot()) <= 1e-4 * s.squareRoot())
        var after = 0.0
        for p in t.parameters { after += sumOfSquares(p.grad) }
        #expect(abs(after.squareRoot() - 0.1) <= 1e-5)
    }

    @Test func frozenParametersDoNotMove() throws {
        let t = BertBackwardTests.makeTraining()
        t.freezesEmbeddings = true
        t.frozenLayers = 1
        let before = Dictionary(uniqueKeysWithValues: t.parameters.map { ($0.name, $0.value) })
        let opt = BertFineTuneOptimizer(training: t, learningRate: 1e-2, schedule: LinearWarmupDecay(warmupSteps: 0, totalSteps: 5))
        try t.forward(BertBackwardTests.batch, labels: BertBackwardTests.labels, training: true)
        t.backward()
        opt.step()
        let trainable = Set(t.trainableParameters.map(\.name))
        for p in t.parameters {
            #expect((p.value == before[p.name]!) != trainable.contains(p.name), "\(p.name)")
        }
        #expect(Set(opt.stateTensors().keys) == Set(trainable.flatMap { ["adamw.m.\($0)", "adamw.v.\($0)"] }))
    }

    @Test func aFewStepsOnASeparableTextTaskLowerTheLoss() throws {
        // Label 1 when the text holds token 40, 0 when it holds token 41; other tokens random; lengths vary.
        var g = SeededGenerator(seed: 5)
        var ids: [Int32] = [], mask: [Int32] = [], labels: [Int] = []
        let n = 8, length = 7
        for i in 0..<n {
            let real = 4 + i % 4
            var row: [Int32] = [2]
            for _ in 1..<(real - 1) { row.append(Int32(50 + g.next() % 40)) }
            row[1 + Int(g.next() % UInt64(real - 2))] = i % 2 == 0 ? 40 : 41
            row.append(3)
            ids += row + Array(repeating: 0, count: length - real)
            mask += Array(repeating: 1, count: real) + Array(repeating: 0, count: length - real)
            labels.append(i % 2 == 0 ? 1 : 0)
        }
        let batch = EncoderBatch(batch: n, length: length, ids: ids, attentionMask: mask)
        let encoder = BertBackwardTests.randomEncoder(seed: 21)
        let t = BertClassifierTraining(encoder: encoder, classes: 2, dropout: BertDropoutRates(hidden: 0.1, attention: 0.1), seed: 1)
        let opt = BertFineTuneOptimizer(training: t, learningRate: 3e-3, headLearningRate: 1e-2, weightDecay: 0.01,
                                        schedule: LinearWarmupDecay(warmupSteps: 2, totalSteps: 25))
        let first = try t.forward(batch, labels: labels, training: false)
        for _ in 0..<25 {
            try t.forward(batch, labels: labels, training: true)
            t.backward()
            opt.step()
        }
        let last = try t.forward(batch, labels: labels, training: false)
        #expect(last < 0.5 * first, "loss \(first) → \(last)")
        print("separable text task: loss \(first) → \(last) in 25 steps")
        // The trained weights go back into the encoder by name and it encodes with them.
        t.write(to: encoder)
        #expect(encoder.namedParameters.allSatisfy { $0.tensor == t.parameter($0.name)!.value })
    }
}
