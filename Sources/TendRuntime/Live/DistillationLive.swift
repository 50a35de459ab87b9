import Foundation
import Synchronization
import TendCore
import TendEngine
import TendMetrics
import TendTensor

/// The live run's distillation: `.startDistillation` (on the training thread) copies the live model as the
/// teacher and trains a student on its own thread (`tend-distill`) while the teacher keeps training; after every
/// epoch it measures both models (validation figures, batch-1 latency, agreement) and publishes a
/// `DistillationProgress` attachment. `.serveStudent` hands the newest student to the inference loop (and each
/// newer one as epochs finish) until `.serveTeacher`; leaving the screen does not stop it, `stop()` (shutdown) does.
public final class LiveDistillation: @unchecked Sendable {
    private let store: MetricsStore
    private let distiller = Mutex<Distiller?>(nil)
    /// The newest finished student, a private copy (read only through `copy()`).
    private let latestStudent = Mutex<(any Model)?>(nil)
    private let serving = Atomic<Bool>(false)
    private let progress = Mutex<DistillationProgress?>(nil)
    private let running = Atomic<Bool>(false)
    /// Students started in this run (training thread only).
    private var started = 0
    /// Single-row forwards timed per model after each epoch.
    public static let latencySamples = 200

    public init(store: MetricsStore) { self.store = store }

    /// True while the inference loop serves the student (the live run must not publish the teacher over it).
    public var servesStudent: Bool { serving.load(ordering: .acquiring) }

    public func stop() { distiller.withLock { $0?.stop() } }

    /// Quantized or fp32 serving requests end student serving (before their owner handles them).
    public func endStudentServing() {
        if serving.exchange(false, ordering: .acquiringAndReleasing) { updateProgress { $0.serving = "teacher" } }
    }

    /// Handles distillation commands on the training thread; false for anything else.
    @discardableResult
    public func handle(_ c: EngineCommand, run: LiveRun) -> Bool {
        switch c {
        case .startDistillation(let t, let a, let epochs, let fresh):
            if running.load(ordering: .acquiring) { return true }            // `d` again shows the running one
            if !fresh && progress.withLock({ $0 != nil }) { return true }    // and keeps a finished one until `r`
            if serving.exchange(false, ordering: .acquiringAndReleasing) {   // a fresh student starts untrained
                run.publishModel()
                store.attach("fp32", as: ServingPrecision.key)
                run.logEvent(.info, "serving the teacher again (a new student is starting)")
            }
            start(temperature: t, alpha: a, epochs: epochs, run: run)
        case .serveStudent:
            guard let student = latestStudent.withLock({ $0?.copy() }) else {
                run.logEvent(.warning, "distillation: no student yet (wait for its first epoch)")
                return true
            }
            run.quantizedServing = nil
            serving.store(true, ordering: .releasing)
            run.inference.publish(student)
            store.attach("student", as: ServingPrecision.key)
            updateProgress { $0.serving = "student" }
            let p = progress.withLock { $0 }
            run.logEvent(.info, "serving the distilled student " + (p.map { layoutText($0.student.layout) + String(
                format: " (%d params, val acc %.4f, p50 %.1f us; teacher %d params, p50 %.1f us)", $0.student.parameters,
                $0.student.validationAccuracy ?? .nan, $0.student.latencyP50Microseconds ?? .nan, $0.teacher.parameters,
                $0.teacher.latencyP50Microseconds ?? .nan) } ?? ""))
        case .serveTeacher:
            if serving.exchange(false, ordering: .acquiringAndReleasing) {
                run.publishModel()
                store.attach("fp32", as: ServingPrecision.key)
                updateProgress { $0.serving = "teacher" }
                run.logEvent(.info, "serving the teacher again")
            }
        default:
            return false
        }
        return true
    }

    private func start(temperature: Double, alpha: Double, epochs: Int, run: LiveRun) {
        var config = DistillationConfig()
        config.temperature = Float(temperature); config.alpha = Float(alpha); config.epochs = max(1, epochs)
        config.learningRate = 3e-3
        config.seed = run.trainer.config.seed &+ 7
        config.batchSize = run.trainer.config.batchSize
        if let problem = config.validationError { run.logEvent(.error, "distillation: \(problem)"); return }
        let data = run.trainer.data
        guard data.train.count > 0 else { run.logEvent(.error, "distillation: no training rows"); return }
        let teacherStep = run.trainer.step
        let d: Distiller
        do { d = try Distiller(teacher: run.trainer.model, data: data, config: config, sink: store) }   // copies the teacher
        catch { run.logEvent(.error, "distillation: \(error)"); return }
        distiller.withLock { $0 = d }
        latestStudent.withLock { $0 = nil }
        running.store(true, ordering: .releasing)
        let validation = data.validation.count > 0 ? data.validation : data.train
        let teacherEval = evaluate(d.teacher, on: validation)
        let teacherFigures = DistillationProgress.Model(layout: d.teacher.architecture.widths, parameters: d.teacher.parameterCount,
                                                        bytes: 4 * d.teacher.parameterCount, validationAccuracy: teacherEval.report.accuracy,
                                                        validationLoss: teacherEval.loss)
        let studentFigures = DistillationProgress.Model(layout: d.student.architecture.widths, parameters: d.student.parameterCount,
                                                        bytes: 4 * d.student.parameterCount)
        var first = DistillationProgress(phase: .training, temperature: temperature, alpha: alpha, epochsTotal: config.epochs, batch: 0,
                                         batchesPerEpoch: d.batchesPerEpoch, epochs: [], teacher: teacherFigures, student: studentFigures,
                                         teacherStep: teacherStep, agreement: nil, serving: servesStudent ? "student" : "teacher")
        started += 1
        first.generation = started
        progress.withLock { $0 = first }
        store.attach(first, as: DistillationProgress.key)
        run.logEvent(.info, "distillation started: teacher \(layoutText(d.teacher.architecture.widths)) (step \(teacherStep)) -> student "
                     + "\(layoutText(d.student.architecture.widths)), T \(temperature), alpha \(alpha), \(config.epochs) epochs")
        let inference = run.inference
        let t = Thread { [self] in
            var lastPublish = 0.0
            d.onStep = { [self] batch, per in
                let now = Date().timeIntervalSince1970
                guard now - lastPublish > 0.25 else { return }   // progress bar at ~4 Hz
                lastPublish = now
                updateProgress { $0.batch = batch; $0.batchesPerEpoch = per }
            }
            d.onEpoch = { [self] e in
                let student = d.student.copy()
                let ((t50, t99), (s50, s99)) = DistillationComparison.batchOneLatency(d.teacher, student, rows: validation,
                                                                                       samples: Self.latencySamples)
                let a = evaluate(d.teacher, on: validation).predictions, b = evaluate(student, on: validation).predictions
                let agree = Double(zip(a, b).filter { $0 == $1 }.count) / Double(max(1, a.count))
                latestStudent.withLock { $0 = student.copy() }
                if servesStudent { inference.publish(student) }
                updateProgress { p in
                    p.epochs.append(.init(epoch: e.epoch, trainLoss: e.trainLoss, validationLoss: e.validationLoss,
                                          validationAccuracy: e.validationAccuracy))
                    p.batch = 0
                    p.student.validationAccuracy = e.validationAccuracy; p.student.validationLoss = e.validationLoss
                    p.student.latencyP50Microseconds = s50; p.student.latencyP99Microseconds = s99
                    p.teacher.latencyP50Microseconds = t50; p.teacher.latencyP99Microseconds = t99
                    p.agreement = agree
                }
            }
            let outcome = d.run()
            d.onStep = nil; d.onEpoch = nil   // the closures hold `d`
            updateProgress { $0.phase = outcome == .finished ? .finished : .stopped }
            running.store(false, ordering: .releasing)
            let last = d.history.last
            store.log(EngineEvent(wallTime: Date().timeIntervalSince1970, message: String(
                format: "distillation %@ after %d epochs: student val acc %.4f", (outcome == .finished ? "finished" : "stopped") as NSString,
                d.history.count, last?.validationAccuracy ?? .nan)))
        }
        t.name = "tend-distill"
        t.stackSize = 8 << 20
        t.start()
    }

    private func updateProgress(_ change: (inout DistillationProgress) -> Void) {
        let p = progress.withLock { slot -> DistillationProgress? in
            guard var p = slot else { return nil }
            change(&p)
            slot = p
            return p
        }
        if let p { store.attach(p, as: DistillationProgress.key) }
    }
}

private func layoutText(_ sizes: [Int]) -> String { sizes.map(String.init).joined(separator: "-") }
