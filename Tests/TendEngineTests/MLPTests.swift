import Testing
import TendCore
import TendTensor
@testable import TendEngine

@Suite struct MLPTests {
    @Test func namesParametersLikePyTorch() throws {
        let m = try MLP(layout: MLPLayout(sizes: [4, 8, 6, 3], activation: .relu, dropout: 0.1, layerNorm: true), seed: 1)
        #expect(m.parameters.map(\.name) == ["fc1.weight", "fc1.bias", "ln1.weight", "ln1.bias",
                                            "fc2.weight", "fc2.bias", "ln2.weight", "ln2.bias",
                                            "fc3.weight", "fc3.bias"])
        #expect(m.parameters[0].value.shape == Shape([8, 4]))
        #expect(m.parameterCount == 8 * 4 + 8 + 16 + 6 * 8 + 6 + 12 + 3 * 6 + 3)
        #expect(m.namedTensors().map(\.0) == m.parameters.map(\.name))
    }

    @Test(arguments: [Activation.gelu, .tanh, .sigmoid])
    func wholeMLPBackwardMatchesFiniteDifferences(_ activation: Activation) throws {
        let m = try MLP(layout: MLPLayout(sizes: [5, 7, 6, 3], activation: activation, dropout: 0.2, layerNorm: true), seed: 4)
        var g = SeededGenerator(seed: 8)
        for p in m.parameters where !p.isDecayed { p.value = GradientCheck.randomTensor(p.value.shape.dims, &g, scale: 0.5) }
        let x = GradientCheck.randomTensor([4, 5], &g)
        let labels = [0, 2, 1, 2]
        _ = m.forward(x, training: true)
        for case let d as Dropout in m.layers { d.freezesMask = true }
        let (_, grad) = softmaxCrossEntropy(logits: m.forward(x, training: true), labels: labels)
        m.backward(grad)
        for p in m.parameters {
            let analytic = p.grad
            let numeric = GradientCheck.numeric(p.value, set: { p.value = $0 }, loss: {
                Double(softmaxCrossEntropy(logits: m.forward(x, training: true), labels: labels).loss)
            })
            let err = GradientCheck.relativeError(analytic, numeric)
            #expect(err < 1e-3, "\(p.name): relative error \(err)")
        }
    }

    @Test func trainingReducesLossOnASeparableProblem() throws {
        let m = try MLP(layout: MLPLayout(sizes: [2, 16, 2], activation: .relu), seed: 3)
        var g = SeededGenerator(seed: 2)
        let x = GradientCheck.randomTensor([64, 2], &g)
        let labels = (0..<64).map { x[$0, 0] * x[$0, 1] > 0 ? 1 : 0 }
        let opt = Adam(learningRate: 0.05)
        var first: Float = 0, last: Float = 0
        for i in 0..<300 {
            let (loss, grad) = softmaxCrossEntropy(logits: m.forward(x, training: true), labels: labels)
            if i == 0 { first = loss }
            last = loss
            m.backward(grad)
            opt.step(m.parameters)
        }
        #expect(last < first * 0.3)
        let acc = ClassificationReport(predictions: argmaxRows(m.predict(x)), labels: labels, classes: 2).accuracy
        #expect(acc > 0.9)
    }

    @Test func loadValidatesAndCopyIsDeep() throws {
        let layout = MLPLayout(sizes: [3, 4, 2], activation: .tanh)
        let a = try MLP(layout: layout, seed: 1), b = try MLP(layout: layout, seed: 2)
        #expect(a.parameters[0].value != b.parameters[0].value)
        try b.load(Dictionary(uniqueKeysWithValues: a.namedTensors()))
        let x = Tensor(rows: [[1, 2, 3]])
        #expect(a.predict(x) == b.predict(x))
        var missing = Dictionary(uniqueKeysWithValues: a.namedTensors())
        missing["fc2.bias"] = nil
        #expect(throws: ModelLoadError.missingTensor(name: "fc2.bias")) { try b.load(missing) }
        missing["fc2.bias"] = Tensor(shape: [3])
        #expect(throws: ModelLoadError.shapeMismatch(name: "fc2.bias", expected: [2], found: [3])) { try b.load(missing) }

        let snapshot = a.copy()
        a.parameters[0].value.fill(0)
        #expect(snapshot.parameters[0].value != a.parameters[0].value)
        #expect(snapshot.predict(x) == b.predict(x))
    }

    @Test func appliedMaskSurvivesTraining() throws {
        let m = try MLP(layout: MLPLayout(sizes: [4, 6, 2]), seed: 1)
        let w = m.parameters[0]
        w.mask = Tensor(shape: w.value.shape, storage: (0..<w.count).map { $0 < 12 ? 0 : 1 })
        w.applyMask()
        var g = SeededGenerator(seed: 3)
        let x = GradientCheck.randomTensor([8, 4], &g)
        let opt = AdamW(learningRate: 0.01)
        for _ in 0..<20 {
            let (_, grad) = softmaxCrossEntropy(logits: m.forward(x, training: true), labels: Array(repeating: 1, count: 8))
            m.backward(grad)
            opt.step(m.parameters)
        }
        #expect(w.value.storage[0..<12].allSatisfy { $0 == 0 })
    }
}

@Suite struct BufferReuseTests {
    private func address(_ t: Tensor) -> UnsafePointer<Float>? { t.withUnsafeBufferPointer { $0.baseAddress } }

    @Test func trainingStepReusesEveryBuffer() throws {
        let m = try MLP(layout: MLPLayout(sizes: [8, 16, 16, 4], activation: .gelu, dropout: 0.1, layerNorm: true), seed: 1)
        var g = SeededGenerator(seed: 1)
        let x = GradientCheck.randomTensor([5, 8], &g)
        let labels = [0, 1, 2, 3, 0]
        let opt = Adam()
        var grad = Tensor.empty
        func step() -> UnsafePointer<Float>? {
            let logits = m.forward(x, training: true)
            let a = address(logits)
            _ = softmaxCrossEntropy(logits: logits, labels: labels, gradInto: &grad)
            m.backward(grad)
            opt.step(m.parameters)
            return a
        }
        let firstLogits = step()
        let values = m.parameters.map { address($0.value) }
        let grads = m.parameters.map { address($0.grad) }
        let state = opt.stateTensors().mapValues(address)
        let gradAddress = address(grad)
        #expect(step() == firstLogits)
        #expect(m.parameters.map { address($0.value) } == values)
        #expect(m.parameters.map { address($0.grad) } == grads)
        #expect(opt.stateTensors().mapValues(address) == state)
        #expect(address(grad) == gradAddress)
    }

    @Test func handlesChangingBatchSizes() throws {
        let layout = MLPLayout(sizes: [3, 5, 2], activation: .tanh, dropout: 0.2, layerNorm: true)
        let m = try MLP(layout: layout, seed: 2), reference = m.copy()
        var g = SeededGenerator(seed: 4)
        let opt = SGD(learningRate: 0.1)
        for batch in [4, 1, 7, 4] {
            let x = GradientCheck.randomTensor([batch, 3], &g)
            let (_, grad) = softmaxCrossEntropy(logits: m.forward(x, training: true), labels: Array(repeating: 1, count: batch))
            m.backward(grad)
            #expect(m.parameters.allSatisfy { $0.grad.shape == $0.value.shape })
            opt.step(m.parameters)
            // Evaluation of a batch equals evaluation row by row.
            let full = reference.predict(x)
            for r in 0..<batch {
                let single = reference.predict(x.sliceRows(r..<(r + 1))).row(0)
                #expect(zip(single, full.row(r)).allSatisfy { abs($0 - $1) < 1e-6 })
            }
        }
    }

    @Test func optimizerConfigBuildsTheNamedOptimizer() throws {
        let c = OptimizerConfig.adamW(learningRate: 0.01, weightDecay: 0.1)
        #expect(c.make() is AdamW)
        #expect(c.learningRate == 0.01 && c.l2 == 0)
        #expect(OptimizerConfig.sgd(learningRate: 0.1, momentum: 0.9).make() is SGD)
        let data = try JSONEncoder().encode(c)
        #expect(try JSONDecoder().decode(OptimizerConfig.self, from: data) == c)
    }
}

import Foundation
