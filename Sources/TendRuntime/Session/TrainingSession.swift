import Foundation
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
    public let dataset: Dataset
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

    /// `policy`: what alerts do (fail-on for headless runs, pause for live ones). A `MetricsStore` among
    /// `extraSinks` becomes the rules' store; otherwise one is made when rules are on.
    public init(options: RunOptions, extraSinks: [any MetricSink] = [], commands: CommandQueue = CommandQueue(),
         policy: AlertPolicy = AlertPolicy(failOn: nil, pauseOnCritical: false)) throws {
        self.commands = commands
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
        dataset = loaded
        guard dataset.count >= 10 else {
            throw DataError.tooFewRows(path: options.dataPath, rows: dataset.count, needed: 10, why: "to split into train/validation/test")
        }
        split = DataSplit(dataset, fractions: try options.fractions(), seed: options.splitSeed)
        runDirectory = options.runDirectory()
        try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
        metricsFile = try MetricsJSONLWriter(path: (runDirectory as NSString).appendingPathComponent("metrics.jsonl"))
        eventWriter = try EventFileWriter(directory: runDirectory)
        let histograms = EpochHistogramSink(writer: eventWriter)
        let runSinks: [any MetricSink] = [metricsFile, eventWriter, histograms, EventTextSink(writer: eventWriter)]
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
        let store = try FileCheckpointStore(directory: (runDirectory as NSString).appendingPathComponent("checkpoints"))
        if let ck = resumed {
            trainer = try Trainer(resuming: ck, data: split, epochs: options.epochs, sink: sink, commands: commands, store: store)
        } else {
            let config = try options.config(inputs: dataset.featureCount, classes: dataset.classes, trainRows: split.train.count)
            trainer = try Trainer(config: config, data: split, sink: sink, commands: commands, store: store)
        }
        trainer.metadata[Checkpoint.Key.dataPath] = options.dataPath
        trainer.metadata[Checkpoint.Key.labelColumn] = options.labelColumn
        if let health {
            trainer.checkpointMetadata = { [health] in health.checkpointMetadata() }
            if let s = options.sensitive { trainer.metadata["sensitive"] = s }
            _ = health.publishLeakage(split)
        }
        let configPath = (runDirectory as NSString).appendingPathComponent("config.json")
        let configJSON = Trainer.encodeJSON(trainer.config)
        try Data(configJSON.utf8).write(to: URL(fileURLWithPath: configPath), options: .atomic)
        histograms.trainer = trainer
        eventWriter.text("config", "```\n\(configJSON)\n```", step: trainer.step)
        eventWriter.hparamsStart(trainer.config.hparams, metrics: TrainConfig.hparamsMetrics)
        if let path = options.promTextfile, let store = promStore {
            let w = PrometheusTextfileWriter(path: path, store: store, run: (runDirectory as NSString).lastPathComponent,
                                             interval: 2, sampleProcess: ownStore)
            do { try w.writeNow() } catch { throw RunError.cannotWrite(what: "--prom-textfile metrics", path: path, reason: "\(error)") }
            w.start()
            promWriter = w
        }
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
