import Foundation
import Synchronization
import TendCore
import TendEngine
import TendMetrics
import TendTensor

/// Data drift of a live run: PSI per feature between the training data and the rows the inference loop
/// served recently (its `ServedWindow`), and PSI of the current model's predictions on those rows against
/// its predictions on the training reference. Both predictions come from the same model copy, so a model
/// that changes while it trains (most of all in its first epochs) does not look like drift. `check` runs on the sampler thread; `modelChanged` on the
/// training thread. Publishes gauges `drift/psi/<feature>`, `drift/psi_threshold` and points of
/// `drift/psi_max`, `drift/psi_prediction` for the drift rules and the triage screen.
public final class LiveDrift: @unchecked Sendable {
    public let reference: ServingDriftReference
    public let window: ServedWindow
    /// Served rows needed before the first figures (fewer give noisy PSI).
    public let minimumRows: Int
    private let pendingModel = Mutex<(any Model)?>(nil)
    /// Sampler thread only: the newest model copy and its predictions on the reference sample.
    private var model: (any Model)?
    private var referencePredictions: [Int]?

    public init(training: Dataset, window: ServedWindow = ServedWindow(capacity: 2000), minimumRows: Int = 300) {
        reference = ServingDriftReference(training: training)
        self.window = window
        self.minimumRows = minimumRows
    }

    /// Hands over a copy of the newly published model (the caller must not use it afterwards).
    public func modelChanged(_ copy: any Model) {
        pendingModel.withLock { $0 = copy }
    }

    /// Computes and publishes the figures for the rows served so far; nil (nothing published) until
    /// `minimumRows` rows were served.
    @discardableResult
    public func check(served: Dataset, store: MetricsStore, sink: any MetricSink, threshold: Double) -> ServingDriftReference.Report? {
        if let m = pendingModel.withLock({ m -> (any Model)? in defer { m = nil }; return m }) {
            model = m
            referencePredictions = argmaxRows(m.predict(reference.sample))
        }
        let rows = window.contents().rows
        guard rows.count >= minimumRows else { return nil }
        let predictions = model.map { argmaxRows($0.predict(served.subset(rows).features)) } ?? []
        let report = reference.report(served: served, rows: rows, predictions: predictions,
                                      referencePredictions: model == nil ? nil : referencePredictions)
        for f in report.features { store.set(MetricKey(MetricKey.driftPSIFeaturePrefix + f.name), f.psi) }
        store.set(.driftPSIThreshold, threshold)
        let now = Date().timeIntervalSince1970
        let step = window.total
        if let worst = report.worst {
            sink.record(MetricPoint(key: .driftPSIMax, step: step, epoch: 0, wallTime: now, value: worst.psi))
        }
        if let p = report.prediction {
            sink.record(MetricPoint(key: .driftPSIPrediction, step: step, epoch: 0, wallTime: now, value: p))
        }
        return report
    }
}

extension LiveRun {
    /// Loads `path` (`--serve-data`) for the inference loop: same label column, the sensitive column
    /// removed, the run's normaliser applied; its features must match the model's.
    public static func loadServeData(path: String, session: TrainingSession) throws -> Dataset {
        let (raw, _) = try loadDataset(path: path, label: session.options.labelColumn, sensitive: session.options.sensitive,
                                     maxClasses: session.options.maxClasses)
        let ds = try raw.mapped(to: session.classLabels, path: path)
        let expected = session.trainer.data.train.featureCount
        guard ds.featureCount == expected else {
            throw DataError.featureCount(path: path, option: "--serve-data", found: ds.featureCount, expected: expected, labelColumn: nil,
                                         expectedNames: Array(session.trainer.data.train.featureNames.prefix(5)))
        }
        guard ds.count > 0 else { throw DataError.noRows(path: path, option: "--serve-data") }
        return session.trainer.normalizer.apply(ds)
    }

    /// One drift check over the recently served rows (sampler thread).
    public func checkDrift() {
        let sink: any MetricSink = session.health?.monitor ?? store
        let threshold = session.health?.engine.thresholds.driftPSI ?? AlertThresholds().driftPSI
        drift.check(served: inference.servedData, store: store, sink: sink, threshold: threshold)
    }
}
