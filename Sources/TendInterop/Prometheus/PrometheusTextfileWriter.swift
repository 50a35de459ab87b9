import Foundation
import Synchronization
import TendMetrics

/// Writes a `MetricsStore`'s metrics to a file for node_exporter's textfile collector every `interval`
/// seconds, atomically (temporary file in the same directory, then rename), and once more on `stop()`.
/// Owns one background thread.
public final class PrometheusTextfileWriter: @unchecked Sendable {
    public let path: String
    public let interval: Double
    public let store: MetricsStore
    public let exporter: PrometheusExporter
    /// Whether to sample `/proc/self` before each write (off when another thread already does).
    public let sampleProcess: Bool

    private let running = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    private let exited = DispatchSemaphore(value: 0)
    private let lastError = Mutex<String?>(nil)

    public init(path: String, store: MetricsStore, run: String, interval: Double = 2, sampleProcess: Bool = true) {
        self.path = path
        self.store = store
        self.interval = interval
        self.exporter = PrometheusExporter(run: run)
        self.sampleProcess = sampleProcess
    }

    deinit { stop() }

    /// The last write error (nil after a successful write).
    public var writeError: String? { lastError.withLock { $0 } }

    /// Writes the current metrics now. Throws naming the path when the write fails.
    public func writeNow() throws {
        if sampleProcess { _ = try? store.sampleProcess() }
        let text = exporter.text(store.snapshot(latency: .current))
        var f: AtomicFileWriter
        do { f = try AtomicFileWriter(path: path) } catch { throw PrometheusWriteError(path: path, reason: error.reason) }
        do { try f.write(Array(text.utf8)); try f.commit() }
        catch { f.abandon(); throw PrometheusWriteError(path: path, reason: error.reason) }
    }

    /// Starts the periodic writes (the first one at once).
    public func start() {
        guard !running.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let t = Thread { [self] in
            repeat {
                do { try writeNow(); lastError.withLock { $0 = nil } }
                catch { lastError.withLock { $0 = "\(error)" } }
            } while wake.wait(timeout: .now() + interval) == .timedOut && running.load(ordering: .relaxed)
            exited.signal()
        }
        t.name = "tend-prom"
        t.start()
    }

    /// Stops the thread after a final write.
    public func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        wake.signal()
        exited.wait()
        try? writeNow()
    }
}

/// A metrics file could not be written; the previous file (if any) is unchanged.
public struct PrometheusWriteError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): cannot write metrics file: \(reason)" }
}
