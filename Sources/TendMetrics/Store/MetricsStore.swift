import Synchronization
import TendCore

/// The thread-safe home of a run's live metrics: the engine records into it (it is the engine's
/// `MetricSink`), the UI takes one `snapshot()` per frame. Every call is one short `Mutex` section;
/// heavier work (latency percentiles) happens in `snapshot()` outside the lock.
public final class MetricsStore: MetricSink {
    public let clock: any TendClock
    /// Maximum stored points per series (see `RingSeries`).
    public let seriesCapacity: Int
    /// Maximum events kept for the log.
    public let eventCapacity: Int

    private struct State: Sendable {
        var version: UInt64 = 0
        var series: [MetricKey: RingSeries] = [:]
        var gauges: [MetricKey: Double] = [:]
        var labels: [MetricKey: String] = [:]
        var events: [EngineEvent] = []
        var eventsTotal = 0
        var latency: LatencyRecorder
        var latencyVersion: UInt64 = 0
        var process: ProcessSample?
        var firstProcessTime: Double?
        var layers: [LayerStat] = []
        var attachments: [String: any Sendable] = [:]
        var run: RunInfo
        var samples: ThroughputMeter
        var steps: ThroughputMeter
    }

    private struct LatencyCache: Sendable {
        var latencyVersion: UInt64
        var slot: Int64
        var report: LatencyReport
        /// p99 of closed one-second intervals, reused across reports.
        var p99: [Int64: LatencyPoint]
    }

    private let state: Mutex<State>
    private let latencyCache = Mutex<LatencyCache?>(nil)
    private let sampler: Mutex<ProcessSampler>

    /// `throughputWindow`: seconds over which samples/s and steps/s are averaged.
    public init(clock: any TendClock = SystemClock(), seriesCapacity: Int = 4096, eventCapacity: Int = 1000,
                throughputWindow: Double = 10, runName: String = "") {
        precondition(eventCapacity > 0, "MetricsStore eventCapacity must be positive")
        self.clock = clock
        self.seriesCapacity = seriesCapacity
        self.eventCapacity = eventCapacity
        _ = RingSeries(capacity: seriesCapacity)  // validates the capacity up front
        sampler = Mutex(ProcessSampler(clock: clock))
        state = Mutex(State(latency: LatencyRecorder(clock: clock),
                            run: RunInfo(name: runName, startedAt: clock.now()),
                            samples: ThroughputMeter(window: throughputWindow),
                            steps: ThroughputMeter(window: throughputWindow)))
    }

    /// Number of changes so far; compare with `MetricsSnapshot.version` to skip a snapshot.
    public var version: UInt64 { state.withLock { $0.version } }

    /// The run's state (training, paused, finished, …) without taking a snapshot.
    public var runState: RunState { state.withLock { $0.run.state } }

    // MARK: MetricSink

    public func record(_ point: MetricPoint) {
        let capacity = seriesCapacity
        state.withLock { s in
            s.series[point.key, default: RingSeries(capacity: capacity)]
                .append(SeriesPoint(x: Double(point.step), y: point.value, wallTime: point.wallTime))
            // A run without a live progress feed (headless `tend train`) still reports its epoch.
            s.run.epoch = max(s.run.epoch, point.epoch)
            s.version &+= 1
        }
    }

    public func log(_ event: EngineEvent) {
        let cap = eventCapacity
        state.withLock { s in
            s.events.append(event)
            s.eventsTotal += 1
            if s.events.count >= 2 * cap { s.events.removeFirst(s.events.count - cap) }
            s.version &+= 1
        }
    }

    // MARK: Other inputs

    /// One request latency, stamped with the store's clock.
    public func recordLatency(nanos: UInt64) {
        let now = clock.monotonic()
        state.withLock { s in
            s.latency.record(nanos: nanos, at: now)
            s.latencyVersion &+= 1
            s.version &+= 1
        }
    }

    /// Keeps the sample as the latest and appends RSS, CPU % and threads to their series.
    public func recordProcessSample(_ sample: ProcessSample) {
        let capacity = seriesCapacity
        let wall = clock.now()
        state.withLock { s in
            let t0 = s.firstProcessTime ?? sample.time
            s.firstProcessTime = t0
            let x = sample.time - t0
            s.series[.processRSS, default: RingSeries(capacity: capacity)]
                .append(SeriesPoint(x: x, y: Double(sample.rssBytes), wallTime: wall))
            s.series[.processThreads, default: RingSeries(capacity: capacity)]
                .append(SeriesPoint(x: x, y: Double(sample.threads), wallTime: wall))
            if let cpu = sample.cpuPercent {
                s.series[.processCPU, default: RingSeries(capacity: capacity)]
                    .append(SeriesPoint(x: x, y: cpu, wallTime: wall))
            }
            s.process = sample
            s.version &+= 1
        }
    }

    /// Reads `/proc/self` now and records the sample (call about once a second from the UI or a timer).
    @discardableResult
    public func sampleProcess() throws -> ProcessSample {
        let sample = try sampler.withLock { try $0.sample() }
        recordProcessSample(sample)
        return sample
    }

    /// Sets a latest-only numeric value (no history).
    public func set(_ key: MetricKey, _ value: Double) {
        state.withLock { s in s.gauges[key] = value; s.version &+= 1 }
    }

    /// Sets a latest-only text value; nil removes it.
    public func set(_ key: MetricKey, text: String?) {
        state.withLock { s in s.labels[key] = text; s.version &+= 1 }
    }

    /// Replaces the per-layer table.
    public func setLayers(_ layers: [LayerStat]) {
        state.withLock { s in s.layers = layers; s.version &+= 1 }
    }

    /// Publishes a value that is not a time series (a pruning preview, a quantization report, the alert
    /// list, …) under `key`; screens read it back with `MetricsSnapshot.attachment(_:as:)`. nil removes it.
    public func attach(_ value: (any Sendable)?, as key: String) {
        state.withLock { s in s.attachments[key] = value; s.version &+= 1 }
    }

    /// Edits the run info in place (name, state, totalSteps, ...). Keep `body` short: it runs under the lock.
    public func updateRun(_ body: (inout RunInfo) -> Void) {
        state.withLock { s in body(&s.run); s.version &+= 1 }
    }

    /// Call after each optimizer step: sets step and epoch, and feeds the samples/s and steps/s meters
    /// (which then drive `RunInfo.samplesPerSecond`, `stepsPerSecond` and `etaSeconds`).
    public func recordProgress(step: Int, epoch: Int, samples: Int) {
        let now = clock.monotonic()
        state.withLock { s in
            s.run.step = step
            s.run.epoch = epoch
            s.samples.add(Double(samples), at: now)
            s.steps.observe(total: Double(step), at: now)
            s.version &+= 1
        }
    }

    // MARK: Snapshot

    /// How fresh a snapshot's latency statistics must be.
    public enum LatencyFreshness: Sendable, Equatable { case current, cached }

    /// Recomputes the cached latency statistics now (call from a background thread about once a second).
    public func refreshLatencyReport() {
        _ = snapshot(latency: .current, includeSeries: false)
    }

    /// A value copy of the store. Cheap under the lock (copy-on-write containers); latency statistics are
    /// computed outside it and reused while no latency was recorded within the same second.
    /// `latency` says how fresh the latency statistics must be: `.current` recomputes them when requests
    /// arrived since the last report; `.cached` never computes them here (a UI thread polling at 10 Hz
    /// uses this and lets a background thread call `refreshLatencyReport()`), falling back to computing
    /// only when no report exists yet.
    /// With `includeSeries` false the snapshot's `series` is empty: a caller that shows only counters (or reuses
    /// an older snapshot's series) then shares no series storage with the store, so the trainer's next appends
    /// do not have to copy the series (copy-on-write).
    public func snapshot(latency freshness: LatencyFreshness = .current, includeSeries: Bool = true) -> MetricsSnapshot {
        let now = clock.monotonic()
        let interval = state.withLock { $0.latency.interval }
        let slot = Int64((now / interval).rounded(.down))
        let cached = latencyCache.withLock { $0 }
        var snap = MetricsSnapshot()
        var recorder: LatencyRecorder?
        var latencyVersion: UInt64 = 0
        state.withLock { s in
            Self.copy(s, into: &snap, includeSeries: includeSeries)
            latencyVersion = s.latencyVersion
            if let cached, freshness == .cached || (cached.slot == slot && cached.latencyVersion == s.latencyVersion) {
                snap.latency = cached.report
            } else {
                recorder = s.latency
            }
        }
        if snap.events.count > eventCapacity { snap.events = Array(snap.events.suffix(eventCapacity)) }
        if let recorder {
            var p99 = cached?.p99 ?? [:]
            let report = recorder.report(at: now, p99Cache: &p99)
            snap.latency = report
            latencyCache.withLock {
                $0 = LatencyCache(latencyVersion: latencyVersion, slot: slot, report: report, p99: p99)
            }
        }
        snap.takenAt = clock.now()
        return snap
    }

    /// Runs `body` on a snapshot that exists only while the store is locked (latency: the cached report), for
    /// short pure readers such as the health rules. A snapshot that outlives the lock shares the series'
    /// storage, so the trainer's next append to each series copies it (copy-on-write, ~100 kB per series);
    /// this one is gone before anyone can append. `body` must not call back into the store.
    public func withSnapshot<R: Sendable>(_ body: (MetricsSnapshot) -> R) -> R {
        let cached = latencyCache.withLock { $0?.report }
        let takenAt = clock.now()
        return state.withLock { s -> R in
            var snap = MetricsSnapshot()
            Self.copy(s, into: &snap, includeSeries: true)
            if let cached { snap.latency = cached }
            snap.takenAt = takenAt
            return body(snap)
        }
    }

    /// Copies the store's state into a snapshot (under the lock; containers are shared copy-on-write).
    private static func copy(_ s: State, into snap: inout MetricsSnapshot, includeSeries: Bool) {
        snap.version = s.version
        if includeSeries { snap.series = s.series }
        snap.gauges = s.gauges
        snap.labels = s.labels
        snap.events = s.events
        snap.eventsTotal = s.eventsTotal
        snap.process = s.process
        snap.layers = s.layers
        snap.attachments = s.attachments
        snap.run = s.run
        if let r = s.samples.rate { snap.run.samplesPerSecond = r }
        if let r = s.steps.rate {
            snap.run.stepsPerSecond = r
            snap.run.etaSeconds = s.run.totalSteps.flatMap { s.steps.eta(toReach: Double($0)) }
        }
    }
}
