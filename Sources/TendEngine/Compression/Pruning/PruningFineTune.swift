import TendCore
import TendTensor

/// Recovers accuracy after pruning: a few epochs of Adam on `data` (already normalised) that keep
/// every masked weight at 0 (the optimizer honours `Parameter.mask`). Returns the mean training
/// loss of each epoch.
public enum PruningFineTune {
    @discardableResult
    public static func run(_ model: any Model, on data: Dataset, epochs: Int, learningRate: Float = 1e-3,
                           batchSize: Int = 64, seed: UInt64 = 0) -> [Double] {
        guard epochs > 0, data.count > 0 else { return [] }
        let adam = Adam(learningRate: learningRate)
        var sampler = BatchSampler(batchSize: min(batchSize, data.count), rng: SeededGenerator(seed: seed &+ 0xF1E7))
        var x = Tensor(shape: [sampler.batchSize, data.featureCount])
        var y = [Int](repeating: 0, count: sampler.batchSize)
        var losses: [Double] = []
        for _ in 0..<epochs {
            sampler.startEpoch(count: data.count)
            var sum = 0.0, seen = 0
            while sampler.next(from: data, x: &x, y: &y) {
                let logits = model.forward(x, training: true)
                let (loss, grad) = softmaxCrossEntropy(logits: logits, labels: y)
                model.backward(grad)
                adam.step(model.parameters)
                sum += Double(loss) * Double(y.count); seen += y.count
            }
            losses.append(seen > 0 ? sum / Double(seen) : .nan)
        }
        return losses
    }
}
