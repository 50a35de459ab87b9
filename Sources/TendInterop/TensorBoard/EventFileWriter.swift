import Foundation
import Synchronization
import TendCore

/// Writes a TensorBoard event file for a run: `file_version` first, then every `MetricPoint` as a
/// `simple_value` scalar, plus histograms and text on request. A `MetricSink`: `record` only appends
/// to an in-memory buffer under a lock; a background thread writes the buffer out at least every
/// `flushInterval` seconds, and `flush()`/`close()` write it at once. Safe to call from any thread.
public final class EventFileWriter: MetricSink, @unchecked Sendable {
    /// The file written (`<directory>/events.out.tfevents.<unix seconds>.<host>`).
    public let path: String
    public let flushInterval: Double

    private struct State {
        var pending: [UInt8] = []
        var closed = false
        var error: String?
    }
    private let state = Mutex(State())
    private let fileLock = NSLock()
    private var handle: FileHandle?
    private let wake = DispatchSemaphore(value: 0)
    private let exited = DispatchSemaphore(value: 0)

    /// Creates the file in `directory` and writes its first record. `wallTime` names the file and stamps that record.
    public init(directory: String, wallTime: Double = Date().timeIntervalSince1970, host: String = ProcessInfo.processInfo.hostName,
                flushInterval: Double = 2) throws {
        let name = "events.out.tfevents.\(Int(wallTime)).\(host.isEmpty ? "localhost" : host)"
        path = (directory as NSString).appendingPathComponent(name)
        self.flushInterval = flushInterval
        guard FileManager.default.createFile(atPath: path, contents: Data()), let h = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "cannot create event file \(path)"])
        }
        handle = h
        state.withLock { TFRecord.append(EventEncoder.fileVersion(wallTime: wallTime), to: &$0.pending) }
        flush()
        let t = Thread { [self] in
            while true {
                let timedOut = wake.wait(timeout: .now() + flushInterval) == .timedOut
                flush()
                if !timedOut && state.withLock({ $0.closed }) { break }
            }
            exited.signal()
        }
        t.name = "tend-events"
        t.start()
    }

    deinit { close() }

    private func append(_ event: [UInt8]) {
        state.withLock { s in
            guard !s.closed else { return }
            TFRecord.append(event, to: &s.pending)
        }
    }

    // MARK: MetricSink

    public func record(_ point: MetricPoint) {
        append(EventEncoder.summary(wallTime: point.wallTime, step: Int64(point.step),
                                    values: [(point.key.tag, .scalar(Float(point.value)))]))
    }

    /// Engine log lines are not written (TensorBoard has no place for them).
    public func log(_ event: EngineEvent) {}

    // MARK: Other summaries

    /// A histogram of `values` (e.g. one layer's weights) at `step`, with TensorFlow's default buckets.
    public func histogram<C: Collection>(_ tag: String, values: C, step: Int, wallTime: Double = Date().timeIntervalSince1970)
    where C.Element == Float {
        append(EventEncoder.summary(wallTime: wallTime, step: Int64(step), values: [(tag, .histogram(HistogramProtoValue(values: values)))]))
    }

    /// A text summary (plugin "text"), e.g. the run configuration.
    public func text(_ tag: String, _ text: String, step: Int = 0, wallTime: Double = Date().timeIntervalSince1970) {
        append(EventEncoder.summary(wallTime: wallTime, step: Int64(step), values: [(tag, .text(text))]))
    }

    /// An encoded `Event` record's payload (`EventEncoder`, `HParamsSummary`), framed and buffered like the others.
    public func event(_ bytes: [UInt8]) { append(bytes) }

    // MARK: Flushing

    /// The first write error, if any (writing stops after one).
    public var writeError: String? { state.withLock { $0.error } }

    /// Writes everything buffered to the file now.
    public func flush() {
        fileLock.lock(); defer { fileLock.unlock() }
        let bytes = state.withLock { s -> [UInt8] in
            let b = s.pending
            s.pending.removeAll(keepingCapacity: true)
            return b
        }
        guard !bytes.isEmpty, let handle else { return }
        do { try handle.write(contentsOf: Data(bytes)) }
        catch { state.withLock { $0.error = $0.error ?? "\(path): \(error)" } }
    }

    /// Flushes, stops the flushing thread and closes the file. Later records are dropped.
    public func close() {
        let wasOpen = state.withLock { s -> Bool in
            let open = !s.closed
            s.closed = true
            return open
        }
        guard wasOpen else { return }
        wake.signal()
        exited.wait()
        flush()
        fileLock.lock()
        try? handle?.close()
        handle = nil
        fileLock.unlock()
    }
}
