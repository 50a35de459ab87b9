import Foundation
import Synchronization
import TendCore
import TendTensor

/// How the inference loop generates requests.
public struct ServingConfig: Sendable, Equatable {
    /// Requests per second (open loop); nil: closed loop (next request as soon as the last returns).
    public var rate: Double?
    /// Rows per request (1 = single-example serving).
    public var batchSize: Int
    public init(rate: Double? = 200, batchSize: Int = 1) {
        precondition(batchSize > 0, "ServingConfig: batch size must be positive")
        precondition(rate.map { $0 > 0 } ?? true, "ServingConfig: rate must be positive")
        self.rate = rate; self.batchSize = batchSize
    }
}

/// Serves the latest published model on its own thread by replaying rows of a data set, timing each
/// request end to end (nanoseconds) into a `LatencySink`, and publishing serving accuracy and req/s.
public final class InferenceLoop: @unchecked Sendable {
    public let config: ServingConfig
    private let data: Dataset
    private let latency: any LatencySink
    private let sink: any MetricSink
    private let clock: any TendClock
    private let model = Mutex<(any Predictor)?>(nil)
    private let running = Atomic<Bool>(false)
    private let servedCount = Atomic<Int>(0)
    private var thread: Thread?
    private let exited = DispatchSemaphore(value: 0)
    /// Records the served rows and predictions for drift checks when set (before `start`).
    public let window: ServedWindow?

    /// `data` must already be normalised as the model expects.
    public init(data: Dataset, config: ServingConfig = ServingConfig(), latency: any LatencySink,
                sink: any MetricSink, clock: any TendClock = SystemClock(), window: ServedWindow? = nil) {
        precondition(data.count > 0, "InferenceLoop: nothing to serve (empty data set)")
        self.data = data; self.config = config; self.latency = latency; self.sink = sink; self.clock = clock
        self.window = window
    }

    /// The rows the loop replays (normalised), e.g. for drift checks on `window`.
    public var servedData: Dataset { data }

    /// Makes `m` (any model or its compressed form) the one served from the next request on; it is
    /// used only by the serving thread, so it may keep scratch buffers. The caller must not use `m` afterwards.
    public func publish(_ m: any Predictor) {
        model.withLock { $0 = m }
    }

    /// Requests served so far.
    public var served: Int { servedCount.load(ordering: .relaxed) }

    public func start() {
        guard !running.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let t = Thread { [self] in self.loop(); self.exited.signal() }
        t.name = "tend-serve"
        thread = t
        t.start()
    }

    /// Stops serving and waits (up to `timeout` seconds) until the serving thread has left its loop,
    /// so no request is in flight when the process exits.
    public func stop(timeout: Double = 2) {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        _ = exited.wait(timeout: .now() + timeout)
    }

    /// Serves one request of rows starting at `row` with the current model; returns (nanoseconds, correct rows), or nil with no model.
    public func serveOnce(row: Int, into x: inout Tensor) -> (UInt64, Int)? {
        let b = config.batchSize
        let d = data.featureCount
        let start = SystemClock.nanos()
        guard let m = model.withLock({ $0 }) else { return nil }
        if x.shape != Shape([b, d]) { x = Tensor(shape: [b, d]) }
        data.features.storage.withUnsafeBufferPointer { src in
            x.storage.withUnsafeMutableBufferPointer { dst in
                for r in 0..<b {
                    let i = (row + r) % data.count
                    (dst.baseAddress! + r * d).update(from: src.baseAddress! + i * d, count: d)
                }
            }
        }
        let logits = m.predict(.features(x))
        let am = argmaxRows(logits)
        let nanos = SystemClock.nanos() - start
        window?.append(firstRow: row, rowCount: data.count, predictions: am)
        var correct = 0
        for r in 0..<b where am[r] == data.labels[(row + r) % data.count] { correct += 1 }
        return (nanos, correct)
    }

    /// Shortest sleep between bursts of requests, in seconds.
    static let minimumSleep = 0.02

    private func loop() {
        var x = Tensor(shape: [config.batchSize, data.featureCount])
        var row = 0
        var windowStart = clock.monotonic()
        var windowServed = 0, windowCorrect = 0, windowRows = 0
        var next = clock.monotonic()
        while running.load(ordering: .acquiring) {
            if let rate = config.rate {
                let now = clock.monotonic()
                if now < next {
                    // Wake at most every `minimumSleep` and serve the requests that came due meanwhile back to
                    // back: the same rate with a quarter of the wake-ups at 200/s, so serving preempts the
                    // training threads less often. Latency is timed per request, from its own start.
                    Thread.sleep(forTimeInterval: min(max(next - now, Self.minimumSleep), 0.05))
                    continue
                }
                next += 1 / rate
                if now - next > 1 { next = now }   // fell far behind: do not burst
            }
            guard let (nanos, correct) = serveOnce(row: row, into: &x) else {
                Thread.sleep(forTimeInterval: 0.02); continue
            }
            latency.recordLatency(nanos: nanos)
            servedCount.wrappingAdd(1, ordering: .relaxed)
            row = (row + config.batchSize) % data.count
            windowServed += 1; windowCorrect += correct; windowRows += config.batchSize
            let now = clock.monotonic()
            if now - windowStart >= 1 {
                let wall = clock.now()
                sink.record(MetricPoint(key: "serve/requests_per_s", step: served, epoch: 0, wallTime: wall,
                                        value: Double(windowServed) / (now - windowStart)))
                sink.record(MetricPoint(key: "serve/accuracy", step: served, epoch: 0, wallTime: wall,
                                        value: Double(windowCorrect) / Double(max(windowRows, 1))))
                windowStart = now; windowServed = 0; windowCorrect = 0; windowRows = 0
            }
        }
    }
}
