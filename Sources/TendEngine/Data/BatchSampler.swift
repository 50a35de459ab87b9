import TendCore
import TendTensor

/// Yields shuffled mini-batches of a data set, epoch after epoch, from a seeded generator.
/// The last batch of an epoch may be smaller. Reuses its batch buffers while the batch size is unchanged.
public struct BatchSampler: Sendable {
    public let batchSize: Int
    public private(set) var rng: SeededGenerator
    private var order: [Int] = []
    private var position = 0

    public init(batchSize: Int, rng: SeededGenerator) {
        precondition(batchSize > 0, "BatchSampler: batch size must be positive, got \(batchSize)")
        self.batchSize = batchSize
        self.rng = rng
    }

    /// Number of batches per epoch for `count` rows.
    public func batchesPerEpoch(_ count: Int) -> Int { (count + batchSize - 1) / batchSize }

    /// Starts an epoch: reshuffles the row order of `count` rows.
    public mutating func startEpoch(count: Int) {
        if order.count != count { order = Array(0..<count) } else { for i in 0..<count { order[i] = i } }
        rng.shuffle(&order)
        position = 0
    }

    /// Fills `x` and `y` with the next batch of `data`; returns false at the end of the epoch.
    public mutating func next(from data: Dataset, x: inout Tensor, y: inout [Int]) -> Bool {
        guard position < order.count else { return false }
        let n = min(batchSize, order.count - position)
        let d = data.featureCount
        if x.shape != Shape([n, d]) { x = Tensor(shape: [n, d]) }
        if y.count != n { y = [Int](repeating: 0, count: n) }
        data.features.storage.withUnsafeBufferPointer { src in
            x.storage.withUnsafeMutableBufferPointer { dst in
                for r in 0..<n {
                    let i = order[position + r]
                    let s = src.baseAddress! + i * d
                    (dst.baseAddress! + r * d).update(from: s, count: d)
                }
            }
        }
        for r in 0..<n { y[r] = data.labels[order[position + r]] }
        position += n
        return true
    }
}
