import Foundation

/// What `tend train --model DIR` fine-tunes from: a Hugging Face BERT-family directory, a text CSV and the
/// recipe (AdamW by role, linear warm-up then decay, freezing). Plain values; the executable parses them.
/// Stored in every checkpoint (`tend.options`), so `--resume` continues with the same recipe.
public struct FineTuneOptions: Sendable, Codable, Equatable {
    /// The pretrained model directory (config.json, model.safetensors, vocab.txt), or a fine-tune checkpoint.
    public var model: String
    /// CSV file with a header row.
    public var data = "Samples/rt_polarity.csv"
    /// Column holding the texts.
    public var textColumn = "text"
    /// Column holding the integer labels.
    public var labelColumn = "label"
    public var epochs = 2
    /// Sequences per optimizer step.
    public var batch = 32
    /// Peak learning rate of the encoder.
    public var lr: Float = 5e-5
    /// Peak learning rate of the head (default: `lr`).
    public var headLr: Float?
    /// AdamW decoupled weight decay (weights and embeddings only; none on biases and LayerNorm).
    public var weightDecay: Float = 0.01
    /// Fraction of the total steps spent warming up.
    public var warmup = 0.1
    /// Tokens per text with [CLS] and [SEP] (longer texts are truncated and counted).
    public var maxLength = 128
    /// Lowest encoder layers that get no gradient (with the embeddings, when above 0).
    public var freezeLayers = 0
    /// Head-only training: the whole encoder is frozen.
    public var freezeEncoder = false
    /// Clip the global gradient norm to this (nil: no clipping).
    public var clipNorm: Float? = 1
    /// Seeds the split, the batch order, the head's initial weights and dropout.
    public var seed: UInt64 = 0
    /// Use only this many rows of the CSV (a seeded sample), for quick runs.
    public var limit: Int?
    /// Fractions of the rows held out for validation and for the test.
    public var valFraction = 0.15
    public var testFraction = 0.15
    /// BLAS and worker threads.
    public var threads = 2
    /// Run directory (default runs/<data>-ft-<time>).
    public var out: String?
    /// Seconds between writes of metrics.jsonl and the event file.
    public var flushSeconds = 1.0

    public init(model: String) { self.model = model }

    /// Throws the first option outside its range, naming the flag.
    public func validate() throws {
        guard epochs > 0, batch > 0 else { throw OptionError.outOfRange(options: "--epochs and --batch", requirement: "must be positive") }
        guard lr > 0, lr.isFinite else { throw OptionError.invalid(option: "--lr", value: "\(lr)", expected: "a finite number > 0") }
        if let h = headLr, !(h > 0 && h.isFinite) { throw OptionError.invalid(option: "--head-lr", value: "\(h)", expected: "a finite number > 0") }
        guard weightDecay >= 0 else { throw OptionError.invalid(option: "--weight-decay", value: "\(weightDecay)", expected: "≥ 0") }
        guard (0...1).contains(warmup) else { throw OptionError.invalid(option: "--warmup", value: "\(warmup)", expected: "a fraction 0...1 of the steps") }
        guard maxLength >= 2 else { throw OptionError.invalid(option: "--max-length", value: "\(maxLength)", expected: "at least 2 ([CLS] and [SEP])") }
        guard freezeLayers >= 0 else { throw OptionError.invalid(option: "--freeze-layers", value: "\(freezeLayers)", expected: "≥ 0") }
        if let limit, limit < 10 { throw OptionError.invalid(option: "--limit", value: "\(limit)", expected: "at least 10 rows") }
        guard valFraction >= 0, testFraction >= 0, valFraction + testFraction < 1 else { throw OptionError.fractionsLeaveNoTraining }
    }

    /// The run directory to use (a checkpoint in RUN/checkpoints/NAME resumes into RUN).
    public func runDirectory(resume: String?) -> String {
        if let out { return out }
        if let resume {
            let dir = ((resume as NSString).standardizingPath as NSString).deletingLastPathComponent as NSString
            if dir.lastPathComponent == "checkpoints" { return dir.deletingLastPathComponent }
        }
        let stem = ((data as NSString).lastPathComponent as NSString).deletingPathExtension
        let f = DateFormatter(); f.dateFormat = "yyyyMMdd-HHmmss"; f.timeZone = TimeZone(identifier: "UTC")
        return "runs/\(stem)-ft-\(f.string(from: Date()))"
    }
}
