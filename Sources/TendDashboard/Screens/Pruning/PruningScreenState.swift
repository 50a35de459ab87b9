import TendCore
import TendMetrics

/// The what-if pruning screen's position: mode, τ (weight units, ≥ 0), target sparsity (0...0.99), scope.
/// The preview shown is whatever the executable last published for `request`.
public struct PruningScreenState: Sendable, Equatable {
    public var mode: PruningRequest.Mode = .threshold
    public var threshold: Double = 0
    public var sparsity: Double = 0
    public var global = true
    /// Epochs `r` fine-tunes after committing, with the masks fixed.
    public var fineTuneEpochs = 3

    public static let thresholdSteps = (small: 0.005, big: 0.05)
    public static let sparsitySteps = (small: 0.01, big: 0.1)
    public static let maxSparsity = 0.99

    public init() {}

    /// The candidate at the current position.
    public var request: PruningRequest {
        PruningRequest(mode: mode, value: mode == .threshold ? threshold : sparsity, global: global)
    }

    /// Moves τ or the target sparsity by one small or big step (`direction` −1 or +1), rounded and clamped.
    public mutating func move(_ direction: Int, big: Bool) {
        switch mode {
        case .threshold:
            let step = big ? Self.thresholdSteps.big : Self.thresholdSteps.small
            threshold = max(0, ((threshold + Double(direction) * step) * 1e4).rounded() / 1e4)
        case .sparsity:
            let step = big ? Self.sparsitySteps.big : Self.sparsitySteps.small
            sparsity = min(Self.maxSparsity, max(0, ((sparsity + Double(direction) * step) * 1e4).rounded() / 1e4))
        }
    }

    var previewCommand: EngineCommand {
        mode == .threshold ? .previewPrune(threshold: threshold, sparsity: nil, global: global)
            : .previewPrune(threshold: nil, sparsity: sparsity, global: global)
    }

    func commitCommand(epochs: Int) -> EngineCommand {
        mode == .threshold ? .pruneAndFineTune(threshold: threshold, sparsity: nil, global: global, epochs: epochs)
            : .pruneAndFineTune(threshold: nil, sparsity: sparsity, global: global, epochs: epochs)
    }
}
