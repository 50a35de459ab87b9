import Foundation

/// Which optimizer a run uses.
public enum OptimizerKind: String, Codable, Sendable, CaseIterable {
    case sgd, adam, adamw
}

/// Early stopping on validation loss: stop after `patience` evaluations without an improvement of at
/// least `minDelta`; optionally restore the best weights at the end.
public struct EarlyStopping: Codable, Sendable, Equatable {
    public var patience: Int
    public var minDelta: Float
    public var restoreBest: Bool
    public init(patience: Int, minDelta: Float = 0, restoreBest: Bool = true) {
        self.patience = patience; self.minDelta = minDelta; self.restoreBest = restoreBest
    }
}

/// Everything that determines a training run (stored in every checkpoint's metadata).
/// Stored as JSON under `Checkpoint.Key.config`; `decode(json:)` also reads format-1 configs.
public struct TrainConfig: Codable, Sendable, Equatable {
    /// The model to train (family and settings).
    public var architecture: Architecture
    public var epochs: Int = 30
    public var batchSize: Int = 64
    public var optimizer: OptimizerKind = .adam
    public var learningRate: Float = 1e-3
    /// SGD momentum (0 = plain SGD).
    public var momentum: Float = 0.9
    public var nesterov: Bool = false
    /// AdamW's decoupled weight decay.
    public var weightDecay: Float = 0.01
    /// L2 regularisation λ: adds λ·Σw² to the loss and 2λw to weight gradients (SGD/Adam).
    public var l2: Float = 0
    public var schedule: LRSchedule = .constant
    /// Clip gradients to this global L2 norm (nil: no clipping).
    public var clipNorm: Float? = nil
    public var labelSmoothing: Float = 0
    public var seed: UInt64 = 0
    /// Also evaluate on validation every this many steps (nil: only at epoch ends).
    public var evalEverySteps: Int? = nil
    public var earlyStopping: EarlyStopping? = nil
    public var normalization: NormalizationKind = .standard
    /// Steps between `train/loss` points published to the sink (1 = every step).
    public var logEverySteps: Int = 1
    /// Magnitude pruning during training (nil: none); applied after each optimizer step.
    public var pruning: PruningConfig? = nil

    public init(architecture: Architecture) { self.architecture = architecture }

    /// A multilayer-perceptron run (what the CLI's layout options give).
    public init(layout: MLPLayout) { self.architecture = .mlp(layout) }

    /// The `MLPLayout` of an mlp-family run (nil for another family); setting it makes the run an mlp run.
    public var layout: MLPLayout? {
        get { architecture.mlpLayout }
        set { if let newValue { architecture = .mlp(newValue) } }
    }
}

extension TrainConfig {
    /// Reads a config as checkpoint metadata stores it: format 2 (`"architecture"`, a tagged record)
    /// or format 1 (an `MLPLayout` under `"layout"`, which `Architecture` decodes as `.mlp`).
    public static func decode(json text: String) throws -> TrainConfig {
        var text = text
        // Format 1 is machine-written sorted-keys JSON whose only "layout" key is the top-level one.
        if !text.contains("\"architecture\":"), let r = text.range(of: "\"layout\":") {
            text.replaceSubrange(r, with: "\"architecture\":")
        }
        return try JSONDecoder().decode(TrainConfig.self, from: Data(text.utf8))
    }
}
