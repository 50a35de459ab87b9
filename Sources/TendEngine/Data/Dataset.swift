import TendTensor

/// A labelled table: `features` is [count, featureCount] Float, `labels[i]` the class of row i in 0..<classes.
public struct Dataset: Sendable {
    public var features: Tensor
    public var labels: [Int]
    public var classes: Int
    public var featureNames: [String]

    public init(features: Tensor, labels: [Int], classes: Int? = nil, featureNames: [String]? = nil) {
        precondition(features.rank == 2, "Dataset: features must be [rows, columns], got \(features.shape)")
        precondition(features.rows == labels.count, "Dataset: \(features.rows) feature rows but \(labels.count) labels")
        self.features = features
        self.labels = labels
        self.classes = classes ?? ((labels.max() ?? 0) + 1)
        self.featureNames = featureNames ?? (0..<features.cols).map { "x\($0)" }
    }

    public var count: Int { labels.count }
    public var featureCount: Int { features.cols }

    /// The rows at `indices`, in that order.
    public func subset(_ indices: [Int]) -> Dataset {
        let d = featureCount
        var out = [Float](repeating: 0, count: indices.count * d)
        features.storage.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for (r, i) in indices.enumerated() {
                    precondition(i >= 0 && i < count, "Dataset.subset: row \(i) out of 0..<\(count)")
                    for j in 0..<d { dst[r * d + j] = src[i * d + j] }
                }
            }
        }
        return Dataset(features: Tensor(shape: [indices.count, d], storage: out),
                       labels: indices.map { labels[$0] }, classes: classes, featureNames: featureNames)
    }

    /// Rows `range` (0-based, header not counted), in order.
    public func rows(_ range: Range<Int>) -> Dataset { subset(Array(range)) }
}
