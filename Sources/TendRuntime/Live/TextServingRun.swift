import Foundation
import Synchronization
import TendCore
import TendEngine
import TendInterop
import TendMetrics

/// What `tend dashboard --model DIR --serve-data FILE` serves: the model directory, the CSV and its text
/// column, how requests come, and the tokens per text.
public struct TextServingOptions: Sendable {
    public var modelDirectory: String
    public var dataPath: String
    public var textColumn = "text"
    public var serving = ServingConfig(rate: nil, batchSize: 1)
    /// Tokens per text with [CLS] and [SEP]; nil: the model's limit capped at 128.
    public var maxLength: Int?
    public init(modelDirectory: String, dataPath: String, textColumn: String = "text",
                serving: ServingConfig = ServingConfig(rate: nil, batchSize: 1), maxLength: Int? = nil) {
        self.modelDirectory = modelDirectory; self.dataPath = dataPath; self.textColumn = textColumn
        self.serving = serving; self.maxLength = maxLength
    }

    /// The options of `tend dashboard --model DIR`, checked: `--serve-data` given, `rate` ≥ 0 (0: closed loop),
    /// `batch` ≥ 1, `--max-length` ≥ 2 ([CLS] and [SEP]).
    public static func validated(model: String, serveData: String?, textColumn: String, rate: Double, batch: Int,
                                 maxLength: Int?) throws -> TextServingOptions {
        guard let serveData else {
            throw OptionError.invalid(option: "--model", value: model, expected: "--serve-data FILE.csv with the texts to serve (and --text-column NAME)")
        }
        if let maxLength, maxLength < 2 {
            throw OptionError.invalid(option: "--max-length", value: "\(maxLength)", expected: "at least 2 ([CLS] and [SEP])")
        }
        guard rate >= 0 else { throw OptionError.invalid(option: "--serve-rate", value: "\(rate)", expected: "requests per second, or 0 for closed loop") }
        guard batch >= 1 else { throw OptionError.invalid(option: "--serve-batch", value: "\(batch)", expected: "texts per request, at least 1") }
        return TextServingOptions(modelDirectory: model, dataPath: serveData, textColumn: textColumn,
                                  serving: ServingConfig(rate: rate > 0 ? rate : nil, batchSize: batch), maxLength: maxLength)
    }
}

/// A transformer served live for the dashboard, nothing trained: the serving loop on its own thread, a
/// process sampler (RSS, CPU) and the latency report refresh, all publishing into `store`. Owns the threads.
public final class TextServingRun: @unchecked Sendable {
    public let store: MetricsStore
    public let loop: TextServingLoop
    public let card: ServedModelCard
    /// The served model's weight bytes now; read by the sampler thread (the loader's figures are read-only).
    private let servedMemory: @Sendable () -> ServedModelMemory
    private let samplerRunning = Atomic<Bool>(false)
    private let samplerExited = DispatchSemaphore(value: 0)

    /// Loads the texts first (a missing column lists the columns), then the model (typed loader errors).
    public convenience init(options: TextServingOptions) throws {
        let texts = try CSVTextTable.load(path: options.dataPath).column(named: options.textColumn, allowEmpty: false)
        let model = try ServedEncoder(directory: options.modelDirectory, maxLength: options.maxLength)
        self.init(model: model, texts: texts, options: options)
    }

    /// Serves `texts` with an already loaded `model`.
    public init(model: ServedEncoder, texts: [String], options: TextServingOptions, store: MetricsStore = MetricsStore(runName: "")) {
        self.store = store
        card = ServedModelCard(name: model.name, summary: model.summary, dataPath: options.dataPath, textColumn: options.textColumn,
                               textCount: texts.count, batchSize: options.serving.batchSize, rate: options.serving.rate,
                               maxLength: model.maxLength, storedDType: model.storedDType,
                               fileBytes: model.memory.fileBytes)
        loop = TextServingLoop(texts: texts, model: model, config: options.serving, store: store)
        servedMemory = { [model] in model.memory }
        store.updateRun { r in
            r.name = "serve " + model.name
            r.state = .stopped   // nothing trains; the panels say "serving"
            r.startedAt = Date().timeIntervalSince1970
        }
        store.attach(card, as: ServedModelCard.key)
        store.setLayers(model.layers)
        publishMemory()
        store.set(LiveKeys.modelParameters, Double(model.parameterCount))
        store.log(EngineEvent(wallTime: Date().timeIntervalSince1970, message:
            "serving \(model.name) (\(model.summary), \(groupedDigits(model.parameterCount)) parameters) on "
            + "\(options.dataPath): \(groupedDigits(texts.count)) texts from column \(options.textColumn), batch \(options.serving.batchSize), "
            + (options.serving.rate.map { "\($0) req/s" } ?? "closed loop") + ", up to \(model.maxLength) tokens"))
    }

    /// The model's resident and mapped weight bytes now (pages of the mapping fault in as requests run).
    private func publishMemory() {
        let m = servedMemory()
        store.set(.modelBytesResident, Double(m.residentBytes))
        store.set(.modelBytesMapped, Double(m.mappedBytes))
    }

    public func start() {
        loop.start()
        samplerRunning.store(true, ordering: .releasing)
        let s = Thread { [self] in
            var tick = 0
            while samplerRunning.load(ordering: .relaxed) {
                if tick % 2 == 0 { _ = try? store.sampleProcess(); publishMemory() }
                if tick % 4 == 0 { store.refreshLatencyReport() }
                tick += 1
                Thread.sleep(forTimeInterval: 0.5)
            }
            samplerExited.signal()
        }
        s.name = "tend-sampler"
        s.start()
    }

    public func shutdown() {
        loop.stop()
        if samplerRunning.exchange(false, ordering: .acquiringAndReleasing) { _ = samplerExited.wait(timeout: .now() + 2) }
    }
}
