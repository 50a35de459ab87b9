import Testing
import TendCore
import TendTensor
@testable import TendEngine

@Suite struct OptimizerTests {
    private func weight(_ v: [Float] = [1, 2]) -> Parameter {
        let p = Parameter(name: "fc1.weight", value: Tensor(shape: [1, v.count], storage: v))
        p.grad = Tensor(shape: [1, 2], storage: [0.5, -1])
        return p
    }

    private func close(_ p: Parameter, _ want: [Double], _ tol: Double = 1e-6) -> Bool {
        zip(p.value.storage, want).allSatisfy { abs(Double($0) - $1) < tol }
    }

    @Test func sgdStepsAlongNegativeGradient() {
        let p = weight()
        let opt = SGD(learningRate: 0.1)
        opt.step([p])
        #expect(close(p, [0.95, 2.1]))
        #expect(opt.stepCount == 1)
    }

    @Test func sgdMomentumAccumulatesVelocity() {
        let p = weight()
        let opt = SGD(learningRate: 0.1, momentum: 0.9)
        opt.step([p]); opt.step([p])
        #expect(close(p, [0.855, 2.29]))
        #expect(opt.stateTensors()["sgd.velocity.fc1.weight"]?.storage.map(Double.init).elementsEqual([0.95, -1.9], by: { abs($0 - $1) < 1e-6 }) == true)
    }

    @Test func sgdNesterovLooksAhead() {
        let p = weight()
        let opt = SGD(learningRate: 0.1, momentum: 0.9, nesterov: true)
        opt.step([p])
        #expect(close(p, [0.905, 2.19]))
        opt.step([p])
        #expect(close(p, [0.7695, 2.461]))
    }

    @Test func adamTwoStepsMatchHandComputation() {
        let p = weight()
        let opt = Adam(learningRate: 0.1)
        opt.step([p])
        #expect(close(p, [0.9, 2.1]))
        p.grad = Tensor(shape: [1, 2], storage: [-0.25, 0.5])
        opt.step([p])
        #expect(close(p, [0.873_366_298_7, 2.126_633_702_6]))
        #expect(Set(opt.stateTensors().keys) == ["adam.m.fc1.weight", "adam.v.fc1.weight"])
    }

    @Test func adamWDecaysWeightsDecoupled() {
        let p = weight()
        let opt = AdamW(learningRate: 0.1, weightDecay: 0.1)
        opt.step([p])
        #expect(close(p, [0.89, 2.08]))
        p.grad = Tensor(shape: [1, 2], storage: [-0.25, 0.5])
        opt.step([p])
        #expect(close(p, [0.854_466_298_7, 2.085_833_702_6]))
    }

    @Test func adamWIsAdamWithTheDecoupledDecayOption() {
        var g = SeededGenerator(seed: 9)
        let a = Parameter(name: "fc1.weight", value: GradientCheck.randomTensor([3, 5], &g))
        let b = a.copy()
        let bias = Parameter(name: "fc1.bias", value: GradientCheck.randomTensor([3], &g))
        let biasCopy = bias.copy()
        let w = AdamW(learningRate: 0.05, weightDecay: 0.2)
        let plain = Adam(learningRate: 0.05, weightDecay: 0.2)
        for _ in 0..<5 {
            a.grad = GradientCheck.randomTensor([3, 5], &g); b.grad = a.grad
            bias.grad = GradientCheck.randomTensor([3], &g); biasCopy.grad = bias.grad
            w.step([a, bias]); plain.step([b, biasCopy])
        }
        #expect(a.value == b.value)
        #expect(bias.value == biasCopy.value)
        #expect(w.l2 == 0 && w.weightDecay == 0.2)
        #expect(Set(w.stateTensors().keys).allSatisfy { $0.hasPrefix("adamw.") })
        #expect(Set(plain.stateTensors().keys).allSatisfy { $0.hasPrefix("adam.") })
    }

    @Test func l2AddsExactlyTwoLambdaWToWeightGradientsOnly() {
        let w = weight()
        let b = Parameter(name: "fc1.bias", value: Tensor(shape: [2], storage: [1, 2]))
        b.grad = Tensor(shape: [2], storage: [0.5, -1])
        SGD(learningRate: 0.1, l2: 0.5).step([w, b])
        // g' = g + 2·0.5·w = [1.5, 1] → w − 0.1·g'
        #expect(close(w, [0.85, 1.9]))
        #expect(close(b, [0.95, 2.1]))
        #expect(l2Penalty([weight(), b], lambda: 0.5) == 2.5)
        let a = weight()
        Adam(learningRate: 0.1, l2: 0.5).step([a])
        #expect(close(a, [0.9, 1.9]))
    }

    @Test func maskedWeightsStayExactlyZeroThroughAdamSteps() {
        var g = SeededGenerator(seed: 5)
        let p = Parameter(name: "fc1.weight", value: GradientCheck.randomTensor([8, 8], &g))
        p.mask = Tensor(shape: [8, 8], storage: (0..<64).map { $0 % 3 == 0 ? 0 : 1 })
        p.applyMask()
        for opt in [Adam(learningRate: 0.05, l2: 0.1), AdamW(learningRate: 0.05, weightDecay: 0.1)] as [Optimizer] {
            for _ in 0..<100 {
                p.grad = GradientCheck.randomTensor([8, 8], &g)
                opt.step([p])
            }
            for i in stride(from: 0, to: 64, by: 3) {
                #expect(p.value.storage[i] == 0)
                for (_, s) in opt.stateTensors() { #expect(s.storage[i] == 0) }
            }
            #expect(zeroCount(p.value) == 22)
        }
        let sgd = SGD(learningRate: 0.1, momentum: 0.9, nesterov: true, l2: 0.1)
        for _ in 0..<10 { p.grad = GradientCheck.randomTensor([8, 8], &g); sgd.step([p]) }
        #expect(zeroCount(p.value) == 22)
    }

    @Test func stateRoundTripsThroughTensors() throws {
        let p = weight()
        let a = Adam(learningRate: 0.1)
        a.step([p])
        let saved = a.stateTensors()
        let copy = weight([0.9, 2.1])
        let b = Adam(learningRate: 0.1)
        try b.loadState(saved, stepCount: a.stepCount)
        p.grad = Tensor(shape: [1, 2], storage: [-0.25, 0.5]); a.step([p])
        copy.grad = p.grad; b.step([copy])
        #expect(p.value == copy.value)
        #expect(throws: OptimizerStateError.unknownTensor(name: "sgd.velocity.fc1.weight")) {
            try b.loadState(["sgd.velocity.fc1.weight": Tensor(shape: [1, 2])], stepCount: 1)
        }
        #expect(throws: OptimizerStateError.shapeMismatch(name: "adam.m.fc1.weight", expected: [1, 2], found: [3])) {
            try b.loadState(["adam.m.fc1.weight": Tensor(shape: [3])], stepCount: 1)
        }
    }
}
