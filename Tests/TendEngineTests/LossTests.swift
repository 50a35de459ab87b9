import Testing
import Foundation
import TendCore
import TendTensor
@testable import TendEngine

@Suite struct LossTests {
    private func checkLoss(_ logits: Tensor, _ f: (Tensor) -> (loss: Float, grad: Tensor)) -> Double {
        let analytic = f(logits).grad
        var z = logits
        let numeric = GradientCheck.numeric(logits, set: { z = $0 }, loss: { Double(f(z).loss) })
        return GradientCheck.relativeError(analytic, numeric)
    }

    @Test func softmaxCrossEntropyGradientMatchesFiniteDifferences() {
        var g = SeededGenerator(seed: 21)
        let logits = GradientCheck.randomTensor([4, 5], &g, scale: 2)
        let labels = [0, 3, 4, 1]
        #expect(checkLoss(logits) { softmaxCrossEntropy(logits: $0, labels: labels) } < 1e-3)
        #expect(checkLoss(logits) { softmaxCrossEntropy(logits: $0, labels: labels, labelSmoothing: 0.1) } < 1e-3)
    }

    @Test func softmaxCrossEntropyHandComputed() {
        // logits [0, ln 3] → p = [1/4, 3/4]; label 1 → loss = −ln(3/4).
        let logits = Tensor(rows: [[0, Float(log(3.0))]])
        let (loss, grad) = softmaxCrossEntropy(logits: logits, labels: [1])
        #expect(abs(Double(loss) + log(0.75)) < 1e-6)
        #expect(abs(grad[0, 0] - 0.25) < 1e-6 && abs(grad[0, 1] + 0.25) < 1e-6)
        // Smoothing 0.2 over 2 classes: target [0.1, 0.9].
        let smoothed = softmaxCrossEntropy(logits: logits, labels: [1], labelSmoothing: 0.2)
        #expect(abs(Double(smoothed.loss) - (-0.1 * log(0.25) - 0.9 * log(0.75))) < 1e-6)
        #expect(abs(smoothed.grad[0, 0] - 0.15) < 1e-6)
    }

    @Test func softmaxCrossEntropyIsStableForHugeLogits() {
        let (loss, grad) = softmaxCrossEntropy(logits: Tensor(rows: [[1e4, -1e4]]), labels: [1])
        #expect(abs(loss - 2e4) < 1)
        #expect(grad.storage.allSatisfy { $0.isFinite })
    }

    @Test func binaryCrossEntropyGradientMatchesFiniteDifferences() {
        var g = SeededGenerator(seed: 22)
        let logits = GradientCheck.randomTensor([6, 1], &g, scale: 2)
        let targets = Tensor(shape: [6, 1], storage: [0, 1, 1, 0, 1, 0])
        #expect(checkLoss(logits) { binaryCrossEntropyWithLogits(logits: $0, targets: targets) } < 1e-3)
        let big = binaryCrossEntropyWithLogits(logits: Tensor(rows: [[100], [-100]]), targets: Tensor(rows: [[0], [1]]))
        #expect(abs(big.loss - 100) < 1e-3)
        let zero = binaryCrossEntropyWithLogits(logits: Tensor(rows: [[0]]), targets: Tensor(rows: [[1]]))
        #expect(abs(Double(zero.loss) - log(2.0)) < 1e-6 && abs(zero.grad[0, 0] + 0.5) < 1e-6)
    }

    @Test func meanSquaredErrorGradientMatchesFiniteDifferences() {
        var g = SeededGenerator(seed: 23)
        let p = GradientCheck.randomTensor([3, 2], &g)
        let t = GradientCheck.randomTensor([3, 2], &g)
        #expect(checkLoss(p) { meanSquaredError(predictions: $0, targets: t) } < 1e-3)
        let hand = meanSquaredError(predictions: Tensor(rows: [[1, 2]]), targets: Tensor(rows: [[0, 4]]))
        #expect(hand.loss == 2.5)
        #expect(hand.grad == Tensor(rows: [[1, -2]]))
    }

    @Test func logLossMatchesHandComputation() {
        let p = Tensor(rows: [[0.5, 0.5], [0.1, 0.9]])
        #expect(abs(logLoss(probabilities: p, labels: [0, 1]) - (-log(0.5) - log(0.9)) / 2) < 1e-7)
        #expect(logLoss(probabilities: Tensor(rows: [[1, 0]]), labels: [1]) < 35)
    }
}
