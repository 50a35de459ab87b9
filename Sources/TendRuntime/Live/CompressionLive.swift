import Foundation
import TendCore
import TendEngine
import TendMetrics

/// The live run's compression screens: turns preview commands (arriving on the training thread) into jobs for
/// two coalescing workers, with a model snapshot only when the live weights changed, and publishes the results
/// as `PruningPreview` / `QuantizationPreview` attachments. Commits and serving switches run on the training thread.
final class LiveCompression: @unchecked Sendable {
    private let store: MetricsStore
    private lazy var pruneWorker = CoalescingWorker<PruningJob>(name: "tend-prune-preview", merge: PruningJob.merge) {
        [previewer] job in previewer.run(job)
    }
    private lazy var quantWorker = CoalescingWorker<QuantizationJob>(name: "tend-quant-preview") { [store] job in
        store.attach(QuantizationPreviewer.run(job), as: QuantizationPreview.key)
    }
    private let previewer: PruningPreviewer
    // Training thread only:
    private var snapshotStep = -1
    private var snapshotTime = 0.0
    private var weightsChanged = true
    private var lastRequest = PruningRequest(mode: .threshold, value: 0)
    private var lastQuantConfig = QuantizationConfig()
    /// Seconds a snapshot is reused while training moves the weights.
    static let snapshotMaxAge = 1.0

    init(store: MetricsStore) {
        self.store = store
        previewer = PruningPreviewer { [store] p in store.attach(p, as: PruningPreview.key) }
    }

    /// The live weights changed other than by a training step (commit, undo, rollback, epoch end).
    func modelChanged() { weightsChanged = true }

    func stop() {
        pruneWorker.stop()
        quantWorker.stop()
    }

    /// Handles compression commands on the training thread; false for anything else.
    func handle(_ c: EngineCommand, run: LiveRun) -> Bool {
        switch c {
        case .previewPrune(let t, let s, let global):
            lastRequest = PruningRequest(mode: t != nil ? .threshold : .sparsity, value: t ?? s ?? 0, global: global)
            submitPrune(run: run, sweep: false)
        case .sweepPrune(let global):
            lastRequest.global = global
            submitPrune(run: run, sweep: true)
        case .pruneAndFineTune(let t, let s, let global, let epochs):
            let scope: PruningScope = global ? .global : .layer
            run.commitPruning(t.map { .threshold(Float($0), scope: scope) } ?? .sparsity(s ?? 0, scope: scope), fineTuneEpochs: epochs)
            weightsChanged = true
            submitPrune(run: run, sweep: false)
        case .previewQuantize(let pc, let sym, let cal, let keep):
            guard let config = Self.config(pc, sym, cal, keep, run: run) else { return true }
            lastQuantConfig = config
            submitQuant(run: run)
        case .serveQuantized(let pc, let sym, let cal, let keep):
            guard let config = Self.config(pc, sym, cal, keep, run: run) else { return true }
            run.quantizedServing = config
            if !run.publishQuantized(logResult: true) { run.quantizedServing = nil }
            store.attach(run.quantizedServing == nil ? "fp32" : "int8", as: ServingPrecision.key)
            lastQuantConfig = config
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

    private func submitPrune(run: LiveRun, sweep: Bool) {
        let now = Date().timeIntervalSince1970
        let step = run.trainer.step
        var snapshot: ModelSnapshot?
        if weightsChanged || snapshotStep < 0 || (step != snapshotStep && now - snapshotTime > Self.snapshotMaxAge) {
            snapshot = ModelSnapshot(model: run.trainer.model.copy(), step: step)
            snapshotStep = step; snapshotTime = now; weightsChanged = false
        }
        pruneWorker.submit(PruningJob(request: lastRequest, snapshot: snapshot, validation: run.validationData, sweep: sweep))
    }

    private func submitQuant(run: LiveRun) {
        quantWorker.submit(QuantizationJob(config: lastQuantConfig,
                                           snapshot: ModelSnapshot(model: run.trainer.model.copy(), step: run.trainer.step),
                                           validation: run.validationData,
                                           serving: run.quantizedServing == nil ? "fp32" : "int8"))
    }
}

extension LiveRun {
    /// Validation rows (training rows when the split has none): what previews and calibration measure on.
    var validationData: Dataset { trainer.data.validation.count > 0 ? trainer.data.validation : trainer.data.train }

    func logEvent(_ level: EngineEvent.Level, _ text: String) {
        store.log(EngineEvent(wallTime: Date().timeIntervalSince1970, level: level, message: text))
    }

    /// Prunes the live model to `spec` (undoable), then fine-tunes `fineTuneEpochs` epochs on the training split
    /// with the masks fixed; logs accuracy before, after pruning and after fine-tuning. Training thread only.
    func commitPruning(_ spec: PruningSpec, fineTuneEpochs: Int) {
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
