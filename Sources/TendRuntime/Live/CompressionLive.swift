import Foundation
import Synchronization
import TendCore
import TendEngine
import TendMetrics

/// The live run's compression screens: preview commands (from the UI thread, at once) become jobs for two
/// coalescing workers, carrying the trainer's published model snapshot when it is newer than the one the worker
/// holds; results are published as `PruningPreview` / `QuantizationPreview` attachments. Commits and serving
/// switches run on the training thread (`handle`).
public final class LiveCompression: @unchecked Sendable {
    private let store: MetricsStore
    private lazy var pruneWorker = CoalescingWorker<PruningJob>(name: "tend-prune-preview", merge: PruningJob.merge) {
        [previewer] job in previewer.run(job)
    }
    private lazy var quantWorker = CoalescingWorker<QuantizationJob>(name: "tend-quant-preview") { [store] job in
        store.attach(QuantizationPreviewer.run(job), as: QuantizationPreview.key)
    }
    private let previewer: PruningPreviewer
    private struct Requests {
        /// Version of the snapshot last handed to the pruning worker (0: none yet).
        var prunedVersion: UInt64 = 0
        var pruning = PruningRequest(mode: .threshold, value: 0)
        var quantization = QuantizationConfig()
    }
    private let requests = Mutex(Requests())

    public init(store: MetricsStore) {
        self.store = store
        previewer = PruningPreviewer { [store] p in store.attach(p, as: PruningPreview.key) }
    }

    public func stop() {
        pruneWorker.stop()
        quantWorker.stop()
    }

    /// Read-only previews (`.previewPrune`, `.sweepPrune`, `.previewQuantize`), from any thread.
    public func preview(_ c: EngineCommand, run: LiveRun) {
        switch c {
        case .previewPrune(let t, let s, let global):
            requests.withLock { $0.pruning = PruningRequest(mode: t != nil ? .threshold : .sparsity, value: t ?? s ?? 0, global: global) }
            submitPrune(run: run, sweep: false)
        case .sweepPrune(let global):
            requests.withLock { $0.pruning.global = global }
            submitPrune(run: run, sweep: true)
        case .previewQuantize(let pc, let sym, let cal, let keep):
            guard let config = Self.config(pc, sym, cal, keep, run: run) else { return }
            requests.withLock { $0.quantization = config }
            submitQuant(run: run)
        default:
            break
        }
    }

    /// Handles the model-changing compression commands on the training thread; false for anything else.
    @discardableResult
    public func handle(_ c: EngineCommand, run: LiveRun) -> Bool {
        switch c {
        case .pruneAndFineTune(let t, let s, let global, let epochs):
            let scope: PruningScope = global ? .global : .layer
            run.commitPruning(t.map { .threshold(Float($0), scope: scope) } ?? .sparsity(s ?? 0, scope: scope), fineTuneEpochs: epochs)
            submitPrune(run: run, sweep: false)
        case .serveQuantized(let pc, let sym, let cal, let keep):
            guard let config = Self.config(pc, sym, cal, keep, run: run) else { return true }
            run.quantizedServing = config
            if !run.publishQuantized(logResult: true) { run.quantizedServing = nil }
            store.attach(run.quantizedServing == nil ? "fp32" : "int8", as: ServingPrecision.key)
            requests.withLock { $0.quantization = config }
            submitQuant(run: run)
        case .serveFP32:
            if run.quantizedServing != nil {
                run.quantizedServing = nil
                run.publishModel()
                run.logEvent(.info, "serving fp32 again")
            }
            store.attach("fp32", as: ServingPrecision.key)
            submitQuant(run: run)
        default:
            return false
        }
        return true
    }

    private static func config(_ perChannel: Bool, _ symmetric: Bool, _ calibration: String, _ keep: [String],
                               run: LiveRun) -> QuantizationConfig? {
        guard let method = CalibrationMethod(rawValue: calibration) else {
            run.logEvent(.error, "quantize: calibration method \"\(calibration)\" is not one of "
                         + CalibrationMethod.allCases.map(\.rawValue).joined(separator: ", "))
            return nil
        }
        return QuantizationConfig(perChannel: perChannel, symmetric: symmetric, calibration: method, keepFP32: keep)
    }

    /// A pruning job with the published snapshot when the worker has not seen it yet (the worker copies it once).
    private func submitPrune(run: LiveRun, sweep: Bool) {
        guard let latest = run.snapshots.latest else { return }
        let (request, fresh) = requests.withLock { r -> (PruningRequest, Bool) in
            defer { r.prunedVersion = latest.version }
            return (r.pruning, r.prunedVersion != latest.version)
        }
        pruneWorker.submit(PruningJob(request: request, snapshot: fresh ? latest : nil, validation: run.validationData, sweep: sweep))
    }

    private func submitQuant(run: LiveRun) {
        guard let latest = run.snapshots.latest else { return }
        quantWorker.submit(QuantizationJob(config: requests.withLock { $0.quantization }, snapshot: latest,
                                           validation: run.validationData,
                                           serving: run.quantizedServing == nil ? "fp32" : "int8"))
    }
}

extension LiveRun {
    /// Validation rows (training rows when the split has none): what previews and calibration measure on.
    public var validationData: Dataset { trainer.data.validation.count > 0 ? trainer.data.validation : trainer.data.train }

    public func logEvent(_ level: EngineEvent.Level, _ text: String) {
        store.log(EngineEvent(wallTime: Date().timeIntervalSince1970, level: level, message: text))
    }

    /// Prunes the live model to `spec` (undoable), then fine-tunes `fineTuneEpochs` epochs on the training split
    /// with the masks fixed; logs accuracy before, after pruning and after fine-tuning. Training thread only.
    public func commitPruning(_ spec: PruningSpec, fineTuneEpochs: Int) {
        if let problem = spec.validationError { logEvent(.error, "prune: \(problem)"); return }
        let val = validationData
        let before = evaluate(trainer.model, on: val).report.accuracy
        let summary = pruning.commit(spec)
        let pruned = evaluate(trainer.model, on: val).report.accuracy
        var text = String(format: "pruned (%@, %@): sparsity %.1f%%, val acc %.4f -> %.4f (%+.4f), stored %d of %d bytes",
                          spec.target.description as NSString, spec.scope.rawValue as NSString, summary.sparsity * 100,
                          before, pruned, pruned - before, summary.storedBytes, summary.denseBytes)
        if fineTuneEpochs > 0 {
            _ = PruningFineTune.run(trainer.model, on: trainer.data.train, epochs: fineTuneEpochs)
            let tuned = evaluate(trainer.model, on: val).report.accuracy
            text += String(format: "; fine-tuned %d epochs (masks fixed): val acc %.4f (%+.4f vs unpruned)",
                           fineTuneEpochs, tuned, tuned - before)
        }
        publishModel()
        logEvent(.info, text)
    }
}
