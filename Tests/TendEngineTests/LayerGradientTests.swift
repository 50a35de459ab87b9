import Testing
import TendCore
import TendTensor
@testable import TendEngine

@Suite struct LayerGradientTests {
    @Test func denseBackwardMatchesFiniteDifferences() {
        var g = SeededGenerator(seed: 11)
        let dense = Dense(name: "fc1", inputs: 5, outputs: 4, initialization: .he, generator: &g)
        dense.bias.value = GradientCheck.randomTensor([4], &g)
        let x = GradientCheck.randomTensor([3, 5], &g)
        #expect(GradientCheck.check(dense, input: x) < 1e-3)
    }

    @Test func denseWithoutInputGradientStillFillsParameterGradients() {
        var g = SeededGenerator(seed: 12)
        let dense = Dense(name: "fc1", inputs: 3, outputs: 2, initialization: .xavier, generator: &g)
        dense.computesInputGradient = false
        _ = dense.forward(GradientCheck.randomTensor([4, 3], &g), training: true)
        #expect(dense.backward(Tensor(shape: [4, 2], repeating: 1)).count == 0)
        #expect(dense.bias.grad.storage == [4, 4])
    }

    @Test func reluBackwardMatchesFiniteDifferences() {
        var g = SeededGenerator(seed: 13)
        let x = GradientCheck.randomTensor([4, 6], &g, awayFromZero: 0.05)
        #expect(GradientCheck.check(ReLU(), input: x) < 1e-3)
    }

    @Test func geluBackwardMatchesFiniteDifferences() {
        var g = SeededGenerator(seed: 14)
        #expect(GradientCheck.check(GELU(), input: GradientCheck.randomTensor([4, 6], &g, scale: 2)) < 1e-3)
    }

    @Test func tanhBackwardMatchesFiniteDifferences() {
        var g = SeededGenerator(seed: 15)
        #expect(GradientCheck.check(Tanh(), input: GradientCheck.randomTensor([4, 6], &g)) < 1e-3)
    }

    @Test func sigmoidBackwardMatchesFiniteDifferences() {
        var g = SeededGenerator(seed: 16)
        #expect(GradientCheck.check(Sigmoid(), input: GradientCheck.randomTensor([4, 6], &g, scale: 2)) < 1e-3)
    }

    @Test func layerNormBackwardMatchesFiniteDifferences() {
        var g = SeededGenerator(seed: 17)
        let ln = LayerNorm(name: "ln1", features: 6)
        ln.gamma.value = GradientCheck.randomTensor([6], &g)
        ln.beta.value = GradientCheck.randomTensor([6], &g)
        #expect(GradientCheck.check(ln, input: GradientCheck.randomTensor([3, 6], &g)) < 1e-3)
    }

    @Test func dropoutWithFixedMaskBackwardMatchesFiniteDifferences() {
        var g = SeededGenerator(seed: 18)
        let d = Dropout(rate: 0.5, seed: 3)
        d.freezesMask = true
        let x = GradientCheck.randomTensor([4, 8], &g)
        _ = d.forward(x, training: true)
        #expect(GradientCheck.check(d, input: x) < 1e-3)
        #expect(zeroCount(d.mask) > 0 && zeroCount(d.mask) < 32)
    }

    @Test func dropoutIsIdentityInEvaluationAndScalesSurvivors() {
        let d = Dropout(rate: 0.25, seed: 9)
        let x = Tensor(shape: [100, 100], repeating: 1)
        #expect(d.forward(x, training: false) == x)
        let y = d.forward(x, training: true)
        let kept = y.storage.filter { $0 != 0 }
        #expect(kept.allSatisfy { abs($0 - 4.0 / 3.0) < 1e-6 })
        #expect(abs(Double(kept.count) / 10_000 - 0.75) < 0.02)
    }

    @Test func wrongDerivativeIsCaught() {
        // A layer whose backward is deliberately off by 1% must fail the check, so the check can fail.
        final class Broken: Layer {
            let inner = Tanh()
            var parameters: [Parameter] { [] }
            func forward(_ x: Tensor, training: Bool) -> Tensor { inner.forward(x, training: training) }
            func backward(_ gradOut: Tensor) -> Tensor { 1.01 * inner.backward(gradOut) }
        }
        var g = SeededGenerator(seed: 19)
        #expect(GradientCheck.check(Broken(), input: GradientCheck.randomTensor([3, 4], &g)) > 1e-3)
    }
}
