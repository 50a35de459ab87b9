import Synchronization
import TendCore

/// The trainer's sink when health rules are on: forwards every point and event to the store and to
/// `outputs` (e.g. metrics.jsonl), and evaluates the rules as metrics arrive — at once for a non-finite
/// value or a new validation accuracy (the end of an evaluation), otherwise at most every `thresholds.evaluationInterval` seconds.
/// Transitions are logged as events (`alert fired warning plateau: …`) and passed to `onTransition`.
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
        // An evaluation records val/loss then val/accuracy: one pass once both are in.
        let urgent = !point.value.isFinite || point.key == .valAccuracy
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

    /// Takes a snapshot and runs the rules now; logs and reports transitions. Returns them.
    @discardableResult
    public func evaluateNow() -> [AlertTransition] {
        let start = SystemClock.nanos()
        let transitions = engine.evaluate(store.snapshot(latency: .cached), now: clock.now())
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
