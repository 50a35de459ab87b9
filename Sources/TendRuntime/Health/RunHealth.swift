import Foundation
import Synchronization
import TendCore
import TendEngine
import TendInterop
import TendMetrics
import TendTensor

/// What a run does when an alert fires: `tend train` stops (after a checkpoint) when the severity reaches
/// `--fail-on` and exits 3; the dashboard pauses on a critical alert.
public struct AlertPolicy: Sendable {
    /// Stop the run (with a checkpoint) and fail at this severity or above; nil never.
    public var failOn: Severity?
    /// Push `.pause` when a critical alert fires (live runs only: headless runs have nobody to resume).
    public var pauseOnCritical: Bool

    public init(failOn: Severity?, pauseOnCritical: Bool) { self.failOn = failOn; self.pauseOnCritical = pauseOnCritical }
}

/// The health side of a run: the alert engine and monitor (the trainer's sink), the checks that publish
/// into the store (leakage before training, fairness per epoch), the checkpoint tag, and the fail-on verdict.
public final class RunHealth: @unchecked Sendable {
    public let store: MetricsStore
    public let engine: AlertEngine
    public let monitor: AlertMonitor
    public let policy: AlertPolicy
    /// Group of each data-set row (`--sensitive`), nil without.
    public let groups: [String]?
    public let sensitiveColumn: String?
    private let failure = Mutex<Alert?>(nil)
    private let commands: CommandQueue

    public init(store: MetricsStore, thresholds: AlertThresholds, outputs: [any MetricSink], commands: CommandQueue,
         policy: AlertPolicy, groups: [String]?, sensitiveColumn: String?) {
        self.store = store
        self.engine = AlertEngine(thresholds: thresholds)
        self.policy = policy
        self.groups = groups
        self.sensitiveColumn = sensitiveColumn
        self.commands = commands
        var handler: (@Sendable ([AlertTransition]) -> Void)?
        let box = HandlerBox()
        monitor = AlertMonitor(store: store, engine: engine, outputs: outputs) { box.call($0) }
        handler = { [weak self] in self?.handle($0) }
        box.set(handler!)
    }

    /// The alert that stopped the run under `--fail-on`, if any.
    public var failedAlert: Alert? { failure.withLock { $0 } }

    private func handle(_ transitions: [AlertTransition]) {
        let now = Date().timeIntervalSince1970
        for t in transitions where t.kind == .fired && !t.alert.isMuted(at: now) {
            if let failOn = policy.failOn, t.alert.severity >= failOn {
                let first = failure.withLock { f -> Bool in
                    if f == nil { f = t.alert; return true }
                    return false
                }
                if first {
                    monitor.log(EngineEvent(wallTime: now, level: .error,
                        message: "action stop: --fail-on \(failOn.rawValue) reached by \(t.alert.id); writing a checkpoint"))
                    commands.push(.stop(checkpoint: true))
                }
            } else if policy.pauseOnCritical && t.alert.severity == .critical {
                monitor.log(EngineEvent(wallTime: now, level: .warning, message: "action pause: critical alert \(t.alert.id)"))
                commands.push(.pause)
            }
        }
    }

    /// Opens (or updates) an alert found outside the rules, e.g. a failed write, and logs `event` with it.
    /// The policy's actions are the caller's (`TrainingSession.writeFailed` pauses or stops itself).
    public func raise(_ evaluation: AlertEvaluation, event: EngineEvent) {
        monitor.log(event)
        for t in engine.apply([evaluation], now: event.wallTime) {
            monitor.log(EngineEvent(wallTime: event.wallTime, level: t.eventLevel, message: t.eventMessage))
        }
    }

    /// Metadata for every checkpoint: the active alerts (`severity:id,…`, empty when healthy).
    public func checkpointMetadata() -> [String: String] {
        [Checkpoint.Key.alerts: engine.checkpointTag(at: Date().timeIntervalSince1970)]
    }

    /// Before training: duplicates across splits and single-feature predictors, published for the rules.
    public func publishLeakage(_ split: DataSplit) -> LeakageReport {
        let report = checkLeakage(split, minScore: engine.thresholds.leakageScore)
        store.set(.leakageDuplicates, Double(report.duplicateCount))
        store.set(.leakageDuplicatesDetail, text: report.duplicates.prefix(3)
            .map { "\($0.split) row \($0.row) = \($0.otherSplit) row \($0.otherRow)" }.joined(separator: "; "))
        if let top = report.featureScores.first {
            store.set(.leakageFeatureScore, top.score)
            store.set(.leakageFeatureColumn, text: top.column)
        }
        let now = Date().timeIntervalSince1970
        monitor.log(EngineEvent(wallTime: now, message: String(format: "leakage check: %d duplicated rows across splits; best single feature %@ %.4f",
            report.duplicateCount, report.featureScores.first?.column ?? "-", report.featureScores.first?.score ?? 0)))
        monitor.evaluateNow()
        return report
    }

    /// After an epoch: fairness of the validation predictions across `--sensitive` groups.
    @discardableResult
    public func publishFairness(trainer: Trainer, validationIndices: [Int]) -> FairnessReport? {
        guard let groups, trainer.data.validation.count > 0 else { return nil }
        let ev = evaluate(trainer.model, on: trainer.data.validation)
        let g = validationIndices.map { groups[$0] }
        let report = FairnessReport(labels: trainer.data.validation.labels, predictions: ev.predictions, groups: g,
                                    classes: trainer.data.validation.classes)
        let now = Date().timeIntervalSince1970
        let (step, epoch) = (trainer.step, trainer.epoch)
        func rec(_ key: String, _ v: Double?) {
            guard let v else { return }
            monitor.record(MetricPoint(key: MetricKey(key), step: step, epoch: epoch, wallTime: now, value: v))
        }
        for task in report.tasks {
            let t = task.task.replacingOccurrences(of: " ", with: "_")
            for r in task.groups {
                rec("fairness/\(t)/\(r.group)/selection_rate", r.selectionRate)
                rec("fairness/\(t)/\(r.group)/tpr", r.truePositiveRate)
                rec("fairness/\(t)/\(r.group)/fpr", r.falsePositiveRate)
                rec("fairness/\(t)/\(r.group)/accuracy", r.accuracy)
            }
        }
        rec(MetricKey.fairnessDPDifference.tag, report.worstDemographicParityDifference)
        rec(MetricKey.fairnessEODifference.tag, report.worstEqualizedOddsDifference)
        rec("fairness/eop_difference", report.worstEqualOpportunityDifference)
        monitor.evaluateNow()
        return report
    }
}

/// Lets the monitor's transition handler reach the owner created after it.
private final class HandlerBox: @unchecked Sendable {
    private let f = Mutex<(@Sendable ([AlertTransition]) -> Void)?>(nil)
    func set(_ h: @escaping @Sendable ([AlertTransition]) -> Void) { f.withLock { $0 = h } }
    func call(_ t: [AlertTransition]) { let h = f.withLock { $0 }; h?(t) }
}

/// Loads thresholds: `--rules FILE` (or ./tend.rules when present), then `--slo-p99`.
public func loadThresholds(rules: String?, sloP99: String?) throws -> AlertThresholds {
    var t = AlertThresholds()
    let path = rules ?? (FileManager.default.fileExists(atPath: "tend.rules") ? "tend.rules" : nil)
    if let path {
        guard let data = FileManager.default.contents(atPath: path) else { throw DataError.unreadable(path: path, role: "rules file") }
        t = try RulesFile.parse(String(decoding: data, as: UTF8.self), path: path)
    }
    if let sloP99 {
        guard let us = RulesFile.parseMicros(sloP99) else { throw OptionError.invalid(option: "--slo-p99", value: sloP99, expected: "a duration like 5ms, 250us or 0.5s") }
        t.latencyP99Micros = us
    }
    return t
}

/// Loads a labelled CSV, taking `sensitive` out of the features: returns the data set and each row's group.
public func loadDataset(path: String, label: String, sensitive: String?,
                 maxClasses: Int = LabelValidation.defaultMaxClasses) throws -> (Dataset, [String]?) {
    guard let sensitive else { return (try loadDataset(path: path, label: label, maxClasses: maxClasses), nil) }
    guard FileManager.default.fileExists(atPath: path) else { throw DataError.missingFile(path: path, role: "data file", hint: DataError.bundledSamplesHint) }
    var table = try CSVLoader.load(path: path)
    guard let si = table.header.firstIndex(of: sensitive) else {
        throw DataError.missingColumn(path: path, column: sensitive, purpose: "--sensitive", reference: nil, columns: table.header)
    }
    guard sensitive != label else { throw OptionError.rejected(option: "--sensitive", value: sensitive, reason: "it is the label column; name the protected-attribute column instead") }
    let groups = table.column(si).map(groupName)
    var values: [Double] = []
    values.reserveCapacity(table.rows * (table.columns - 1))
    for r in 0..<table.rows { for c in 0..<table.columns where c != si { values.append(table[r, c]) } }
    var header = table.header; header.remove(at: si)
    table = CSVTable(path: table.path, header: header, rows: table.rows, values: values, headerLine: table.headerLine,
                     rowLines: table.rowLines)
    let lt = try table.labeled(label: label, maxClasses: maxClasses)
    return (Dataset(features: lt.features, labels: lt.labels, featureNames: lt.featureNames), groups)
}

/// A group value as text: integers without a decimal point.
public func groupName(_ v: Double) -> String {
    v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
}
