import Testing
import TendCore
import TendTensor
@testable import TendEngine

/// With label smoothing, the trainer records the plain cross-entropy (`train/cross_entropy`) beside the
/// smoothed loss it minimises (`train/loss`, unchanged), so train and validation loss compare.
@Suite struct LabelSmoothingLossTests {
    @Test func crossEntropyOutputIsTheUnsmoothedLoss() {
        let logits = Tensor(shape: [3, 4], storage: [2, 0, -1, 0.5, 0, 3, 0, 0, 1, 1, 1, 1])
        let labels = [0, 1, 3]
        var grad = Tensor.empty, plain: Float = 0
        let smoothed = softmaxCrossEntropy(logits: logits, labels: labels, labelSmoothing: 0.1, gradInto: &grad, crossEntropy: &plain)
        let reference = softmaxCrossEntropy(logits: logits, labels: labels).loss
        #expect(abs(plain - reference) < 1e-6)
        #expect(smoothed > plain)   // the smoothing term only adds
        #expect(abs(smoothed - softmaxCrossEntropy(logits: logits, labels: labels, labelSmoothing: 0.1).loss) < 1e-7)
    }

    @Test func trainerRecordsCrossEntropyBesideTheSmoothedLossOnlyWhenSmoothing() throws {
        let split = DataSplit(blobs(rows: 200, seed: 4), seed: 0)
        var c = smallConfig(epochs: 3)
        c.labelSmoothing = 0.1
        let sink = RecordingSink()
        try Trainer(config: c, data: split, sink: sink).run()
        let loss = sink.points.filter { $0.key == .trainLoss }
        let ce = sink.points.filter { $0.key == .trainCrossEntropy }
        #expect(!ce.isEmpty && ce.count == loss.count)
        #expect(zip(loss, ce).allSatisfy { $0.step == $1.step && $1.value < $0.value })
        // Fitted: the plain train CE ends near val loss, the smoothed loss well above it.
        let val = try #require(sink.points.last { $0.key == .valLoss }?.value)
        let tailCE = ce.suffix(5).map(\.value).reduce(0, +) / 5
        let tailLoss = loss.suffix(5).map(\.value).reduce(0, +) / 5
        #expect(abs(tailCE - val) < abs(tailLoss - val), "CE \(tailCE), smoothed \(tailLoss), val \(val)")

        let plainSink = RecordingSink()
        c.labelSmoothing = 0
        try Trainer(config: c, data: split, sink: plainSink).run()
        #expect(!plainSink.keys.contains(.trainCrossEntropy))   // train/loss is already the cross-entropy
    }
}
