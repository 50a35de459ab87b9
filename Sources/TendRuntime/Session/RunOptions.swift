import Foundation
import TendEngine
import TendInterop

/// What a training run is set up from (the flags shared by `tend train` and `tend dashboard`): data, model,
/// optimizer, run directory. Plain values; the executable parses them.
public struct RunOptions: Sendable {
    /// CSV file with a header row (default Samples/digits.csv, or the resumed run's).
    public var data: String?
    /// Name of the integer label column (default label, or the resumed run's).
    public var label: String?
    /// Hidden layer widths, comma separated.
    public var hidden = "128,128"
    /// relu, gelu, tanh or sigmoid.
    public var activation = "relu"
    /// Dropout probability after each hidden layer.
    public var dropout: Float = 0
    /// LayerNorm after each hidden Dense layer.
    public var layerNorm = false
    /// Epochs to train.
    public var epochs = 30
    /// Mini-batch size.
    public var batch = 64
    /// sgd, adam or adamw.
    public var optimizer = "adam"
    /// Learning rate.
    public var lr: Float = 1e-3
    /// SGD momentum.
    public var momentum: Float = 0.9
    /// Nesterov momentum (SGD).
    public var nesterov = false
    /// AdamW decoupled weight decay.
    public var weightDecay: Float = 0.01
    /// L2 regularisation λ (adds λ·Σw² to the loss; SGD and Adam).
    public var l2: Float = 0
    /// Learning-rate schedule: constant, step:EVERY:GAMMA, cosine[:WARMUP].
    public var schedule = "constant"
    /// Clip gradients to this global norm.
    public var clipNorm: Float?
    /// Label smoothing for cross-entropy (0..1).
    public var labelSmoothing: Float = 0.1
    /// Feature normalisation fitted on the training split: none, standard, minmax, scale:K.
    public var normalize = "standard"
    /// Random seed (model init, split, shuffling; default 0, or the resumed run's).
    public var seed: UInt64?
    /// BLAS threads.
    public var threads = 2
    /// Fraction of rows for validation.
    public var valFraction = 0.15
    /// Fraction of rows for test.
    public var testFraction = 0.15
    /// Also validate every N steps.
    public var evalEvery: Int?
    /// Early stopping patience in evaluations (off when absent).
    public var patience: Int?
    /// Minimum validation-loss improvement for early stopping.
    public var minDelta: Float = 0
    /// With early stopping, keep the last weights instead of the best.
    public var noRestoreBest = false
    /// Run directory (default runs/<data>-<time>).
    public var out: String?
    /// Largest number of classes: labels must be integers 0..<maxClasses.
    public var maxClasses = LabelValidation.defaultMaxClasses
    /// Continue the run saved in this checkpoint.
    public var resume: String?
    /// Health rules file (default ./tend.rules when present; format in docs/RULES.md).
    public var rules: String?
    /// Latency SLO: alert when serving p99 exceeds this (5ms, 250us).
    public var sloP99: String?
    /// Sensitive column: excluded from the features; fairness per group each epoch.
    public var sensitive: String?
    /// Do not evaluate health rules or run the checks.
    public var noRules = false
    /// Seconds between writes of metrics.jsonl and the event file (they are also written before every checkpoint).
    public var flushSeconds = 1.0

    public init() {}

    public var dataPath: String { data ?? "Samples/digits.csv" }
    public var labelColumn: String { label ?? "label" }
    public var splitSeed: UInt64 { seed ?? 0 }
    /// Write metrics every 2 s (atomically) to this file in Prometheus text format, for node_exporter's textfile collector.
    public var promTextfile: String?

    /// The run directory to use.
    public func runDirectory() -> String {
        if let out { return out }
        if let resume {
            // runs/NAME/checkpoints/epoch-0003.safetensors → runs/NAME
            let dir = ((resume as NSString).deletingLastPathComponent as NSString)
            if dir.lastPathComponent == "checkpoints" { return dir.deletingLastPathComponent }
        }
        let stem = ((dataPath as NSString).lastPathComponent as NSString).deletingPathExtension
        let f = DateFormatter(); f.dateFormat = "yyyyMMdd-HHmmss"; f.timeZone = TimeZone(identifier: "UTC")
        return "runs/\(stem)-\(f.string(from: Date()))"
    }

    /// A training configuration for `inputs` features and `classes` classes.
    public func config(inputs: Int, classes: Int, trainRows: Int) throws -> TrainConfig {
        guard let act = Activation(rawValue: activation.lowercased()) else {
            throw OptionError.invalid(option: "--activation", value: activation, expected: "relu, gelu, tanh or sigmoid")
        }
        guard let opt = OptimizerKind(rawValue: optimizer.lowercased()) else {
            throw OptionError.invalid(option: "--optimizer", value: optimizer, expected: "sgd, adam or adamw")
        }
        guard let norm = NormalizationKind(parsing: normalize) else {
            throw OptionError.invalid(option: "--normalize", value: normalize, expected: "none, standard, minmax or scale:K")
        }
        guard epochs > 0, batch > 0 else { throw OptionError.outOfRange(options: "--epochs and --batch", requirement: "must be positive") }
        guard (0..<1).contains(dropout) else { throw OptionError.invalid(option: "--dropout", value: "\(dropout)", expected: "0 ≤ p < 1") }
        guard lr > 0, lr.isFinite else { throw OptionError.invalid(option: "--lr", value: "\(lr)", expected: "a finite number > 0") }
        guard (0..<1).contains(labelSmoothing) else {
            throw OptionError.invalid(option: "--label-smoothing", value: "\(labelSmoothing)", expected: "0 ≤ ε < 1")
        }
        guard l2 >= 0, weightDecay >= 0 else { throw OptionError.outOfRange(options: "--l2 and --weight-decay", requirement: "must be ≥ 0") }
        guard !(nesterov && opt == .sgd && momentum <= 0) else {
            throw OptionError.rejected(option: "--nesterov", value: "", reason: "needs a positive --momentum (it is \(momentum))")
        }
        guard inputs > 0 else { throw DataError.noFeatureColumns(path: dataPath, labelColumn: labelColumn) }
        let sizes = [inputs] + (try parseWidths(hidden, what: "--hidden")) + [classes]
        var c = TrainConfig(layout: MLPLayout(sizes: sizes, activation: act, dropout: dropout, layerNorm: layerNorm))
        c.epochs = epochs
        c.batchSize = batch
        c.optimizer = opt
        c.learningRate = lr
        c.momentum = momentum
        c.nesterov = nesterov
        c.weightDecay = weightDecay
        c.l2 = l2
        let stepsPerEpoch = (trainRows + batch - 1) / batch
        c.schedule = try parseSchedule(schedule, totalSteps: stepsPerEpoch * epochs)
        c.clipNorm = clipNorm
        c.labelSmoothing = labelSmoothing
        c.normalization = norm
        c.seed = splitSeed
        c.evalEverySteps = evalEvery
        if let patience { c.earlyStopping = EarlyStopping(patience: patience, minDelta: minDelta, restoreBest: !noRestoreBest) }
        return c
    }

    public func fractions() throws -> SplitFractions {
        guard valFraction >= 0, testFraction >= 0, valFraction + testFraction < 1 else {
            throw OptionError.fractionsLeaveNoTraining
        }
        return SplitFractions(train: 1 - valFraction - testFraction, validation: valFraction, test: testFraction)
    }
}
