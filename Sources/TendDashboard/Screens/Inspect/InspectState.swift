import TendMetrics

/// Where the user is on the `tend inspect` screen: the selected row, the tensor filter, the sort key and the
/// what-if candidate (pruning by a threshold τ or a target sparsity, int8 quantization, which int figures to
/// show). τ moves over fine-bin edges (8 per octave) so per-tensor sparsity at τ is exact from the scan.
public struct InspectState: Sendable, Equatable {
    public enum SortKey: String, CaseIterable, Sendable { case file, name, parameters, sparsity, sqnr }
    public enum PruneMode: Sendable, Equatable { case threshold, sparsity }
    public enum Overlay: Sendable, Equatable { case none, help }

    public var selected = 0
    public var scroll = 0
    public var filter = ""
    public var editingFilter = false
    public var sort: SortKey = .file
    public var mode: PruneMode = .threshold
    /// τ as a fine-bin index: weights with |w| < InspectMagnitude.edge(thresholdBin) are pruned.
    public var thresholdBin: Int
    public var targetSparsity = 0.5
    /// Whether `w` prunes / quantizes to int8.
    public var prune = true
    public var quantize = false
    /// Show int4 per-group figures instead of int8 per-channel.
    public var showInt4 = false
    public var overlay: Overlay = .none

    public static let sparsitySteps = (small: 0.01, big: 0.1)
    public static let maxSparsity = 0.99
    public static let binSteps = (small: 1, big: 8)

    public init(threshold: Double = 1e-3) {
        thresholdBin = InspectMagnitude.nearestEdge(threshold)
    }

    public var threshold: Double { InspectMagnitude.edge(thresholdBin) }

    /// Moves τ or the target sparsity one small or big step (`direction` −1 or +1), clamped.
    public mutating func move(_ direction: Int, big: Bool) {
        switch mode {
        case .threshold:
            let step = big ? Self.binSteps.big : Self.binSteps.small
            thresholdBin = min(InspectMagnitude.nonFiniteStart, max(0, thresholdBin + direction * step))
        case .sparsity:
            let step = big ? Self.sparsitySteps.big : Self.sparsitySteps.small
            targetSparsity = min(Self.maxSparsity, max(0, ((targetSparsity + Double(direction) * step) * 1e4).rounded() / 1e4))
        }
    }
}
