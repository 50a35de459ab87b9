import Synchronization
import TendCore

/// The trainer's sink when health rules are on: forwards every point and event to the store and to
/// `outputs` (e.g. metrics.jsonl), and evaluates the rules as metrics arrive — at once for a non-finite
/// value (a NaN pauses the run before its next step), otherwise at most every `thresholds.evaluationInterval`
/// seconds (0.25). Rules are pure functions of the snapshot, so a pass judges every point recorded since the
/// last one (three rising validation losses are three points in the series whenever the pass runs). A pass
/// right after training steps runs with cold caches, ~40 µs; once per validation it was ~1% of a digits run.
/// Call `finish()` when the run ends so the last points are judged. Transitions are logged as events
/// (`alert fired warning plateau: …`) and passed to `onTransition`.
public final class AlertMonitor: MetricSink, @unchecked Sendable {
    public let store: MetricsStore
    public let engine: AlertEngine
    public let outputs: [any MetricSink]
    public let clock: any TendClock
    private let onTransition: @Sendable ([AlertTransition]) -> Void
    private let lastEvaluation = Mutex<Double>(-.infinity)
    private let spentNanos = Atomic<UInt64>(0)
    private let passes = Atomic<Int>(0)

    public init(store: MetricsStore, engine: AlertEngine, outputs: [any MetricSink] = [], clock: any TendClock = SystemClock(),
                onTransition: @escaping @Sendable ([AlertTransition]) -> Void = { _ in }) {
        self.store = store; self.engine = engine; self.outputs = outputs; self.clock = clock
        self.onTransition = onTransition
    }

    public func record(_ point: MetricPoint) {
        store.record(point)
        for o in outputs { o.record(point) }
        let urgent = !point.value.isFinite
        let now = clock.monotonic()
        let due = lastEvaluation.withLock { last in
            guard urgent || now - last >= engine.thresholds.evaluationInterval else { return false }
            last = now
            return true
        }
        if due { evaluateNow() }
    }

    public func log(_ event: EngineEvent) {
        store.log(event)
        for o in outputs { o.log(event) }
    }

    /// A last pass at the end of a run: judges whatever arrived since the last interval pass.
    @discardableResult
    public func finish() -> [AlertTransition] { evaluateNow() }

    /// Takes a snapshot and runs the rules now; logs and reports transitions. Returns them.
    @discardableResult
    public func evaluateNow() -> [AlertTransition] {
        let start = SystemClock.nanos()
        // The snapshot lives only under the store's lock: the trainer's next appends copy no series.
        let now = clock.now()
        let transitions = store.withSnapshot { [engine] snap in engine.evaluate(snap, now: now) }
        spentNanos.add(SystemClock.nanos() - start, ordering: .relaxed)
        passes.add(1, ordering: .relaxed)
        if !transitions.isEmpty {
            let wall = clock.now()
            for t in transitions { log(EngineEvent(wallTime: wall, level: t.eventLevel, message: t.eventMessage)) }
            onTransition(transitions)
        }
        return transitions
    }

    /// Seconds spent evaluating rules so far (snapshot + rules), and how many passes ran.
    public var cost: (seconds: Double, passes: Int) {
        (Double(spentNanos.load(ordering: .relaxed)) / 1e9, passes.load(ordering: .relaxed))
    }
}
