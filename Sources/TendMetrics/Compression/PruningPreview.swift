/// What the what-if pruning screen asks for: a candidate position, never applied to the model.
/// `value` is τ in weight units (threshold mode) or the target sparsity in 0...1 (sparsity mode).
public struct PruningRequest: Sendable, Equatable {
    public enum Mode: String, Sendable, Equatable, CaseIterable { case threshold, sparsity }
    public var mode: Mode
    public var value: Double
    /// One ranking over every weight matrix (true) or each layer pruned on its own (false).
    public var global: Bool

    public init(mode: Mode, value: Double, global: Bool = true) {
        self.mode = mode; self.value = value; self.global = global
    }
}

/// The figures of one pruning candidate, published by the executable under `PruningPreview.key` and drawn
/// by the what-if screen. Accuracy in 0...1, loss is mean cross-entropy, sizes in bytes (tensor data only).
public struct PruningPreview: Sendable, Equatable {
    /// Attachment key in the metrics store.
    public static let key = "pruning.preview"

    /// One parameter tensor under the candidate masks.
    public struct Row: Sendable, Equatable {
        public var name: String
        public var sparsity: Double
        public var kept: Int
        public var count: Int
        public var denseBytes: Int
        public var storedBytes: Int
        public init(name: String, sparsity: Double, kept: Int, count: Int, denseBytes: Int, storedBytes: Int) {
            self.name = name; self.sparsity = sparsity; self.kept = kept; self.count = count
            self.denseBytes = denseBytes; self.storedBytes = storedBytes
        }
    }

    /// `count` weights with `lower ≤ |w| < upper`.
    public struct Bucket: Sendable, Equatable {
        public var lower: Double, upper: Double, count: Double
        public init(lower: Double, upper: Double, count: Double) { self.lower = lower; self.upper = upper; self.count = count }
    }

    /// Validation accuracy at one target sparsity (0...1) of the sweep.
    public struct SweepPoint: Sendable, Equatable {
        public var sparsity: Double, accuracy: Double
        public init(sparsity: Double, accuracy: Double) { self.sparsity = sparsity; self.accuracy = accuracy }
    }

    public var request: PruningRequest
    /// Sparsity of the eligible weights under the candidate masks, 0...1.
    public var sparsity: Double
    /// The magnitude cut drawn on the histogram (τ, or the largest pruned |w| in sparsity mode); nil per layer.
    public var cut: Double?
    public var rows: [Row]
    public var accuracy: Double
    public var loss: Double
    public var baselineAccuracy: Double
    public var baselineLoss: Double
    public var denseBytes: Int
    public var storedBytes: Int
    public var baselineStoredBytes: Int
    public var parametersKept: Int
    public var parameterCount: Int
    /// |w| of the eligible weights, linear buckets from 0 to the largest magnitude (draw with log-y).
    public var histogram: [Bucket]
    /// Accuracy against sparsity 0…95%, once `w` asked for it (for the same model snapshot).
    public var sweep: [SweepPoint]?
    /// Training step the model snapshot was taken at.
    public var snapshotStep: Int
    /// Time the worker took for this candidate, in milliseconds.
    public var computeMilliseconds: Double

    public init(request: PruningRequest, sparsity: Double, cut: Double?, rows: [Row], accuracy: Double, loss: Double,
                baselineAccuracy: Double, baselineLoss: Double, denseBytes: Int, storedBytes: Int, baselineStoredBytes: Int,
                parametersKept: Int, parameterCount: Int, histogram: [Bucket], sweep: [SweepPoint]? = nil,
                snapshotStep: Int = 0, computeMilliseconds: Double = 0) {
        self.request = request; self.sparsity = sparsity; self.cut = cut; self.rows = rows
        self.accuracy = accuracy; self.loss = loss; self.baselineAccuracy = baselineAccuracy; self.baselineLoss = baselineLoss
        self.denseBytes = denseBytes; self.storedBytes = storedBytes; self.baselineStoredBytes = baselineStoredBytes
        self.parametersKept = parametersKept; self.parameterCount = parameterCount; self.histogram = histogram
        self.sweep = sweep; self.snapshotStep = snapshotStep; self.computeMilliseconds = computeMilliseconds
    }

    public var deltaAccuracy: Double { accuracy - baselineAccuracy }
    public var deltaLoss: Double { loss - baselineLoss }
}
