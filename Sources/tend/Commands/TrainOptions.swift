import ArgumentParser
import Foundation
import TendEngine

/// Flags shared by `tend train` and `tend dashboard`: data, model, optimizer, run directory.
struct TrainOptions: ParsableArguments {
    @Option(help: "CSV file with a header row (default Samples/digits.csv, or the resumed run's).") var data: String?
    @Option(help: "Name of the integer label column (default label, or the resumed run's).") var label: String?
    @Option(help: "Hidden layer widths, comma separated.") var hidden = "128,128"
    @Option(help: "relu, gelu, tanh or sigmoid.") var activation = "relu"
    @Option(help: "Dropout probability after each hidden layer.") var dropout: Float = 0
    @Flag(help: "LayerNorm after each hidden Dense layer.") var layerNorm = false
    @Option(help: "Epochs to train.") var epochs = 30
    @Option(help: "Mini-batch size.") var batch = 64
    @Option(help: "sgd, adam or adamw.") var optimizer = "adam"
    @Option(help: "Learning rate.") var lr: Float = 1e-3
    @Option(help: "SGD momentum.") var momentum: Float = 0.9
    @Flag(help: "Nesterov momentum (SGD).") var nesterov = false
    @Option(help: "AdamW decoupled weight decay.") var weightDecay: Float = 0.01
    @Option(help: "L2 regularisation λ (adds λ·Σw² to the loss; SGD and Adam).") var l2: Float = 0
    @Option(help: "Learning-rate schedule: constant, step:EVERY:GAMMA, cosine[:WARMUP].") var schedule = "constant"
    @Option(help: "Clip gradients to this global norm.") var clipNorm: Float?
    @Option(help: "Label smoothing for cross-entropy (0..1).") var labelSmoothing: Float = 0.1
    @Option(help: "Feature normalisation fitted on the training split: none, standard, minmax, scale:K.") var normalize = "standard"
    @Option(help: "Random seed (model init, split, shuffling; default 0, or the resumed run's).") var seed: UInt64?
    @Option(help: "BLAS threads.") var threads = 2
    @Option(help: "Fraction of rows for validation.") var valFraction = 0.15
    @Option(help: "Fraction of rows for test.") var testFraction = 0.15
    @Option(help: "Also validate every N steps.") var evalEvery: Int?
    @Option(help: "Early stopping patience in evaluations (off when absent).") var patience: Int?
    @Option(help: "Minimum validation-loss improvement for early stopping.") var minDelta: Float = 0
    @Flag(help: "With early stopping, keep the last weights instead of the best.") var noRestoreBest = false
    @Option(help: "Run directory (default runs/<data>-<time>).") var out: String?
    @Option(help: "Continue the run saved in this checkpoint.") var resume: String?
    @Option(help: "Health rules file (default ./tend.rules when present; format in docs/RULES.md).") var rules: String?
    @Option(help: "Latency SLO: alert when serving p99 exceeds this (5ms, 250us).") var sloP99: String?
    @Option(help: "Sensitive column: excluded from the features; fairness per group each epoch.") var sensitive: String?
    @Flag(help: "Do not evaluate health rules or run the checks.") var noRules = false
    @Option(help: "Largest number of classes: labels must be integers 0..<N (a label of N or more is an error naming its line).")
    var maxClasses = 1000

    func validate() throws {
        guard maxClasses >= 1 else { throw ValidationError("--max-classes \(maxClasses): must be at least 1") }
    }

    var dataPath: String { data ?? "Samples/digits.csv" }
    var labelColumn: String { label ?? "label" }
    var splitSeed: UInt64 { seed ?? 0 }
    @Option(help: "Write metrics every 2 s (atomically) to this file in Prometheus text format, for node_exporter's textfile collector.")
    var promTextfile: String?

    /// The run directory to use.
    func runDirectory() -> String {
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
    func config(inputs: Int, classes: Int, trainRows: Int) throws -> TrainConfig {
        guard let act = Activation(rawValue: activation.lowercased()) else {
            throw CLIError("--activation \(activation): expected relu, gelu, tanh or sigmoid")
        }
        guard let opt = OptimizerKind(rawValue: optimizer.lowercased()) else {
            throw CLIError("--optimizer \(optimizer): expected sgd, adam or adamw")
        }
        guard let norm = NormalizationKind(parsing: normalize) else {
            throw CLIError("--normalize \(normalize): expected none, standard, minmax or scale:K")
        }
        guard epochs > 0, batch > 0 else { throw CLIError("--epochs and --batch must be positive") }
        guard (0..<1).contains(dropout) else { throw CLIError("--dropout \(dropout): expected 0 ≤ p < 1") }
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

    func fractions() throws -> SplitFractions {
        guard valFraction >= 0, testFraction >= 0, valFraction + testFraction < 1 else {
            throw CLIError("--val-fraction and --test-fraction must be ≥ 0 and leave rows for training")
        }
        return SplitFractions(train: 1 - valFraction - testFraction, validation: valFraction, test: testFraction)
    }
}
