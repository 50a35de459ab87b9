import Foundation
import Synchronization
import TendCore
import TendTensor

extension MetricKey {
    /// Per-epoch figures of a distillation run (the student's), published by `Distiller`.
    public static let distillTrainLoss: MetricKey = "distill/train_loss"
    public static let distillTrainKL: MetricKey = "distill/train_kl"
    public static let distillTrainCE: MetricKey = "distill/train_ce"
    public static let distillTrainAccuracy: MetricKey = "distill/train_accuracy"
    public static let distillValLoss: MetricKey = "distill/val_loss"
    public static let distillValAccuracy: MetricKey = "distill/val_accuracy"
}

/// What one distillation epoch ended with. Losses in nats; accuracies in 0...1; validation figures are the
/// student's plain cross-entropy and accuracy (nil without a validation split).
public struct DistillationEpoch: Sendable, Equatable, Codable {
    public var epoch: Int, step: Int
    /// Mean distillation loss (α·T²·KL + (1 − α)·CE) over the epoch's batches, and its two terms.
    public var trainLoss: Double, trainKL: Double, trainCE: Double
    public var trainAccuracy: Double
    public var validationLoss: Double?, validationAccuracy: Double?
    public var seconds: Double
}

/// How a distillation run ended.
public enum DistillationOutcome: Sendable, Equatable {
    case finished
    case stopped(afterEpochs: Int)
}

/// Trains a smaller student model against a frozen teacher on the (already normalised) training split with
/// `DistillationLoss`, the trainer's optimizers and schedules. Teacher logits are computed per batch with the
/// fp32 forward (eval mode). Publishes per-epoch figures under `distill/…` to its sink; `stop()` (any thread)
/// ends the run after the current batch. Owns both models: use `student.copy()` to hand the student elsewhere
/// while it trains.
public final class Distiller: @unchecked Sendable {
    public let config: DistillationConfig
    /// A private copy of the teacher given at init (never updated).
    public let teacher: any Model
    public let student: any Model
    public let data: DataSplit
    public private(set) var epoch = 0
    public private(set) var step = 0
    public private(set) var history: [DistillationEpoch] = []
    /// Batches per epoch at the training split's size.
    public var batchesPerEpoch: Int { (data.train.count + config.batchSize - 1) / config.batchSize }

    /// Called after each batch with (batch in epoch, batches per epoch), on the distilling thread.
    public var onStep: ((Int, Int) -> Void)?
    /// Called at the end of each epoch, on the distilling thread.
    public var onEpoch: ((DistillationEpoch) -> Void)?

    private let optimizer: any Optimizer
    private var sampler: BatchSampler
    private let sink: any MetricSink
    private let clock: any TendClock
    private let stopFlag = Atomic<Bool>(false)

    /// `data` must be normalised the way the teacher expects; the student takes the same inputs.
    /// Throws `DistillationError` for invalid settings, data the teacher does not take, or a student that cannot be built.
    public init(teacher: any Model, data: DataSplit, config: DistillationConfig = DistillationConfig(),
                sink: any MetricSink = NullMetricSink(), clock: any TendClock = SystemClock()) throws {
        if let problem = config.validationError { throw DistillationError.invalidConfig(problem) }
        if let expected = teacher.architecture.featureCount, data.train.featureCount != expected {
            throw DistillationError.featureCount(found: data.train.featureCount, expected: expected)
        }
        self.config = config
        self.teacher = teacher.copy()
        let studentArchitecture = try config.studentArchitecture(teacher: teacher.architecture)
        do { self.student = try studentArchitecture.makeModel(seed: config.seed) }
        catch { throw DistillationError.invalidConfig("student \(studentArchitecture.summary): \(error)") }
        self.data = data
        self.optimizer = config.makeOptimizer()
        self.sampler = BatchSampler(batchSize: config.batchSize, rng: SeededGenerator(seed: config.seed &+ 0xD157_1111))
        self.sink = sink
        self.clock = clock
    }

    /// Asks the run to end after the current batch (thread-safe).
    public func stop() { stopFlag.store(true, ordering: .releasing) }
    public var isStopRequested: Bool { stopFlag.load(ordering: .acquiring) }

    /// Trains `config.epochs` epochs (or until `stop()`) on the caller's thread.
    @discardableResult
    public func run() -> DistillationOutcome {
        let loss = config.loss
        var x = Tensor(shape: [config.batchSize, data.train.featureCount])
        var y = [Int](repeating: 0, count: config.batchSize)
        var grad = Tensor.empty
        while epoch < config.epochs {
            let start = clock.monotonic()
            sampler.startEpoch(count: data.train.count)
            var lossSum = 0.0, klSum = 0.0, ceSum = 0.0, correct = 0, seen = 0, batch = 0
            while sampler.next(from: data.train, x: &x, y: &y) {
                if isStopRequested { return .stopped(afterEpochs: epoch) }
                let n = y.count
                // The teacher's own output buffer (a separate model, so the student's forward leaves it alone).
                let teacherLogits = teacher.forward(x, training: false)
                optimizer.learningRate = config.schedule.rate(base: config.learningRate, step: step)
                let logits = student.forward(x, training: true)
                let v = loss.compute(student: logits, teacher: teacherLogits, labels: y, gradInto: &grad)
                correct += Trainer.countCorrect(logits, y)
                student.backward(grad)
                optimizer.step(student.parameters)
                lossSum += Double(v.total) * Double(n); klSum += Double(v.kl) * Double(n); ceSum += Double(v.crossEntropy) * Double(n)
                seen += n
                step += 1
                batch += 1
                onStep?(batch, batchesPerEpoch)
            }
            let d = Double(max(seen, 1))
            var summary = DistillationEpoch(epoch: epoch, step: step, trainLoss: lossSum / d, trainKL: klSum / d, trainCE: ceSum / d,
                                            trainAccuracy: Double(correct) / d, validationLoss: nil, validationAccuracy: nil,
                                            seconds: clock.monotonic() - start)
            if data.validation.count > 0 {
                let ev = evaluate(student, on: data.validation)
                summary.validationLoss = ev.loss
                summary.validationAccuracy = ev.report.accuracy
            }
            publish(summary)
            history.append(summary)
            epoch += 1
            onEpoch?(summary)
        }
        return .finished
    }

    private func publish(_ e: DistillationEpoch) {
        let now = clock.now()
        func rec(_ k: MetricKey, _ v: Double) { sink.record(k, step: e.step, epoch: e.epoch, wallTime: now, value: v) }
        rec(.distillTrainLoss, e.trainLoss); rec(.distillTrainKL, e.trainKL); rec(.distillTrainCE, e.trainCE)
        rec(.distillTrainAccuracy, e.trainAccuracy)
        if let l = e.validationLoss { rec(.distillValLoss, l) }
        if let a = e.validationAccuracy { rec(.distillValAccuracy, a) }
        sink.log(EngineEvent(wallTime: now, message: String(
            format: "distill epoch %d/%d: loss %.4f (KL %.4f, CE %.4f), train acc %.4f, val acc %.4f",
            e.epoch + 1, config.epochs, e.trainLoss, e.trainKL, e.trainCE, e.trainAccuracy, e.validationAccuracy ?? .nan)))
    }

    /// The student as a checkpoint `tend eval` reads: its weights and `arch`, plus `metadata` (normaliser, classes, …)
    /// and a `tend.distillation` entry recording the settings.
    public func makeCheckpoint(metadata: [String: String]) -> Checkpoint {
        var meta = metadata
        meta[Checkpoint.Key.format] = Checkpoint.formatVersion
        meta[Checkpoint.Key.arch] = student.architecture.json
        meta[Checkpoint.Key.epoch] = String(max(0, epoch - 1))
        meta[Checkpoint.Key.step] = String(step)
        meta[Checkpoint.Key.seed] = String(config.seed)
        meta[DistillationConfig.metadataKey] = Trainer.encode(config)
        meta[DistillationConfig.teacherArchKey] = teacher.architecture.json
        return Checkpoint(tensors: student.namedTensors(), metadata: meta)
    }
}

extension DistillationConfig {
    /// Checkpoint metadata key of the settings a student was distilled with (JSON).
    public static let metadataKey = "tend.distillation"
    /// Checkpoint metadata key of the teacher's architecture (JSON, as `Checkpoint.Key.arch`).
    public static let teacherArchKey = "tend.distillation.teacher_arch"
}
