/// A distillation running next to the live run, published by the executable under `DistillationProgress.key` and
/// drawn by the distillation screen. Accuracies in 0...1, losses in nats (plain cross-entropy on the validation
/// split), bytes as dense fp32, latency in microseconds per single-row forward measured on the distilling thread.
public struct DistillationProgress: Sendable, Equatable {
    public static let key = "distillation.progress"

    public enum Phase: String, Sendable, Equatable {
        case training, finished, stopped
    }

    /// One finished student epoch.
    public struct Epoch: Sendable, Equatable {
        public var epoch: Int
        public var trainLoss: Double
        public var validationLoss: Double?
        public var validationAccuracy: Double?
        public init(epoch: Int, trainLoss: Double, validationLoss: Double?, validationAccuracy: Double?) {
            self.epoch = epoch; self.trainLoss = trainLoss; self.validationLoss = validationLoss
            self.validationAccuracy = validationAccuracy
        }
    }

    /// Size and measured figures of one of the two models.
    public struct Model: Sendable, Equatable {
        public var layout: [Int]
        public var parameters: Int
        public var bytes: Int
        public var validationAccuracy: Double?
        public var validationLoss: Double?
        public var latencyP50Microseconds: Double?
        public var latencyP99Microseconds: Double?
        public init(layout: [Int], parameters: Int, bytes: Int, validationAccuracy: Double? = nil, validationLoss: Double? = nil,
                    latencyP50Microseconds: Double? = nil, latencyP99Microseconds: Double? = nil) {
            self.layout = layout; self.parameters = parameters; self.bytes = bytes
            self.validationAccuracy = validationAccuracy; self.validationLoss = validationLoss
            self.latencyP50Microseconds = latencyP50Microseconds; self.latencyP99Microseconds = latencyP99Microseconds
        }
    }

    public var phase: Phase
    public var temperature: Double
    public var alpha: Double
    public var epochsTotal: Int
    /// Batches done in the current epoch and per epoch (progress within the epoch).
    public var batch: Int
    public var batchesPerEpoch: Int
    /// Finished student epochs, oldest first.
    public var epochs: [Epoch]
    /// The frozen teacher copy the student learns from (taken at `teacherStep` of the live run).
    public var teacher: Model
    public var student: Model
    public var teacherStep: Int
    /// Fraction of validation rows where the student's argmax equals the teacher's.
    public var agreement: Double?
    /// What the inference loop serves: "teacher" or "student".
    public var serving: String
    /// Which student of this run this is (1 for the first; `r` starts the next).
    public var generation = 1

    public init(phase: Phase, temperature: Double, alpha: Double, epochsTotal: Int, batch: Int, batchesPerEpoch: Int,
                epochs: [Epoch], teacher: Model, student: Model, teacherStep: Int, agreement: Double?, serving: String) {
        self.phase = phase; self.temperature = temperature; self.alpha = alpha; self.epochsTotal = epochsTotal
        self.batch = batch; self.batchesPerEpoch = batchesPerEpoch; self.epochs = epochs; self.teacher = teacher
        self.student = student; self.teacherStep = teacherStep; self.agreement = agreement; self.serving = serving
    }

    /// Fraction of the run done (0...1), counting batches of the current epoch.
    public var fractionDone: Double {
        guard epochsTotal > 0 else { return 0 }
        if phase == .finished { return 1 }
        let within = batchesPerEpoch > 0 ? Double(batch) / Double(batchesPerEpoch) : 0
        return min(1, (Double(epochs.count) + within) / Double(epochsTotal))
    }

    /// A student with at least one finished epoch exists (it can be served).
    public var studentReady: Bool { !epochs.isEmpty }
}
