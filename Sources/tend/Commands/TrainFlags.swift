import ArgumentParser
import Foundation
import TendRuntime

/// Flags shared by `tend train` and `tend dashboard`, parsed into the runtime's `RunOptions`.
struct TrainOptions: ParsableArguments {
    @Option(help: "CSV file with a header row (default Samples/digits.csv, or the resumed run's).") var data: String?
    @Option(help: "Name of the integer label column (default label, or the resumed run's).") var label: String?
    @Option(help: "Hidden layer widths, comma separated.") var hidden = "128,128"
    @Option(help: "relu, gelu, tanh or sigmoid.") var activation = "relu"
    @Option(help: "Dropout probability after each hidden layer.") var dropout: Float = 0
    @Flag(help: "LayerNorm after each hidden Dense layer.") var layerNorm = false
    @Option(help: "Epochs to train (default 30; 2 with --model).") var epochs: Int?
    @Option(help: "Mini-batch size (default 64; 32 with --model).") var batch: Int?
    @Option(help: "sgd, adam or adamw.") var optimizer = "adam"
    @Option(help: "Learning rate (default 1e-3; 5e-5 with --model).") var lr: Float?
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

    @Option(help: "Seconds between writes of metrics.jsonl and the event file (also written before every checkpoint).")
    var flushSecs = 1.0

    func validate() throws {
        guard maxClasses >= 1 else { throw ValidationError("--max-classes \(maxClasses): must be at least 1") }
        guard flushSecs > 0, flushSecs.isFinite else { throw ValidationError("--flush-secs \(flushSecs): must be a positive number of seconds") }
    }

    @Option(help: "Write metrics every 2 s (atomically) to this file in Prometheus text format, for node_exporter's textfile collector.")
    var promTextfile: String?


    /// The parsed values.
    var run: RunOptions {
        var o = RunOptions()
        o.data = data
        o.label = label
        o.hidden = hidden
        o.activation = activation
        o.dropout = dropout
        o.layerNorm = layerNorm
        o.epochs = epochs ?? 30
        o.batch = batch ?? 64
        o.optimizer = optimizer
        o.lr = lr ?? 1e-3
        o.momentum = momentum
        o.nesterov = nesterov
        o.weightDecay = weightDecay
        o.l2 = l2
        o.schedule = schedule
        o.clipNorm = clipNorm
        o.labelSmoothing = labelSmoothing
        o.normalize = normalize
        o.seed = seed
        o.threads = threads
        o.valFraction = valFraction
        o.testFraction = testFraction
        o.evalEvery = evalEvery
        o.patience = patience
        o.minDelta = minDelta
        o.noRestoreBest = noRestoreBest
        o.out = out
        o.maxClasses = maxClasses
        o.resume = resume
        o.rules = rules
        o.sloP99 = sloP99
        o.sensitive = sensitive
        o.noRules = noRules
        o.promTextfile = promTextfile
        o.flushSeconds = flushSecs
        return o
    }
}

/// The flags of `tend train --model` (fine-tuning a transformer); the rest come from `TrainOptions`.
struct FineTuneFlags: ParsableArguments {
    @Option(help: "Fine-tune this Hugging Face BERT-family directory on --text-column (a text classifier) instead of an MLP.")
    var model: String?
    @Option(help: "With --model: the CSV column of texts.") var textColumn = "text"
    @Option(help: "With --model: peak learning rate of the classification head (default --lr).") var headLr: Float?
    @Option(help: "With --model: fraction of the steps warming up the learning rate (then linear decay to 0).") var warmup = 0.1
    @Option(help: "With --model: tokens per text incl. [CLS]/[SEP]; longer texts are truncated and counted.") var maxLength = 128
    @Option(help: "With --model: freeze the embeddings and the lowest N encoder layers.") var freezeLayers = 0
    @Flag(help: "With --model: train the head only.") var freezeEncoder = false
    @Option(help: "With --model: train on a seeded sample of N rows (quick runs).") var limit: Int?

    /// The fine-tune recipe, when training a transformer (`--model`, or `--resume` of a checkpoint directory).
    func recipe(_ t: TrainOptions) -> FineTuneOptions? {
        guard model != nil || t.resume.map(FineTuneCheckpoint.isCheckpoint) == true else { return nil }
        var o = FineTuneOptions(model: model ?? "")
        o.data = t.data ?? o.data; o.labelColumn = t.label ?? o.labelColumn; o.textColumn = textColumn
        o.epochs = t.epochs ?? 2; o.batch = t.batch ?? 32; o.lr = t.lr ?? 5e-5; o.headLr = headLr; o.weightDecay = t.weightDecay
        o.warmup = warmup; o.maxLength = maxLength; o.freezeLayers = freezeLayers; o.freezeEncoder = freezeEncoder
        o.clipNorm = t.clipNorm ?? 1; o.seed = t.seed ?? 0; o.limit = limit; o.valFraction = t.valFraction; o.testFraction = t.testFraction
        o.threads = t.threads; o.out = t.out; o.flushSeconds = t.flushSecs
        return o
    }
}
