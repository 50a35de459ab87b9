import Foundation
import TendCore
import TendTensor

/// Progress of one optimizer step, for progress bars.
public struct StepProgress: Sendable {
    public var step: Int, epoch: Int
    public var batchInEpoch: Int, batchesPerEpoch: Int
    /// Rows in this step's batch.
    public var samples: Int
    public var totalSteps: Int
    public var loss: Float
    /// Training throughput over the current epoch so far.
    public var samplesPerSecond: Double
    /// Estimated seconds to the end of the run.
    public var eta: Double
}

/// What one epoch ended with.
public struct EpochSummary: Sendable {
    public var epoch: Int, step: Int
    public var trainLoss: Double, trainAccuracy: Double
    public var validation: Evaluation?
    public var samplesPerSecond: Double
    public var seconds: Double
    public var checkpointPath: String?
}

/// How a run ended.
public enum TrainOutcome: Sendable, Equatable {
    case finished
    case earlyStopped(epoch: Int)
    case stopped
}

/// Trains a model (`config.architecture`) on a split data set: mini-batch loop, validation, early stopping, checkpoints.
/// Publishes to a `MetricSink`; obeys `EngineCommand`s drained between steps. Owns the model and optimizer.
public final class Trainer {
    public private(set) var config: TrainConfig
    public let model: any Model
    public let optimizer: any Optimizer
    public let normalizer: Normalizer
    /// The split with `normalizer` applied.
    public private(set) var data: DataSplit
    public private(set) var epoch = 0
    public private(set) var step = 0
    public private(set) var state: RunState = .starting
    public private(set) var bestValLoss: Float = .infinity
    /// Rows trained on and seconds spent in optimizer steps (batches, forward, backward, update) over
    /// all calls to `run()`; validation and checkpoints excluded. Their ratio is the run's samples/s.
    public private(set) var samplesTrained = 0
    public private(set) var stepSeconds = 0.0
    public var metadata: [String: String] = [:]

    public var onStep: ((StepProgress) -> Void)?
    public var onEpoch: ((EpochSummary) -> Void)?
    /// Called after each checkpoint is written (path, reason).
    public var onCheckpoint: ((String, String) -> Void)?
    /// Handles commands the trainer does not know itself (prune, quantize, rollback, …), on the
    /// training thread between steps, so it may change the model safely.
    public var onCommand: ((EngineCommand) -> Void)?
    /// Called on every change of `state`.
    public var onStateChange: ((RunState) -> Void)?
    /// Extra metadata merged into every checkpoint when it is written (e.g. the active alerts under
    /// `Checkpoint.Key.alerts`), after `metadata`.
    public var checkpointMetadata: (() -> [String: String])?

    /// A fine-tune waiting for the next epoch boundary.
    private var pendingFineTune: (train: Dataset, epochs: Int, learningRate: Float)?

    private let sink: any MetricSink
    private let commands: CommandQueue?
    private let store: (any CheckpointStore)?
    private let clock: any TendClock
    private var sampler: BatchSampler
    private var staleEvals = 0
    private var bestTensors: [(String, Tensor)]?
    private var stopRequested = false
    /// Weights of the lowest end-of-epoch validation loss seen in this session, for `.stopEarly`.
    private var bestSeen: (loss: Float, epoch: Int, tensors: [(String, Tensor)])?
    private var stopEarlyRequested = false

    /// A fresh run: fits the normaliser on the training split and initialises the model from `config.seed`.
    /// Throws `ArchitectureError` when `config.architecture` cannot be built.
    public init(config: TrainConfig, data raw: DataSplit, sink: any MetricSink = NullMetricSink(),
                commands: CommandQueue? = nil, store: (any CheckpointStore)? = nil,
                clock: any TendClock = SystemClock()) throws {
        self.config = config
        self.normalizer = Normalizer.fit(config.normalization, on: raw.train.features)
        self.data = Trainer.normalize(raw, with: normalizer)
        self.model = try config.architecture.makeModel(seed: config.seed)
        self.optimizer = Trainer.makeOptimizer(config)
        self.sink = sink; self.commands = commands; self.store = store; self.clock = clock
        self.sampler = BatchSampler(batchSize: config.batchSize, rng: SeededGenerator(seed: config.seed &+ 0x0BA7_C4E5))
    }

    /// Continues a run from a checkpoint written at the end of an epoch: weights, optimizer state,
    /// shuffling and dropout generators, step and epoch counters and early-stopping state are
    /// restored, so the resumed run continues bit for bit as the uninterrupted one would (older
    /// checkpoints without dropout state resume with freshly seeded dropout masks).
    public init(resuming checkpoint: Checkpoint, data raw: DataSplit, epochs: Int? = nil,
                sink: any MetricSink = NullMetricSink(), commands: CommandQueue? = nil,
                store: (any CheckpointStore)? = nil, clock: any TendClock = SystemClock()) throws {
        let meta = checkpoint.metadata
        var config = try Checkpoint.trainConfig(meta)
        if let epochs { config.epochs = epochs }
        self.config = config
        self.normalizer = try Trainer.decode(Normalizer.self, meta, Checkpoint.Key.normalizer)
        self.data = Trainer.normalize(raw, with: normalizer)
        self.model = try config.architecture.makeModel(seed: config.seed)
        self.optimizer = Trainer.makeOptimizer(config)
        self.sink = sink; self.commands = commands; self.store = store; self.clock = clock
        let tensors = Dictionary(checkpoint.tensors, uniquingKeysWith: { a, _ in a })
        try model.load(tensors)
        let optSteps = try Trainer.int(meta, Checkpoint.Key.optimizerSteps)
        let names = Set(model.parameters.map(\.name))
        try optimizer.loadState(tensors.filter { !names.contains($0.key) }, stepCount: optSteps)
        guard let rngText = meta[Checkpoint.Key.samplerState], let rng = Trainer.parseRNG(rngText) else {
            throw CheckpointError.missingMetadata(key: Checkpoint.Key.samplerState)
        }
        self.sampler = BatchSampler(batchSize: config.batchSize, rng: rng)
        try Trainer.restoreDropoutGenerators(of: model, from: meta)
        self.epoch = try Trainer.int(meta, Checkpoint.Key.epoch) + 1
        self.step = try Trainer.int(meta, Checkpoint.Key.step)
        if let b = meta[Checkpoint.Key.bestValLoss], let v = Float(b) { bestValLoss = v }
        if let s = meta[Checkpoint.Key.staleEvals], let v = Int(s) { staleEvals = v }
    }

    /// Steps the run will have taken when it ends: the steps before the current epoch (all steps so far
    /// between epochs) plus the remaining epochs at the current data size; a queued fine-tune adds its
    /// epochs at its data size after the current epoch. A finished run (all epochs, or stopped early)
    /// planned exactly the steps it took. Never below `step`.
    public var totalSteps: Int {
        let perEpoch = sampler.batchesPerEpoch(data.train.count)
        if let ft = pendingFineTune {
            return (inEpoch ? epochStartStep + perEpoch : step) + ft.epochs * sampler.batchesPerEpoch(ft.train.count)
        }
        if state == .finished { return step }
        return max(step, (inEpoch ? epochStartStep : step) + max(0, config.epochs - epoch) * perEpoch)
    }
    /// The step the current epoch started at; meaningful while `inEpoch`.
    private var epochStartStep = 0
    /// True between an epoch's start and its `epoch += 1` (also when a stop breaks out mid-epoch).
    private var inEpoch = false

    /// Trains until `config.epochs`, early stopping, or a stop command. Runs on the caller's thread.
    @discardableResult
    public func run() -> TrainOutcome {
        state = .training
        publishState()
        let runStart = clock.monotonic()
        let startStep = step
        var x = Tensor(shape: [config.batchSize, data.train.featureCount])
        var y = [Int](repeating: 0, count: config.batchSize)
        var grad = Tensor.empty
        var outcome = TrainOutcome.finished

        epochs: while true {
            applyPendingFineTune()
            guard epoch < config.epochs else { break }
            epochStartStep = step
            inEpoch = true
            let trainRows = data.train.count
            let batches = sampler.batchesPerEpoch(trainRows)
            sampler.startEpoch(count: trainRows)
            let epochStart = clock.monotonic()
            var lossSum = 0.0, correct = 0, seen = 0, batchIndex = 0
            while sampler.next(from: data.train, x: &x, y: &y) {
                if !drainCommands() { outcome = stopEarlyRequested ? .earlyStopped(epoch: epoch) : .stopped; break epochs }
                let n = y.count
                optimizer.learningRate = config.schedule.rate(base: config.learningRate, step: step)
                let logits = model.forward(x, training: true)
                var crossEntropy: Float = 0
                var loss = softmaxCrossEntropy(logits: logits, labels: y, labelSmoothing: config.labelSmoothing, gradInto: &grad,
                                               crossEntropy: &crossEntropy)
                // Before the update: which weights, else which layer's activations, were non-finite.
                var culprit = loss.isFinite ? nil : diagnoseNonFinite(input: x)
                model.backward(grad)
                if !loss.isFinite && culprit == nil, let g = firstNonFiniteGradient() { culprit = "\(g) (gradients; weights and activations finite)" }
                if config.l2 > 0 && config.optimizer != .adamw {
                    loss += l2Penalty(model.parameters, lambda: config.l2)
                }
                if let maxNorm = config.clipNorm {
                    let norm = clipGradientsByGlobalNorm(model.parameters, maxNorm: maxNorm)
                    if step % config.logEverySteps == 0 { sink.record(.gradNorm, step: step, epoch: epoch, wallTime: clock.now(), value: Double(norm)) }
                }
                optimizer.step(model.parameters)
                config.pruning?.apply(to: model, step: step)
                correct += Self.countCorrect(logits, y)
                lossSum += Double(loss) * Double(n)
                seen += n
                step += 1
                batchIndex += 1
                let now = clock.now()
                if !loss.isFinite {
                    let layer = culprit.map { "; first non-finite: \($0)" } ?? "; weights, activations and gradients finite (the loss itself overflowed)"
                    sink.log(EngineEvent(wallTime: now, level: .error, message: "loss is \(loss) at step \(step)\(layer)"))
                }
                if step % config.logEverySteps == 0 || !loss.isFinite {
                    sink.record(.trainLoss, step: step, epoch: epoch, wallTime: now, value: Double(loss))
                    if config.labelSmoothing > 0 {
                        sink.record(.trainCrossEntropy, step: step, epoch: epoch, wallTime: now, value: Double(crossEntropy))
                    }
                    sink.record(.learningRate, step: step, epoch: epoch, wallTime: now, value: Double(optimizer.learningRate))
                }
                let elapsed = clock.monotonic() - epochStart
                let sps = elapsed > 0 ? Double(seen) / elapsed : 0
                if let onStep {
                    let done = step - startStep
                    let perStep = (clock.monotonic() - runStart) / Double(max(done, 1))
                    onStep(StepProgress(step: step, epoch: epoch, batchInEpoch: batchIndex, batchesPerEpoch: batches, samples: n,
                                        totalSteps: totalSteps, loss: loss, samplesPerSecond: sps,
                                        eta: perStep * Double(max(totalSteps - step, 0))))
                }
                if let every = config.evalEverySteps, every > 0, step % every == 0 {
                    _ = validate()
                }
            }
            let seconds = clock.monotonic() - epochStart
            samplesTrained += seen
            stepSeconds += seconds
            let sps = seconds > 0 ? Double(seen) / seconds : 0
            let now = clock.now()
            let trainLoss = seen > 0 ? lossSum / Double(seen) : .nan
            let trainAcc = seen > 0 ? Double(correct) / Double(seen) : .nan
            sink.record(.trainAccuracy, step: step, epoch: epoch, wallTime: now, value: trainAcc)
            sink.record(.samplesPerSecond, step: step, epoch: epoch, wallTime: now, value: sps)
            let val = validate()
            var stopNow = false
            if let val, let es = config.earlyStopping {
                stopNow = earlyStoppingUpdate(Float(val.loss), es)
            } else if let val, Float(val.loss) < bestValLoss {
                bestValLoss = Float(val.loss)
            }
            if let val, Float(val.loss) < (bestSeen?.loss ?? .infinity) {
                bestSeen = (Float(val.loss), epoch, model.namedTensors())
            }
            let path = saveCheckpoint(name: String(format: "epoch-%04d", epoch), reason: "epoch \(epoch + 1) done")
            sink.log(EngineEvent(wallTime: now, message: String(
                format: "epoch %d/%d: train loss %.4f, val loss %.4f, val acc %.4f",
                epoch + 1, config.epochs, trainLoss, val?.loss ?? .nan, val?.report.accuracy ?? .nan)))
            onEpoch?(EpochSummary(epoch: epoch, step: step, trainLoss: trainLoss, trainAccuracy: trainAcc,
                                  validation: val, samplesPerSecond: sps, seconds: seconds, checkpointPath: path))
            epoch += 1
            inEpoch = false
            if stopNow {
                outcome = .earlyStopped(epoch: epoch - 1)
                sink.log(EngineEvent(wallTime: clock.now(), message: "early stopping after epoch \(epoch): no improvement for \(staleEvals) evaluations"))
                break
            }
        }
        if stopEarlyRequested {
            restoreBestSeen()
        } else if let es = config.earlyStopping, es.restoreBest, let best = bestTensors, outcome != .stopped {
            try? model.load(Dictionary(best, uniquingKeysWith: { a, _ in a }))
            sink.log(EngineEvent(wallTime: clock.now(), message: String(format: "restored best weights (val loss %.4f)", bestValLoss)))
        }
        _ = saveCheckpoint(name: "last", reason: outcome == .stopped ? "stopped" : stopEarlyRequested ? "stopped early" : "end of run")
        stopEarlyRequested = false
        state = outcome == .stopped ? .stopped : .finished
        publishState()
        return outcome
    }

    /// Continues training from the current weights on `train` (raw, not normalised: the run's normaliser
    /// is applied) for `epochs` more epochs at `learningRate`, from the next epoch boundary on.
    /// Validation and test splits stay as they were, so the curves show the effect.
    /// Throws `FineTuneError` when `train` has another number of features than the run's data.
    public func scheduleFineTune(train: Dataset, epochs: Int, learningRate: Float) throws {
        guard train.featureCount == data.train.featureCount else {
            throw FineTuneError.featureCount(found: train.featureCount, expected: data.train.featureCount)
        }
        pendingFineTune = (train, epochs, learningRate)
    }

    /// True when a fine-tune is waiting to start.
    public var hasPendingFineTune: Bool { pendingFineTune != nil }

    private func applyPendingFineTune() {
        guard let ft = pendingFineTune else { return }
        pendingFineTune = nil
        data.train = normalizer.apply(ft.train)
        config.epochs = epoch + ft.epochs
        config.learningRate = ft.learningRate
        config.schedule = .constant
        staleEvals = 0
        sink.log(EngineEvent(wallTime: clock.now(), message: "fine-tuning \(ft.epochs) epochs at lr \(ft.learningRate) on \(ft.train.count) rows"))
    }

    /// Evaluates on the validation split and publishes its metrics; nil when the split is empty.
    @discardableResult
    public func validate() -> Evaluation? {
        guard data.validation.count > 0 else { return nil }
        let ev = evaluate(model, on: data.validation)
        let now = clock.now()
        sink.record(.valLoss, step: step, epoch: epoch, wallTime: now, value: ev.loss)
        sink.record(.valAccuracy, step: step, epoch: epoch, wallTime: now, value: ev.report.accuracy)
        sink.record(.valPrecision, step: step, epoch: epoch, wallTime: now, value: ev.report.macroPrecision)
        sink.record(.valRecall, step: step, epoch: epoch, wallTime: now, value: ev.report.macroRecall)
        sink.record(.valF1, step: step, epoch: epoch, wallTime: now, value: ev.report.macroF1)
        return ev
    }

    /// The full training state as a checkpoint value (weights, optimizer state, counters, config).
    public func makeCheckpoint(reason: String) -> Checkpoint {
        var tensors = model.namedTensors()
        let state = optimizer.stateTensors().sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        tensors.append(contentsOf: state)
        var meta = metadata
        meta[Checkpoint.Key.format] = Checkpoint.formatVersion
        meta[Checkpoint.Key.arch] = config.architecture.json
        meta[Checkpoint.Key.config] = Trainer.encode(config)
        meta[Checkpoint.Key.normalizer] = Trainer.encode(normalizer)
        meta[Checkpoint.Key.normalizerFormula] = Checkpoint.normalizerFormula
        meta[Checkpoint.Key.epoch] = String(epoch)
        meta[Checkpoint.Key.step] = String(step)
        meta[Checkpoint.Key.seed] = String(config.seed)
        meta[Checkpoint.Key.samplerState] = Trainer.formatRNG(sampler.rng)
        let dropout = model.dropoutLayers
        if !dropout.isEmpty { meta[Checkpoint.Key.dropoutState] = dropout.map { Trainer.formatRNG($0.generator) }.joined(separator: ";") }
        meta[Checkpoint.Key.optimizer] = config.optimizer.rawValue
        meta[Checkpoint.Key.optimizerSteps] = String(optimizer.stepCount)
        meta[Checkpoint.Key.bestValLoss] = String(bestValLoss)
        meta[Checkpoint.Key.staleEvals] = String(staleEvals)
        meta[Checkpoint.Key.classes] = String(data.train.classes)
        meta[Checkpoint.Key.featureNames] = data.train.featureNames.joined(separator: ",")
        meta[Checkpoint.Key.reason] = reason
        if let extra = checkpointMetadata?() { meta.merge(extra) { _, new in new } }
        return Checkpoint(tensors: tensors, metadata: meta, optimizerStateCount: state.count)
    }

    /// Loads weights and optimizer state from `checkpoint` into the live model (a rollback); step and
    /// epoch counters keep counting forward so the curves stay monotonic. The checkpoint must come
    /// from a run with the same layout. Call on the training thread (e.g. from `onCommand`).
    public func restore(from checkpoint: Checkpoint) throws {
        let tensors = Dictionary(checkpoint.tensors, uniquingKeysWith: { a, _ in a })
        if let arch = checkpoint.metadata[Checkpoint.Key.arch], (try? Architecture(json: arch)) != config.architecture {
            throw CheckpointError.badMetadata(key: Checkpoint.Key.arch, value: arch)
        }
        try model.load(tensors)
        let names = Set(model.parameters.map(\.name))
        let optSteps = (checkpoint.metadata[Checkpoint.Key.optimizerSteps]).flatMap(Int.init) ?? optimizer.stepCount
        try optimizer.loadState(tensors.filter { !names.contains($0.key) }, stepCount: optSteps)
        if let b = checkpoint.metadata[Checkpoint.Key.bestValLoss], let v = Float(b) { bestValLoss = v }
        staleEvals = 0
    }

    /// The first parameter (in model order, e.g. `fc2.weight`) whose values hold NaN or ±∞; nil when all are finite.
    public func firstNonFiniteParameter() -> String? {
        model.parameters.first { !allFinite($0.value) }?.name
    }

    /// The first parameter whose gradient holds NaN or ±∞ (after a backward pass); nil when all are finite.
    public func firstNonFiniteGradient() -> String? {
        model.parameters.first { !allFinite($0.grad) }?.name
    }

    /// Why a forward pass on `input` gave a non-finite loss, naming the offending layer: the first parameter
    /// with non-finite weights (`fc2.weight (weights)`), else the first layer whose output on `input` is
    /// non-finite (`fc3 (activations overflowed; weights finite)`, run on a copy so the live model's
    /// buffers stay as they are); nil when both are finite. Only called when a loss is non-finite.
    public func diagnoseNonFinite(input: Tensor) -> String? {
        if let p = firstNonFiniteParameter() { return "\(p) (weights)" }
        guard let layer = firstNonFiniteActivation(input) else { return nil }
        return "\(layer) (activations overflowed; weights finite)"
    }

    /// The named layer (Dense, LayerNorm; an activation counts as the layer before it) whose output is the
    /// first non-finite one when `input` runs through a copy of the model in evaluation mode.
    private func firstNonFiniteActivation(_ input: Tensor) -> String? {
        if !allFinite(input) { return "input" }
        var found: String?
        model.copy().traceForward(.features(input)) { name, output in
            if allFinite(output) { return true }
            found = name
            return false
        }
        return found
    }

    /// The L2 coefficient the optimizer applies now (AdamW: its decoupled weight decay).
    public var l2: Float { config.optimizer == .adamw ? config.weightDecay : config.l2 }

    /// Sets the L2 coefficient (AdamW: the weight decay) from the next step on. Training thread only
    /// (e.g. from `onCommand`); the reported loss includes the new penalty.
    public func setL2(_ value: Float) {
        precondition(value >= 0 && value.isFinite, "setL2: \(value) must be finite and >= 0")
        if config.optimizer == .adamw { config.weightDecay = value } else { config.l2 = value }
        switch optimizer {
        case let o as SGD: o.l2 = value
        case let o as AdamW: o.weightDecay = value   // before Adam: AdamW is an Adam
        case let o as Adam: o.l2 = value
        default: break
        }
    }

    /// Sets the base learning rate (the schedule scales it) from the next step on. Training thread only.
    public func setLearningRate(_ value: Float) {
        precondition(value > 0 && value.isFinite, "setLearningRate: \(value) must be finite and > 0")
        config.learningRate = value
    }

    /// Loads the weights of the best end-of-epoch validation loss seen in this session and logs it.
    private func restoreBestSeen() {
        guard let best = bestSeen else {
            sink.log(EngineEvent(wallTime: clock.now(), level: .warning, message: "action stop early: no evaluation yet in this session; keeping the current weights"))
            return
        }
        try? model.load(Dictionary(best.tensors, uniquingKeysWith: { a, _ in a }))
        sink.log(EngineEvent(wallTime: clock.now(), message: String(format: "action stop early: restored best weights (val loss %.4f, epoch %d)", best.loss, best.epoch + 1)))
    }

    private func allFinite(_ t: Tensor) -> Bool {
        t.storage.withUnsafeBufferPointer { b in
            var acc: Float = 0
            for v in b { acc += v * 0 }   // NaN or ∞ anywhere makes acc NaN
            return acc == 0
        }
    }

    // MARK: - Internals

    /// Rows of `logits` whose argmax equals the label (first maximum wins), without allocating.
    static func countCorrect(_ logits: Tensor, _ labels: [Int]) -> Int {
        let cols = logits.cols
        return logits.storage.withUnsafeBufferPointer { p in
            var correct = 0
            for r in 0..<labels.count {
                var best = 0
                var bestValue = p[r * cols]
                for c in 1..<cols where p[r * cols + c] > bestValue { best = c; bestValue = p[r * cols + c] }
                if best == labels[r] { correct += 1 }
            }
            return correct
        }
    }

    /// Returns false when the run must stop now.
    private func drainCommands() -> Bool {
        guard let commands else { return true }
        var paused = false
        repeat {
            for c in commands.drain() {
                switch c {
                case .pause:
                    if !paused { paused = true; state = .paused; publishState()
                        sink.log(EngineEvent(wallTime: clock.now(), message: "paused at step \(step)")) }
                case .resume:
                    if paused { paused = false; state = .training; publishState()
                        sink.log(EngineEvent(wallTime: clock.now(), message: "resumed at step \(step)")) }
                case .checkpoint:
                    _ = saveCheckpoint(name: "manual-\(step)", reason: "asked for")
                case .stop(let ck):
                    if ck { _ = saveCheckpoint(name: "last", reason: "stop") }
                    stopRequested = true
                    return false
                case .stopEarly:
                    sink.log(EngineEvent(wallTime: clock.now(), message: "action stop early: at step \(step), restoring the best weights"))
                    stopEarlyRequested = true
                    return false
                case .raiseL2(let factor, let atLeast):
                    let old = l2
                    setL2(max(old * Float(factor), Float(atLeast)))
                    sink.log(EngineEvent(wallTime: clock.now(), message: "action raise L2: \(config.optimizer == .adamw ? "weight decay" : "l2") \(old) -> \(l2) at step \(step), continuing"))
                    if paused { paused = false; state = .training; publishState()
                        sink.log(EngineEvent(wallTime: clock.now(), message: "resumed at step \(step)")) }
                default:   // fine-tune, prune, quantize, rollback, undo, previews: the owner's business
                    onCommand?(c)
                }
            }
            if paused { Thread.sleep(forTimeInterval: 0.02) }
        } while paused
        return true
    }

    private func earlyStoppingUpdate(_ loss: Float, _ es: EarlyStopping) -> Bool {
        if loss < bestValLoss - es.minDelta {
            bestValLoss = loss
            staleEvals = 0
            if es.restoreBest { bestTensors = model.namedTensors() }
        } else {
            staleEvals += 1
        }
        return staleEvals >= es.patience
    }

    /// Writes a checkpoint through the store now; returns its path, nil without a store or on failure (logged).
    @discardableResult
    public func saveCheckpoint(name: String, reason: String) -> String? {
        guard let store else { return nil }
        do {
            let path = try store.save(makeCheckpoint(reason: reason), name: name)
            onCheckpoint?(path, reason)
            sink.log(EngineEvent(wallTime: clock.now(), message: "checkpoint \(path) (\(reason))"))
            return path
        } catch {
            sink.log(EngineEvent(wallTime: clock.now(), level: .error, message: "checkpoint \(name) failed: \(error)"))
            return nil
        }
    }

    private func publishState() {
        onStateChange?(state)
    }

    static func normalize(_ raw: DataSplit, with n: Normalizer) -> DataSplit {
        var d = raw
        d.train = n.apply(raw.train)
        d.validation = raw.validation.count > 0 ? n.apply(raw.validation) : raw.validation
        d.test = raw.test.count > 0 ? n.apply(raw.test) : raw.test
        return d
    }

    static func makeOptimizer(_ c: TrainConfig) -> any Optimizer {
        switch c.optimizer {
        case .sgd: return SGD(learningRate: c.learningRate, momentum: c.momentum, nesterov: c.nesterov, l2: c.l2)
        case .adam: return Adam(learningRate: c.learningRate, l2: c.l2)
        case .adamw: return AdamW(learningRate: c.learningRate, weightDecay: c.weightDecay)
        }
    }

    static func encode<T: Encodable>(_ v: T) -> String {
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        return String(decoding: (try? enc.encode(v)) ?? Data(), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ t: T.Type, _ meta: [String: String], _ key: String) throws -> T {
        guard let text = meta[key] else { throw CheckpointError.missingMetadata(key: key) }
        do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) }
        catch { throw CheckpointError.badMetadata(key: key, value: text) }
    }

    static func int(_ meta: [String: String], _ key: String) throws -> Int {
        guard let text = meta[key] else { throw CheckpointError.missingMetadata(key: key) }
        guard let v = Int(text) else { throw CheckpointError.badMetadata(key: key, value: text) }
        return v
    }

    static func formatRNG(_ g: SeededGenerator) -> String {
        let s = g.state
        return [s.0, s.1, s.2, s.3].map { String($0, radix: 16) }.joined(separator: ":")
    }

    /// Sets the generators of `model`'s Dropout layers from `Checkpoint.Key.dropoutState`; leaves
    /// them as seeded when the key is absent (checkpoints from before it was written).
    static func restoreDropoutGenerators(of model: any Model, from meta: [String: String]) throws {
        guard let text = meta[Checkpoint.Key.dropoutState] else { return }
        let layers = model.dropoutLayers
        let states = text.split(separator: ";", omittingEmptySubsequences: false).map { parseRNG(String($0)) }
        guard states.count == layers.count, states.allSatisfy({ $0 != nil }) else {
            throw CheckpointError.badMetadata(key: Checkpoint.Key.dropoutState, value: text)
        }
        for (layer, state) in zip(layers, states) { layer.generator = state! }
    }

    static func parseRNG(_ text: String) -> SeededGenerator? {
        let parts = text.split(separator: ":").compactMap { UInt64($0, radix: 16) }
        guard parts.count == 4 else { return nil }
        return SeededGenerator(state: (parts[0], parts[1], parts[2], parts[3]))
    }
}
