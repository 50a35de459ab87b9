import Foundation
import Synchronization
import TendCore
import TendEngine
import TendInterop
import TendMetrics
import TendTensor

/// Everything a run needs, wired: data split, trainer, run directory, metrics.jsonl, checkpoints.
/// Shared by `tend train` (headless) and the dashboard.
public final class TrainingSession {
    public let options: RunOptions
    public let runDirectory: String
    /// The data set with its labels as class indices (`classLabels`).
    public let dataset: Dataset
    /// Class index ↔ data label, stored in every checkpoint (`Checkpoint.Key.classLabels`).
    public let classLabels: ClassLabels
    public let split: DataSplit
    public let trainer: Trainer
    public let metricsFile: MetricsJSONLWriter
    public let commands: CommandQueue
    /// TensorBoard event file of the run (scalars, per-epoch weight histograms, the config as text).
    public let eventWriter: EventFileWriter
    /// `--prom-textfile` writer, started with the session.
    public private(set) var promWriter: PrometheusTextfileWriter?
    /// Alert rules and checks; nil with `--no-rules`.
    public let health: RunHealth?
    /// What failures do: a live run (`pauseOnCritical`) pauses on a failed write, a headless one stops.
    public let policy: AlertPolicy
    /// Stale `*.tmp-PID` files of killed runs removed from the run and checkpoint directories at start.
    public private(set) var removedTempFiles: [String] = []
    /// Hears of every failed write at once (checkpoint, metrics.jsonl, event file, config.json), from the thread
    /// that wrote; `tend train` prints it on stderr. Set before training starts.
    public var onWriteFailure: ((FileWriteError) -> Void)? {
        get { failures.withLock { $0.handler } }
        set { failures.withLock { $0.handler = newValue } }
    }
    /// The first write that failed, if any: a headless run stopped on it, a live one paused.
    public var writeFailure: FileWriteError? { failures.withLock { $0.first } }
    private let failures = Mutex<WriteFailures>(WriteFailures())
    /// The trainer's sink (events of the session go there too).
    private let runSink: any MetricSink
    private struct WriteFailures { var first: FileWriteError?; var handler: ((FileWriteError) -> Void)? }

    /// `policy`: what alerts do (fail-on for headless runs, pause for live ones). A `MetricsStore` among
    /// `extraSinks` becomes the rules' store; otherwise one is made when rules are on. `io`: the write call of
    /// the run's files (checkpoints, metrics.jsonl, event file, config.json); tests inject a failing one.
    public init(options: RunOptions, extraSinks: [any MetricSink] = [], commands: CommandQueue = CommandQueue(),
         policy: AlertPolicy = AlertPolicy(failOn: nil, pauseOnCritical: false), io: WriteCall = .system) throws {
        self.commands = commands
        self.policy = policy
        BLAS.setThreads(options.threads)
        // A resumed run keeps its data file, label column and split seed unless told otherwise.
        var options = options
        var resumed: Checkpoint? = nil
        if let resume = options.resume {
            let ck = try readCheckpoint(path: resume)
            resumed = ck
            if options.data == nil { options.data = ck.metadata[Checkpoint.Key.dataPath] }
            if options.label == nil { options.label = ck.metadata[Checkpoint.Key.labelColumn] }
            if options.seed == nil, let cfg = ck.metadata[Checkpoint.Key.config],
               let c = try? JSONDecoder().decode(TrainConfig.self, from: Data(cfg.utf8)) { options.seed = c.seed }
        }
        self.options = options
        let (loaded, groups) = try loadDataset(path: options.dataPath, label: options.labelColumn, sensitive: options.sensitive,
                                                 maxClasses: options.maxClasses)
        // Classes are the distinct labels, sorted (a resumed run keeps its checkpoint's mapping).
        if let ck = resumed {
            classLabels = ClassLabels.of(ck.metadata, classes: Int(ck.metadata[Checkpoint.Key.classes] ?? "") ?? loaded.classes)
        } else {
            classLabels = ClassLabels(distinctIn: loaded.labels)
        }
        dataset = try loaded.mapped(to: classLabels, path: options.dataPath)
        guard dataset.count >= 10 else {
            throw DataError.tooFewRows(path: options.dataPath, rows: dataset.count, needed: 10, why: "to split into train/validation/test")
        }
        split = DataSplit(dataset, fractions: try options.fractions(), seed: options.splitSeed)
        runDirectory = options.runDirectory()
        try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
        let staleInRun = StaleTempFiles.remove(in: runDirectory)
        // A resumed run continues the same metrics.jsonl and event file (both cut back to whole records).
        metricsFile = try MetricsJSONLWriter(path: (runDirectory as NSString).appendingPathComponent("metrics.jsonl"),
                                             flushInterval: options.flushSeconds, io: io)
        eventWriter = try EventFileWriter(directory: runDirectory, flushInterval: options.flushSeconds,
                                          appendToNewest: resumed != nil, io: io)
        let histograms = EpochHistogramSink(writer: eventWriter)
        let runSinks: [any MetricSink] = [metricsFile, eventWriter, histograms]
        var promStore = extraSinks.compactMap { $0 as? MetricsStore }.first
        let ownStore = promStore == nil
        let sink: any MetricSink
        if options.noRules {
            health = nil
            var all = runSinks + extraSinks
            if promStore == nil && options.promTextfile != nil {
                let s = MetricsStore(runName: (runDirectory as NSString).lastPathComponent)
                promStore = s
                all.append(s)
            }
            sink = TeeMetricSink(all)
        } else {
            let store = promStore ?? MetricsStore()
            promStore = store
            let others = extraSinks.filter { $0 !== store }
            let h = RunHealth(store: store, thresholds: try loadThresholds(rules: options.rules, sloP99: options.sloP99),
                              outputs: runSinks + others, commands: commands, policy: policy,
                              groups: groups, sensitiveColumn: options.sensitive)
            health = h
            sink = h.monitor
        }
        runSink = sink
        let store = try FileCheckpointStore(directory: (runDirectory as NSString).appendingPathComponent("checkpoints"), io: io)
        removedTempFiles = staleInRun + store.removedTempFiles
        if let ck = resumed {
            trainer = try Trainer(resuming: ck, data: split, epochs: options.epochs, sink: sink, commands: commands, store: store)
        } else {
            let config = try options.config(inputs: dataset.featureCount, classes: dataset.classes, trainRows: split.train.count)
            trainer = try Trainer(config: config, data: split, sink: sink, commands: commands, store: store)
        }
        trainer.metadata[Checkpoint.Key.dataPath] = options.dataPath
        trainer.metadata[Checkpoint.Key.labelColumn] = options.labelColumn
        trainer.metadata[Checkpoint.Key.classLabels] = classLabels.metadataText
        if let health {
            trainer.checkpointMetadata = { [health] in health.checkpointMetadata() }
            if let s = options.sensitive { trainer.metadata["sensitive"] = s }
            _ = health.publishLeakage(split)
        }
        // Metrics reach the file before each checkpoint does: what a checkpoint covers, the metrics cover, whatever
        // moment a kill -9 comes (the kernel has the bytes). Written, not fdatasync'ed: two syncs per epoch cost
        // 1.7 ms each here (+22% on a 100-epoch digits run); the checkpoint's own fsync commits the journal, and
        // ext4's ordered mode writes the appended metrics with it.
        store.beforeSave = { [metricsFile, eventWriter] in
            metricsFile.flush()
            eventWriter.flush()
        }
        let now = Date().timeIntervalSince1970
        for path in removedTempFiles {
            sink.log(EngineEvent(wallTime: now, level: .warning, message: "removed \(path): temporary file of a killed run"))
        }
        if let ck = resumed, let resumePath = options.resume {
            let name = ((resumePath as NSString).lastPathComponent as NSString).deletingPathExtension
            let epoch = Int(ck.metadata[Checkpoint.Key.epoch] ?? "") ?? (trainer.epoch - 1)
            metricsFile.logResume(epoch: epoch, step: trainer.step, checkpoint: name, wallTime: now)
            eventWriter.sessionStart(step: trainer.step, message: "resumed from \(name) (epoch \(epoch + 1), step \(trainer.step))",
                                     checkpoint: resumePath, wallTime: now)
        }
        let configPath = (runDirectory as NSString).appendingPathComponent("config.json")
        let configJSON = Trainer.encodeJSON(trainer.config)
        try AtomicFile.write(Array(configJSON.utf8), to: configPath, io: io)
        histograms.trainer = trainer
        eventWriter.text("config", "```\n\(configJSON)\n```", step: trainer.step)
        let report: (FileWriteError) -> Void = { [weak self] e in self?.writeFailed(e) }
        store.onWriteFailure = report
        metricsFile.onWriteError = { e in report(e) }
        eventWriter.onWriteError = { e in report(e) }
        eventWriter.hparamsStart(trainer.config.hparams, metrics: TrainConfig.hparamsMetrics)
        if let path = options.promTextfile, let store = promStore {
            let w = PrometheusTextfileWriter(path: path, store: store, run: (runDirectory as NSString).lastPathComponent,
                                             interval: 2, sampleProcess: ownStore)
            do { try w.writeNow() } catch { throw RunError.cannotWrite(what: "--prom-textfile metrics", path: path, reason: "\(error)") }
            w.start()
            promWriter = w
        }
    }

    /// A write failed (any thread): reported at once (`onWriteFailure`, an error event, a critical `io.write`
    /// alert); every failure pauses a live run, the first stops a headless one (without another checkpoint).
    public func writeFailed(_ e: FileWriteError) {
        let (first, handler) = failures.withLock { f -> (Bool, ((FileWriteError) -> Void)?) in
            let first = f.first == nil
            if first { f.first = e }
            return (first, f.handler)
        }
        handler?(e)
        let now = Date().timeIntervalSince1970
        let action = policy.pauseOnCritical ? "; training paused (free space, then resume with p)" : first ? "; stopping the run" : ""
        let event = EngineEvent(wallTime: now, level: .error, message: "write failed: \(e)\(action)")
        if let health {
            health.raise(AlertEvaluation(ruleID: "io.write", subject: (e.path as NSString).lastPathComponent, severity: .critical,
                                         firing: true, message: "\(e)",
                                         suggestion: "free space on the run's filesystem, then resume (p)"), event: event)
        } else {
            runSink.log(event)
        }
        // A live run pauses on every failure (resumed on a still-full disk, the next one pauses it again).
        if policy.pauseOnCritical { commands.push(.pause) } else if first { commands.push(.stop(checkpoint: false)) }
    }

    /// Checks to run after each epoch (fairness with `--sensitive`); call from `Trainer.onEpoch`.
    public func afterEpoch() {
        health?.publishFairness(trainer: trainer, validationIndices: split.validationIndices)
    }

    /// Flushes and closes the event file and writes the Prometheus file a last time. Idempotent.
    public func closeInterop() {
        eventWriter.hparamsEnd(status: trainer.state.hparamsStatus)   // dropped when already closed
        eventWriter.close()
        promWriter?.stop()
    }

    deinit { closeInterop() }

    /// Evaluates the trained model on the held-out test split.
    public func testEvaluation() -> Evaluation? {
        trainer.data.test.count > 0 ? evaluate(trainer.model, on: trainer.data.test) : nil
    }
}

extension Trainer {
    public static func encodeJSON<T: Encodable>(_ v: T) -> String {
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys, .prettyPrinted]
        return String(decoding: (try? enc.encode(v)) ?? Data(), as: UTF8.self)
    }
}

/// Writes one weight histogram per parameter (`weights/<name>`) to the run's event file at the end of
/// every epoch. The trainer records `train/samples_per_s` exactly once per epoch, after the last step and
/// on the training thread, so that point is the (thread-safe) cue; the weights are not changing then.
/// A sink rather than an `onEpoch` closure so the CLI and LiveRun keep their own `onEpoch`.
public final class EpochHistogramSink: MetricSink, @unchecked Sendable {
    public let writer: EventFileWriter
    weak var trainer: Trainer?

    public init(writer: EventFileWriter) { self.writer = writer }

    public func record(_ point: MetricPoint) {
        guard point.key == .samplesPerSecond, let trainer else { return }
        for p in trainer.model.parameters {
            p.value.storage.withUnsafeBufferPointer { writer.histogram("weights/\(p.name)", values: $0, step: point.step, wallTime: point.wallTime) }
        }
    }

    public func log(_ event: EngineEvent) {}
}
