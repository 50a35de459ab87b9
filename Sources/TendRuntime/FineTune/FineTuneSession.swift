import Foundation
import TendCore
import TendEngine
import TendInterop
import TendTensor

/// Progress of one optimizer step (for the progress bar). Rates are over the steps so far (evaluations excluded).
public struct FineTuneProgress: Sendable {
    public var step: Int, totalSteps: Int, epoch: Int
    public var loss: Double
    public var samplesPerSecond: Double, tokensPerSecond: Double
    /// Seconds left at the current rate.
    public var eta: Double
}

/// What an epoch ended with.
public struct FineTuneEpoch: Sendable {
    public var epoch: Int
    public var trainLoss: Double
    public var validation: TextEvaluation?
    public var samplesPerSecond: Double, tokensPerSecond: Double
    public var checkpoint: String
}

/// A fine-tune run of a BERT-family encoder with a classification head on a text CSV, wired like the MLP's
/// `TrainingSession`: the seeded split, length-bucketed batches, AdamW by role with warm-up/decay, the run
/// directory (metrics.jsonl, TensorBoard events, config.json, checkpoints/, summary.json). One thread drives it.
public final class FineTuneSession {
    public let options: FineTuneOptions
    public let runDirectory: String
    public let data: TextDataset
    public let classLabels: ClassLabels
    public let split: TextSplit
    public let training: BertClassifierTraining
    public let optimizer: BertFineTuneOptimizer
    public let metricsFile: MetricsJSONLWriter
    public let eventWriter: EventFileWriter
    public let stepsPerEpoch: Int
    public var totalSteps: Int { stepsPerEpoch * options.epochs }
    public var onStep: ((FineTuneProgress) -> Void)?
    public var onEpoch: ((FineTuneEpoch) -> Void)?
    /// Checkpoints written so far (paths).
    public private(set) var checkpoints: [String] = []
    let sink: TeeMetricSink
    let source: LoadedEncoder
    /// The input directory's config, tokenizer and pooling files, read once (copied into every checkpoint).
    let sideFiles: [(String, Data)]
    /// "bert." when the input model's tensors carry it, so checkpoints keep its names.
    let namePrefix: String
    /// Tensors of the input model the encoder does not use (pooler, …), written through unchanged.
    let passThrough: [(String, Tensor)]
    let checkpointDirectory: String
    private var stepSeconds = 0.0, samplesTrained = 0, tokensTrained = 0

    /// A new run from `options.model`, or with `resume` (a checkpoint directory) the run it was saved from,
    /// continuing at its optimizer step (`options` then should be `resumedOptions(checkpoint:)`, edited).
    public init(options: FineTuneOptions, resume: String? = nil) throws {
        try options.validate()
        BLAS.setThreads(options.threads)
        let resumed = try resume.map { try FineTuneCheckpoint.read($0) }
        let loaded: LoadedEncoder, tokenizer: WordPieceTokenizer
        if let r = resumed { loaded = r.encoder; tokenizer = r.tokenizer }
        else { loaded = try HuggingFaceModel.loadEncoder(directory: options.model); tokenizer = try TokenizerFiles.load(directory: loaded.directory) }
        source = loaded
        sideFiles = FineTuneCheckpoint.readSideFiles(loaded.directory)
        let config = loaded.encoder.config
        let maxLength = min(options.maxLength, config.maxPositions)
        let (ds, labels) = try TextDataset.load(path: options.data, textColumn: options.textColumn, labelColumn: options.labelColumn,
                                                classLabels: resumed?.classLabels, tokenizer: tokenizer, maxLength: maxLength)
        data = ds
        classLabels = labels!
        var opts = options
        opts.maxLength = maxLength
        self.options = opts
        split = TextSplit(count: ds.count, limit: options.limit, valFraction: options.valFraction, testFraction: options.testFraction, seed: options.seed)
        guard !split.train.isEmpty else { throw TextFineTuneError.emptySplit(path: options.data, split: "training", rows: ds.count) }
        let dropout = try BertConfigFile.dropoutRates(loaded.directory + "/config.json")
        training = BertClassifierTraining(encoder: loaded.encoder, classes: classLabels.count, pooling: resumed?.pooling ?? loaded.encoder.pooling,
                                          dropout: dropout, headWeight: resumed?.headWeight, headBias: resumed?.headBias, seed: options.seed)
        if options.freezeEncoder { training.freezeEncoder() }
        else {
            guard options.freezeLayers <= config.layers else {
                throw OptionError.invalid(option: "--freeze-layers", value: "\(options.freezeLayers)", expected: "0...\(config.layers) (the model's layers)")
            }
            // Freezing the lowest layers freezes what feeds them too: the embeddings.
            training.freezesEmbeddings = options.freezeLayers > 0
            training.frozenLayers = options.freezeLayers
        }
        stepsPerEpoch = (split.train.count + options.batch - 1) / options.batch
        optimizer = BertFineTuneOptimizer(training: training, learningRate: options.lr, headLearningRate: options.headLr,
                                          weightDecay: options.weightDecay, maxGradientNorm: options.clipNorm,
                                          schedule: LinearWarmupDecay(warmupFraction: options.warmup, totalSteps: stepsPerEpoch * options.epochs))
        if let r = resumed, !r.optimizerState.isEmpty { try optimizer.loadState(r.optimizerState, stepCount: r.step) }
        let shards = loaded.shards
        namePrefix = shards.locate("embeddings.word_embeddings.weight") == nil && shards.locate("bert.embeddings.word_embeddings.weight") != nil ? "bert." : ""
        let used = Set(training.parameters.map(\.name))
        var extras: [(String, Tensor)] = []
        for file in shards.files {
            for info in file.tensorInfo where !used.contains(info.name) && !used.contains(String(info.name.dropFirst(namePrefix.count)))
                && !info.name.hasPrefix("classifier.") && HuggingFaceModel.supportedDTypes.contains(info.dtype) {
                extras.append((info.name, try file.floatTensor(info.name)))
            }
        }
        passThrough = extras
        runDirectory = opts.runDirectory(resume: resume)
        checkpointDirectory = (runDirectory as NSString).appendingPathComponent("checkpoints")
        try FileManager.default.createDirectory(atPath: checkpointDirectory, withIntermediateDirectories: true)
        metricsFile = try MetricsJSONLWriter(path: (runDirectory as NSString).appendingPathComponent("metrics.jsonl"), flushInterval: options.flushSeconds)
        eventWriter = try EventFileWriter(directory: runDirectory, flushInterval: options.flushSeconds, appendToNewest: resumed != nil)
        sink = TeeMetricSink([metricsFile, eventWriter])
        let configJSON = Trainer.encodeJSON(opts)
        try AtomicFile.write(Array(configJSON.utf8), to: (runDirectory as NSString).appendingPathComponent("config.json"))
        eventWriter.text("config", "```\n\(configJSON)\n```", step: optimizer.stepCount)
        if let r = resumed, let resume {
            let name = (resume as NSString).lastPathComponent
            let epoch = optimizer.stepCount / max(stepsPerEpoch, 1)
            let now = Date().timeIntervalSince1970
            metricsFile.logResume(epoch: epoch - 1, step: r.step, checkpoint: name, wallTime: now)
            eventWriter.sessionStart(step: r.step, message: "resumed from \(name) (step \(r.step))", checkpoint: resume, wallTime: now)
        }
    }

    /// The saved recipe of checkpoint `path` (its data, columns, seed, …), to edit before resuming.
    public static func resumedOptions(checkpoint path: String) throws -> FineTuneOptions {
        let r = try FineTuneCheckpoint.read(path)
        guard let o = r.options else { throw TextFineTuneError.notAFineTuneCheckpoint(path: path, reason: "no \(FineTuneCheckpoint.Key.options) metadata") }
        return o
    }

    /// Trains the remaining steps (epoch by epoch, a checkpoint after each), evaluates the test split and writes
    /// summary.json. Returns the summary.
    public func run() throws -> FineTuneSummary {
        let started = Date()
        let lengths = data.tokens.map(\.count)
        var lastTrainLoss = Double.nan
        var validation: TextEvaluation?
        while optimizer.stepCount < totalSteps {
            let epoch = optimizer.stepCount / stepsPerEpoch
            let batches = bucketedBatches(split.train, lengths: { lengths[$0] }, batch: options.batch, seed: options.seed, epoch: epoch)
            var lossSum = 0.0, lossCount = 0
            let epochStart = (samplesTrained, tokensTrained, stepSeconds)
            for rows in batches.dropFirst(optimizer.stepCount - epoch * stepsPerEpoch) {
                let t0 = SystemClock().monotonic()
                let batch = data.batch(rows)
                let loss = try training.forward(batch, labels: rows.map { data.labels[$0] }, training: true)
                training.backward()
                let s = optimizer.step()
                stepSeconds += SystemClock().monotonic() - t0
                samplesTrained += rows.count
                tokensTrained += data.tokenCount(rows)
                lossSum += Double(loss); lossCount += 1
                let step = optimizer.stepCount, now = Date().timeIntervalSince1970
                sink.record(.trainLoss, step: step, epoch: epoch, wallTime: now, value: Double(loss))
                sink.record(.learningRate, step: step, epoch: epoch, wallTime: now, value: Double(s.learningRate))
                sink.record(.gradNorm, step: step, epoch: epoch, wallTime: now, value: Double(s.gradientNorm))
                if !loss.isFinite {
                    sink.log(EngineEvent(wallTime: now, level: .error, message: "loss is \(loss) at step \(step); stopping (lower --lr)"))
                    break
                }
                let rate = Double(samplesTrained) / max(stepSeconds, 1e-9)
                onStep?(FineTuneProgress(step: step, totalSteps: totalSteps, epoch: epoch, loss: Double(loss), samplesPerSecond: rate,
                                         tokensPerSecond: Double(tokensTrained) / max(stepSeconds, 1e-9),
                                         eta: Double(totalSteps - step) * stepSeconds / Double(max(1, samplesTrained)) * Double(options.batch)))
            }
            let now = Date().timeIntervalSince1970, step = optimizer.stepCount
            lastTrainLoss = lossCount > 0 ? lossSum / Double(lossCount) : .nan
            let dt = stepSeconds - epochStart.2
            let sps = Double(samplesTrained - epochStart.0) / max(dt, 1e-9), tps = Double(tokensTrained - epochStart.1) / max(dt, 1e-9)
            sink.record(.samplesPerSecond, step: step, epoch: epoch, wallTime: now, value: sps)
            sink.record("train/tokens_per_s", step: step, epoch: epoch, wallTime: now, value: tps)
            validation = split.validation.isEmpty ? nil : evaluate(rows: split.validation)
            if let v = validation, let r = v.report {
                sink.record(.valLoss, step: step, epoch: epoch, wallTime: now, value: v.loss ?? .nan)
                sink.record(.valAccuracy, step: step, epoch: epoch, wallTime: now, value: r.accuracy)
                sink.record(.valF1, step: step, epoch: epoch, wallTime: now, value: r.macroF1)
                sink.record(.valPrecision, step: step, epoch: epoch, wallTime: now, value: r.macroPrecision)
                sink.record(.valRecall, step: step, epoch: epoch, wallTime: now, value: r.macroRecall)
            }
            let ck = try saveCheckpoint(name: String(format: "epoch-%04d", epoch + 1), epoch: epoch)
            sink.log(EngineEvent(wallTime: now, level: .info, message: "epoch \(epoch + 1) done: train loss \(lastTrainLoss), checkpoint \(ck)"))
            onEpoch?(FineTuneEpoch(epoch: epoch, trainLoss: lastTrainLoss, validation: validation, samplesPerSecond: sps, tokensPerSecond: tps, checkpoint: ck))
            if !lastTrainLoss.isFinite { break }
        }
        let test = split.test.isEmpty ? nil : evaluate(rows: split.test)
        let last = linkLast()
        metricsFile.close()
        eventWriter.close()
        let summary = FineTuneSummary(session: self, finished: optimizer.stepCount >= totalSteps, trainLoss: lastTrainLoss,
                                      validation: validation, test: test, checkpoint: last, seconds: Date().timeIntervalSince(started),
                                      samplesPerSecond: Double(samplesTrained) / max(stepSeconds, 1e-9),
                                      tokensPerSecond: Double(tokensTrained) / max(stepSeconds, 1e-9))
        try summary.write(to: (runDirectory as NSString).appendingPathComponent("summary.json"))
        return summary
    }

    /// Model outputs on `rows` of the data (eval mode, no dropout).
    public func evaluate(rows: [Int]) -> TextEvaluation {
        TextEvaluation.run(training, data: data, rows: rows, batch: options.batch)
    }

    /// Writes checkpoint `name` (weights under the input model's names, head, metadata, AdamW state); keeps two epoch checkpoints.
    @discardableResult
    public func saveCheckpoint(name: String, epoch: Int) throws -> String {
        metricsFile.flush(); eventWriter.flush()
        var tensors: [(String, Tensor)] = training.parameters.map { p in
            (p.name.hasPrefix("classifier.") ? p.name : namePrefix + p.name, p.value)
        }
        tensors += passThrough
        let state = optimizer.stateTensors().sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        var meta: [String: String] = [:]
        meta[Checkpoint.Key.step] = String(optimizer.stepCount)
        meta[Checkpoint.Key.epoch] = String(epoch)
        meta[Checkpoint.Key.classLabels] = classLabels.metadataText
        meta[Checkpoint.Key.dataPath] = options.data
        meta[Checkpoint.Key.labelColumn] = options.labelColumn
        meta[FineTuneCheckpoint.Key.textColumn] = options.textColumn
        meta[FineTuneCheckpoint.Key.pooling] = training.pooling.rawValue
        meta[FineTuneCheckpoint.Key.maxLength] = String(options.maxLength)
        meta[FineTuneCheckpoint.Key.baseModel] = options.model
        meta[FineTuneCheckpoint.Key.options] = String(decoding: (try? JSONEncoder().encode(options)) ?? Data(), as: UTF8.self)
        let path = try FineTuneCheckpoint.write(directory: checkpointDirectory, name: name, tensors: tensors, optimizerState: state,
                                                metadata: meta, sideFiles: sideFiles)
        checkpoints.append(path)
        let fm = FileManager.default
        if let names = try? fm.contentsOfDirectory(atPath: checkpointDirectory) {
            for old in names.filter({ $0.hasPrefix("epoch-") }).sorted().dropLast(2) {
                try? fm.removeItem(atPath: (checkpointDirectory as NSString).appendingPathComponent(old))
            }
        }
        sink.log(EngineEvent(wallTime: Date().timeIntervalSince1970, level: .info, message: "checkpoint \(path) (step \(optimizer.stepCount))"))
        return path
    }

    /// Points `checkpoints/last` at the newest checkpoint (a relative symlink); returns its path.
    func linkLast() -> String {
        let last = (checkpointDirectory as NSString).appendingPathComponent("last")
        guard let newest = checkpoints.last else { return last }
        let fm = FileManager.default
        try? fm.removeItem(atPath: last)
        try? fm.createSymbolicLink(atPath: last, withDestinationPath: (newest as NSString).lastPathComponent)
        return last
    }
}
