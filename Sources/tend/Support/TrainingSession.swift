import Foundation
import TendCore
import TendEngine
import TendInterop
import TendMetrics
import TendTensor

/// Everything a run needs, wired: data split, trainer, run directory, metrics.jsonl, checkpoints.
/// Shared by `tend train` (headless) and the dashboard.
final class TrainingSession {
    let options: TrainOptions
    let runDirectory: String
    let dataset: Dataset
    let split: DataSplit
    let trainer: Trainer
    let metricsFile: MetricsJSONLWriter
    let commands: CommandQueue
    /// Alert rules and checks; nil with `--no-rules`.
    let health: RunHealth?

    /// `policy`: what alerts do (fail-on for headless runs, pause for live ones). A `MetricsStore` among
    /// `extraSinks` becomes the rules' store; otherwise one is made when rules are on.
    init(options: TrainOptions, extraSinks: [any MetricSink] = [], commands: CommandQueue = CommandQueue(),
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
        let (loaded, groups) = try loadDataset(path: options.dataPath, label: options.labelColumn, sensitive: options.sensitive)
        dataset = loaded
        guard dataset.count >= 10 else {
            throw CLIError("\(options.dataPath) has \(dataset.count) rows; need at least 10 to split into train/validation/test")
        }
        split = DataSplit(dataset, fractions: try options.fractions(), seed: options.splitSeed)
        runDirectory = options.runDirectory()
        try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
        metricsFile = try MetricsJSONLWriter(path: (runDirectory as NSString).appendingPathComponent("metrics.jsonl"))
        let sink: any MetricSink
        if options.noRules {
            health = nil
            sink = extraSinks.isEmpty ? metricsFile : TeeMetricSink([metricsFile] + extraSinks)
        } else {
            let store = extraSinks.compactMap { $0 as? MetricsStore }.first ?? MetricsStore()
            let others = extraSinks.filter { $0 !== store }
            let h = RunHealth(store: store, thresholds: try loadThresholds(rules: options.rules, sloP99: options.sloP99),
                              outputs: [metricsFile] + others, commands: commands, policy: policy,
                              groups: groups, sensitiveColumn: options.sensitive)
            health = h
            sink = h.monitor
        }
        let store = try FileCheckpointStore(directory: (runDirectory as NSString).appendingPathComponent("checkpoints"))
        if let ck = resumed {
            trainer = try Trainer(resuming: ck, data: split, epochs: options.epochs, sink: sink, commands: commands, store: store)
        } else {
            let config = try options.config(inputs: dataset.featureCount, classes: dataset.classes, trainRows: split.train.count)
            trainer = Trainer(config: config, data: split, sink: sink, commands: commands, store: store)
        }
        trainer.metadata[Checkpoint.Key.dataPath] = options.dataPath
        trainer.metadata[Checkpoint.Key.labelColumn] = options.labelColumn
        if let health {
            trainer.checkpointMetadata = { [health] in health.checkpointMetadata() }
            if let s = options.sensitive { trainer.metadata["sensitive"] = s }
            _ = health.publishLeakage(split)
        }
        let configPath = (runDirectory as NSString).appendingPathComponent("config.json")
        try Data(Trainer.encodeJSON(trainer.config).utf8).write(to: URL(fileURLWithPath: configPath), options: .atomic)
    }

    /// Checks to run after each epoch (fairness with `--sensitive`); call from `Trainer.onEpoch`.
    func afterEpoch() {
        health?.publishFairness(trainer: trainer, validationIndices: split.validationIndices)
    }

    /// Evaluates the trained model on the held-out test split.
    func testEvaluation() -> Evaluation? {
        trainer.data.test.count > 0 ? evaluate(trainer.model, on: trainer.data.test) : nil
    }
}

extension Trainer {
    static func encodeJSON<T: Encodable>(_ v: T) -> String {
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys, .prettyPrinted]
        return String(decoding: (try? enc.encode(v)) ?? Data(), as: UTF8.self)
    }
}
