import Foundation
import Synchronization
import TendCore
import TendEngine
import TendInterop
import TendMetrics
import TendTensor

extension MetricsStore: LatencySink {}

/// Gauge keys the engine wiring publishes.
public enum LiveKeys {
    public static let modelBytesDense: MetricKey = "model/bytes_dense"
    public static let modelBytesStored: MetricKey = "model/bytes_stored"
    public static let modelParameters: MetricKey = "model/parameters"
}

/// A training run with everything the dashboard shows: the trainer on its own thread publishing into
/// a `MetricsStore`, an inference loop serving the latest weights, and a 1 Hz process sampler.
/// Owns those threads; `shutdown` stops them (writing a checkpoint first when asked).
public final class LiveRun: @unchecked Sendable {
    public let store: MetricsStore
    public let session: TrainingSession
    public let inference: InferenceLoop
    public let commands: CommandQueue
    public var trainer: Trainer { session.trainer }

    private let trainerDone = Atomic<Bool>(false)
    private let samplerRunning = Atomic<Bool>(false)
    private let quitRequested = Atomic<Bool>(false)
    private let doneSignal = DispatchSemaphore(value: 0)
    /// The int8 scheme served instead of fp32 (set by `.quantize`, cleared by `.undo`; read by preview jobs).
    public var quantizedServing: QuantizationConfig? {
        get { servingScheme.withLock { $0 } }
        set { servingScheme.withLock { $0 = newValue } }
    }
    private let servingScheme = Mutex<QuantizationConfig?>(nil)
    /// The model as of the last epoch end, commit, undo or rollback: what previews read.
    public let snapshots = ModelSnapshotSlot()
    private let samplerExited = DispatchSemaphore(value: 0)
    /// Pruning commits and their undo history (used on the training thread only).
    public lazy var pruning = PruningSession(model: trainer.model)
    /// What-if pruning and quantization previews (workers) and their commands.
    public lazy var compression = LiveCompression(store: store)
    /// A student distilled in the background (`d`) and whether it is served.
    public lazy var distillation = LiveDistillation(store: store)
    /// Drift of the served rows against the training data (`--serve-data` serves another file).
    public let drift: LiveDrift
    /// Rollback after a numerics or divergence alert multiplies the learning rate by this (`--rollback-lr-factor`).
    public var rollbackLRFactor = 0.1

    public init(options: RunOptions, serving: ServingConfig, serveData: String? = nil) throws {
        let commands = CommandQueue()
        let store = MetricsStore(runName: "")
        let session = try TrainingSession(options: options, extraSinks: [store], commands: commands,
                                          policy: AlertPolicy(failOn: nil, pauseOnCritical: true))
        self.commands = commands
        self.store = store
        self.session = session
        let trainer = session.trainer
        store.updateRun { r in
            r.name = (session.runDirectory as NSString).lastPathComponent
            r.totalSteps = trainer.totalSteps
            r.startedAt = Date().timeIntervalSince1970
            r.epoch = trainer.epoch
            r.step = trainer.step
        }
        store.set(.labelSmoothing, Double(trainer.config.labelSmoothing))
        let served = try serveData.map { try LiveRun.loadServeData(path: $0, session: session) }
        drift = LiveDrift(training: trainer.data.train)
        inference = InferenceLoop(data: served ?? (trainer.data.validation.count > 0 ? trainer.data.validation : trainer.data.train),
                                  config: serving, latency: store, sink: store, window: drift.window)
        if let serveData, let served {
            store.log(EngineEvent(wallTime: Date().timeIntervalSince1970, message: "serving \(serveData) (\(served.count) rows); drift against the training data"))
        }
        var shownTotal = trainer.totalSteps
        trainer.onStep = { [store] p in
            store.recordProgress(step: p.step, epoch: p.epoch, samples: p.samples)
            // The plan changes when a fine-tune starts (more epochs, other data): the status line follows.
            if p.totalSteps != shownTotal { shownTotal = p.totalSteps; store.updateRun { $0.totalSteps = p.totalSteps } }
        }
        trainer.onStateChange = { [store, trainer] s in
            store.updateRun { $0.state = s; $0.totalSteps = trainer.totalSteps }
        }
        trainer.onEpoch = { [weak self, store, trainer] _ in
            store.updateRun { $0.totalSteps = trainer.totalSteps }
            self?.session.afterEpoch()
            self?.publishModel()
        }
        trainer.onCommand = { [weak self] c in self?.handle(c) }
        publishModel()
    }

    /// Starts training, serving and sampling.
    public func start() {
        inference.start()
        let t = Thread { [self] in trainLoop() }
        t.name = "tend-train"
        t.stackSize = 8 << 20
        t.start()
        samplerRunning.store(true, ordering: .releasing)
        let s = Thread { [self] in
            var tick = 0
            while samplerRunning.load(ordering: .relaxed) {
                if tick % 2 == 0 {
                    _ = try? store.sampleProcess()
                    // Merging the per-second latency histograms costs milliseconds: every 2 s, the cadence at
                    // which the panels show latency anyway (the latency rule reads the same cached report).
                    if tick % 4 == 0 { store.refreshLatencyReport(); checkDrift() }
                    session.health?.monitor.evaluateNow()   // memory, latency and drift rules
                }
                publishAlerts()
                tick += 1
                Thread.sleep(forTimeInterval: 0.5)
            }
            samplerExited.signal()
        }
        s.name = "tend-sampler"
        s.start()
    }

    /// True once the training thread has ended (after a stop).
    public var isDone: Bool { trainerDone.load(ordering: .acquiring) }

    /// Stops training (with a checkpoint when asked), serving and sampling; waits up to `timeout` seconds.
    public func shutdown(checkpoint: Bool, timeout: Double = 10) {
        quitRequested.store(true, ordering: .releasing)
        commands.push(.resume)
        commands.push(.stop(checkpoint: checkpoint))
        if !isDone { _ = doneSignal.wait(timeout: .now() + timeout) }
        inference.stop()
        if samplerRunning.exchange(false, ordering: .acquiringAndReleasing) {
            _ = samplerExited.wait(timeout: .now() + 2)
        }
        session.health?.monitor.finish()
        session.metricsFile.close()
        compression.stop()
        distillation.stop()
    }

    // MARK: - Training thread

    private func trainLoop() {
        defer { trainerDone.store(true, ordering: .releasing); doneSignal.signal() }
        // A fresh run's first "last good checkpoint": rollback has somewhere to go even when the loss
        // explodes within the first epoch.
        if trainer.step == 0 { trainer.saveCheckpoint(name: "initial", reason: "before training") }
        while true {
            let outcome = trainer.run()
            publishModel()
            if outcome == .stopped || quitRequested.load(ordering: .acquiring) { return }
            // Finished: stay alive for fine-tune, checkpoint and stop commands.
            waiting: while true {
                for c in commands.drain() {
                    switch c {
                    case .stop(let ck):
                        if ck { trainer.saveCheckpoint(name: "last", reason: "stop") }
                        store.updateRun { $0.state = .stopped }
                        return
                    case .checkpoint:
                        trainer.saveCheckpoint(name: "manual-\(trainer.step)", reason: "asked for")
                    case .pause, .resume:
                        break
                    default:
                        handle(c)
                    }
                }
                if trainer.hasPendingFineTune { break waiting }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    /// Sends a command from the UI: previews go straight to their worker with the published snapshot (no wait
    /// for a training step, and they work after training ends); everything else to the trainer's queue.
    public func send(_ c: EngineCommand) {
        switch CommandRoute.of(c) {
        case .preview: compression.preview(c, run: self)
        case .trainer, .model: commands.push(c)
        }
    }

    /// Commands the trainer passes on (runs on the training thread between steps), each to its owner.
    private func handle(_ c: EngineCommand) {
        switch CommandRoute.of(c) {
        case .trainer:
            break   // the trainer obeys these itself
        case .preview:
            compression.preview(c, run: self)
        case .model(.run):
            handleRunCommand(c)
        case .model(.pruning):
            if case .pruneAndFineTune = c { compression.handle(c, run: self); break }
            handlePruning(c)
        case .model(.quantization):
            distillation.endStudentServing()
            if !handleQuantization(c) { compression.handle(c, run: self) }
        case .model(.distillation):
            distillation.handle(c, run: self)
        }
    }

    private func handleRunCommand(_ c: EngineCommand) {
        switch c {
        case .fineTune(let path, let epochs, let lr):
            let file = path ?? defaultFineTuneData()
            do {
                let (raw, _) = try loadDataset(path: file, label: session.options.labelColumn, sensitive: session.options.sensitive,
                                     maxClasses: session.options.maxClasses)
                let ds = try raw.mapped(to: session.classLabels, path: file)
                guard ds.featureCount == trainer.data.train.featureCount else {
                    throw DataError.featureCount(path: file, option: nil, found: ds.featureCount, expected: trainer.data.train.featureCount,
                                                 labelColumn: session.options.labelColumn, expectedNames: [])
                }
                try trainer.scheduleFineTune(train: ds, epochs: max(1, epochs), learningRate: Float(lr))
                store.updateRun { [trainer] in $0.totalSteps = trainer.totalSteps }   // the queued epochs join the plan now
                store.log(EngineEvent(wallTime: Date().timeIntervalSince1970, message: "fine-tune on \(file) queued: \(epochs) epochs, lr \(lr)"))
            } catch {
                store.log(EngineEvent(wallTime: Date().timeIntervalSince1970, level: .error, message: "fine-tune: \(error)"))
            }
        case .rollback:
            rollback()
        default:
            store.log(EngineEvent(wallTime: Date().timeIntervalSince1970, level: .warning,
                                  message: "\(c) is not available in this build"))
        }
    }

    private func handlePruning(_ c: EngineCommand) {
        switch c {
        case .prune(let threshold, let sparsity):
            let spec: PruningSpec = threshold.map { .threshold(Float($0)) } ?? .sparsity(sparsity ?? 0.5)
            if let problem = spec.validationError {
                store.log(EngineEvent(wallTime: Date().timeIntervalSince1970, level: .error, message: "prune: \(problem)")); return
            }
            let val = validationData
            let before = evaluate(trainer.model, on: val)
            let summary = pruning.commit(spec)
            let after = evaluate(trainer.model, on: val)
            publishModel()
            store.log(EngineEvent(wallTime: Date().timeIntervalSince1970, message: String(
                format: "pruned (%@): sparsity %.1f%%, val acc %.4f -> %.4f (%+.4f), stored %d of %d bytes",
                spec.target.description as NSString, summary.sparsity * 100, before.report.accuracy, after.report.accuracy,
                after.report.accuracy - before.report.accuracy, summary.storedBytes, summary.denseBytes)))
        case .undo:
            let undone = pruning.undo()
            if undone { publishModel() }
            store.log(EngineEvent(wallTime: Date().timeIntervalSince1970, level: undone ? .info : .warning,
                                  message: undone ? "undid the last pruning (weights and masks restored)" : "undo: nothing pruned to undo"))
        default:
            break
        }
    }

    /// Loads the newest checkpoint written with no critical alert active into the live trainer (on the
    /// training thread), republishes the model and logs the action; training resumes where it was.
    private func rollback() {
        let dir = (session.runDirectory as NSString).appendingPathComponent("checkpoints")
        let log = { (level: EngineEvent.Level, text: String) in
            (self.session.health?.monitor ?? self.store as any MetricSink).log(EngineEvent(wallTime: Date().timeIntervalSince1970, level: level, message: text))
        }
        do {
            guard let good = try RunCheckpoints.lastGood(in: dir) else {
                log(.warning, "action rollback: no checkpoint without a critical alert in \(dir)")
                return
            }
            try trainer.restore(from: readCheckpoint(path: good.path))
            publishModel()
            var text = "action rollback: restored \(good.path) (step \(good.step.map(String.init) ?? "?"))"
            let policy = RollbackPolicy(learningRateFactor: rollbackLRFactor)
            let active = session.health?.engine.snapshot().active.map { (ruleID: $0.ruleID, id: $0.id) } ?? []
            let cause = policy.backOffCause(active: active)
            let old = trainer.config.learningRate
            if let cause, let new = policy.learningRate(after: old, cause: cause) {
                trainer.setLearningRate(new)
                text += "; learning rate \(old) -> \(new) (x\(rollbackLRFactor) after \(cause))"
            }
            log(.info, text + "; resuming")
            session.health?.monitor.evaluateNow()
            commands.push(.resume)
        } catch {
            log(.error, "action rollback failed: \(error)")
        }
    }

    /// The drifted copy of the training data that `f` fine-tunes on by default (written on first use).
    public func defaultFineTuneData() -> String {
        let data = session.options.dataPath
        let drift = (data as NSString).deletingPathExtension + "-drift.csv"
        if FileManager.default.fileExists(atPath: drift) { return drift }
        let inRun = (session.runDirectory as NSString).appendingPathComponent("drift.csv")
        if FileManager.default.fileExists(atPath: inRun) { return inRun }
        return (try? writeDriftedSample(data: data, label: session.options.labelColumn, out: inRun)) ?? drift
    }

    /// Publishes a copy of the current weights (for previews and the inference loop) and refreshes layer
    /// statistics. Training thread (or before `start`).
    public func publishModel() {
        let model = trainer.model
        snapshots.publish(model, step: trainer.step)
        drift.modelChanged(model.copy())
        if quantizedServing != nil, publishQuantized() { return }
        if !distillation.servesStudent { inference.publish(model.copy()) }
        let summary = PruningSummary(model: model)
        store.setLayers(LayerStatistics.rows(summary, groups: model.layerGroups))
        store.set(LiveKeys.modelBytesDense, Double(summary.denseBytes))
        store.set(LiveKeys.modelBytesStored, Double(summary.storedBytes))
        store.set(LiveKeys.modelParameters, Double(model.parameterCount))
    }
}
