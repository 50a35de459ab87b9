import Foundation
import Synchronization
import TendCore
import TendEngine
import TendMetrics

/// Serves texts through a `TextRequestModel` on its own thread: replays `texts` in order, `config.batchSize`
/// per request, at `config.rate` requests per second or closed loop. Each request is timed end to end
/// (tokenization included) into the store's latency histograms; tokenization time, tokens/s, requests/s,
/// failures and truncations are published as `serve/…` gauges once a second. A request that throws is
/// counted (and logged, the first and then every 100th) and the loop goes on.
public final class TextServingLoop: @unchecked Sendable {
    public let config: ServingConfig
    public let texts: [String]
    private let model: any TextRequestModel
    private let store: MetricsStore
    private let clock: any TendClock
    private let running = Atomic<Bool>(false)
    private let servedCount = Atomic<Int>(0)
    private let failedCount = Atomic<Int>(0)
    private let exited = DispatchSemaphore(value: 0)
    /// Serving-thread state: where the next request starts, and the last 10 s of tokenization times.
    private var next = 0
    private var recent = TokenizeWindow()
    private var second = SecondTotals()
    private var truncated = 0

    /// Requests answered / failed so far.
    public var served: Int { servedCount.load(ordering: .relaxed) }
    public var failed: Int { failedCount.load(ordering: .relaxed) }

    public init(texts: [String], model: any TextRequestModel, config: ServingConfig, store: MetricsStore,
                clock: any TendClock = SystemClock()) {
        precondition(!texts.isEmpty, "TextServingLoop: nothing to serve (no texts)")
        self.texts = texts; self.model = model; self.config = config; self.store = store; self.clock = clock
    }

    public func start() {
        guard !running.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let t = Thread { [self] in loop(); exited.signal() }
        t.name = "tend-serve-text"
        t.stackSize = 8 << 20
        t.start()
    }

    /// Stops serving and waits (up to `timeout` seconds) for the request in flight.
    public func stop(timeout: Double = 5) {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        _ = exited.wait(timeout: .now() + timeout)
    }

    /// Serves the next request now (the serving thread, or a test before `start`): records its latency and
    /// counts; true when it succeeded.
    @discardableResult
    public func serveNext() -> Bool {
        let b = config.batchSize
        let batch = (0..<b).map { texts[(next + $0) % texts.count] }
        let first = next
        next = (next + b) % texts.count
        let start = SystemClock.nanos()
        do {
            let work = try model.serve(batch)
            let nanos = SystemClock.nanos() - start
            store.recordLatency(nanos: nanos)
            servedCount.wrappingAdd(1, ordering: .relaxed)
            recent.add(tokenize: work.tokenizeNanos, total: nanos, at: clock.monotonic())
            second.requests += 1; second.texts += b; second.tokens += work.tokens
            truncated += work.truncated
            return true
        } catch {
            let n = failedCount.wrappingAdd(1, ordering: .relaxed).newValue
            store.set(.serveFailed, Double(n))
            if n == 1 || n % 100 == 0 {
                store.log(EngineEvent(wallTime: clock.now(), level: .error,
                                      message: "serving request \(served + n) (texts \(first + 1)-\(first + b)) failed: \(error); \(n) failed so far, serving goes on"))
            }
            return false
        }
    }

    /// Publishes the last second's throughput and the window's tokenization figures (serving thread).
    public func publish(seconds: Double) {
        let now = clock.monotonic()
        let s = max(seconds, 1e-9)
        store.set(.serveRequestsPerSecond, Double(second.requests) / s)
        store.set(.serveTokensPerSecond, Double(second.tokens) / s)
        store.record(MetricPoint(key: .serveRequestsPerSecond, step: served, epoch: 0, wallTime: clock.now(),
                                 value: Double(second.requests) / s))
        store.set(.serveRequests, Double(served))
        store.set(.serveFailed, Double(failed))
        store.set(.serveTruncated, Double(truncated))
        if let t = recent.figures(now: now) {
            store.set(.serveTokenizeP50, t.p50Micros)
            store.set(.serveTokenizeP99, t.p99Micros)
            store.set(.serveTokenizeShare, t.share)
        }
        store.recordProgress(step: served, epoch: 0, samples: second.texts)
        second = SecondTotals()
    }

    private func loop() {
        var windowStart = clock.monotonic()
        var due = clock.monotonic()
        while running.load(ordering: .acquiring) {
            if let rate = config.rate {
                let now = clock.monotonic()
                if now < due {
                    Thread.sleep(forTimeInterval: min(max(due - now, 0.02), 0.05))
                    if clock.monotonic() - windowStart >= 1 { publish(seconds: clock.monotonic() - windowStart); windowStart = clock.monotonic() }
                    continue
                }
                due += 1 / rate
                if now - due > 1 { due = now }   // fell far behind: do not burst
            }
            serveNext()
            let now = clock.monotonic()
            if now - windowStart >= 1 { publish(seconds: now - windowStart); windowStart = now }
        }
    }

    /// Requests answered in the current second.
    private struct SecondTotals { var requests = 0, texts = 0, tokens = 0 }
}

/// Tokenization and total times of the requests of the last `seconds` (at most `capacity` of them).
struct TokenizeWindow {
    static let capacity = 4096
    var seconds = 10.0
    private var at: [Double] = [], tokenize: [UInt64] = [], total: [UInt64] = []
    private var head = 0

    mutating func add(tokenize t: UInt64, total n: UInt64, at time: Double) {
        if at.count < Self.capacity { at.append(time); tokenize.append(t); total.append(n); return }
        at[head] = time; tokenize[head] = t; total[head] = n
        head = (head + 1) % Self.capacity
    }

    /// Median and 99th percentile of tokenization (µs) and its share of the total time, over the window.
    func figures(now: Double) -> (p50Micros: Double, p99Micros: Double, share: Double)? {
        var times: [UInt64] = [], tok: UInt64 = 0, all: UInt64 = 0
        for i in at.indices where now - at[i] <= seconds {
            times.append(tokenize[i]); tok += tokenize[i]; all += total[i]
        }
        guard !times.isEmpty else { return nil }
        times.sort()
        func q(_ p: Double) -> Double { Double(times[min(times.count - 1, Int(Double(times.count - 1) * p + 0.5))]) / 1000 }
        return (q(0.5), q(0.99), all > 0 ? Double(tok) / Double(all) : 0)
    }
}
