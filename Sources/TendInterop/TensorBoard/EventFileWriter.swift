import Foundation
import Synchronization
import TendCore

/// Writes a TensorBoard event file for a run: `file_version` first, then every `MetricPoint` as a
/// `simple_value` scalar, plus histograms and text on request. A `MetricSink`: `record` only appends
/// to an in-memory buffer under a lock; a background thread writes the buffer out at least every
/// `flushInterval` seconds, and `flush()`/`close()` write it at once. Safe to call from any thread.
/// The file only ever holds whole records: a failed write (disk full) is truncated back, its records kept for the
/// next flush (up to `retainLimit` bytes), and `onWriteError` hears of it at once.
public final class EventFileWriter: MetricSink, @unchecked Sendable {
    /// The file written (`<directory>/events.out.tfevents.<unix seconds>.<host>`).
    public let path: String
    public let flushInterval: Double
    /// Bytes of unwritten records kept while writes fail.
    public static let retainLimit = 8 << 20

    private struct State {
        var pending: [UInt8] = []
        var closed = false
        var error: FileWriteError?
    }
    private let state = Mutex(State())
    private let fileLock = NSLock()
    private var out: RecordFile
    private let errorHandler = Mutex<(@Sendable (FileWriteError) -> Void)?>(nil)
    private let wake = DispatchSemaphore(value: 0)
    private let exited = DispatchSemaphore(value: 0)

    /// Creates the file in `directory` and writes its first record. `wallTime` names the file and stamps that record.
    /// With `appendToNewest` (a resumed run), the newest event file already in `directory` is continued instead
    /// (a torn last record cut off). `io`: the write call (tests inject a failing one).
    public init(directory: String, wallTime: Double = Date().timeIntervalSince1970, host: String = ProcessInfo.processInfo.hostName,
                flushInterval: Double = 2, appendToNewest: Bool = false, io: WriteCall = .system) throws {
        let existing = appendToNewest ? EventFileWriter.newestEventFile(in: directory) : nil
        let name = "events.out.tfevents.\(Int(wallTime)).\(host.isEmpty ? "localhost" : host)"
        path = existing ?? (directory as NSString).appendingPathComponent(name)
        self.flushInterval = flushInterval
        do { out = try RecordFile(path: path, io: io, validLength: EventFileWriter.wholeRecords) }
        catch { throw EventFileError.cannotCreate(path: path, reason: error.reason) }
        if existing == nil || out.length == 0 {
            state.withLock { TFRecord.append(EventEncoder.fileVersion(wallTime: wallTime), to: &$0.pending) }
        }
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

    /// Called once when writes start failing (again), from the flushing thread, outside the writer's locks.
    public var onWriteError: (@Sendable (FileWriteError) -> Void)? {
        get { errorHandler.withLock { $0 } }
        set { errorHandler.withLock { $0 = newValue } }
    }

    /// The newest `events.out.tfevents.*` file in `directory` (by name: the names start with the creation time).
    public static func newestEventFile(in directory: String) -> String? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        return names.filter { $0.hasPrefix("events.out.tfevents.") && !$0.contains(".tmp-") }.max {
            let a = $0.split(separator: ".").dropFirst(3).first.flatMap { Int($0) } ?? 0
            let b = $1.split(separator: ".").dropFirst(3).first.flatMap { Int($0) } ?? 0
            return a == b ? $0 < $1 : a < b
        }.map { (directory as NSString).appendingPathComponent($0) }
    }

    /// Bytes of `contents` that are whole, valid records (a torn or corrupt tail is not counted).
    static func wholeRecords(_ contents: [UInt8]) -> Int {
        contents.withUnsafeBytes { buf in
            var offset = 0
            while offset < buf.count {
                guard case let .record(_, next) = TFRecord.step(buf, at: offset) else { break }
                offset = next
            }
            return offset
        }
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
        lastStep.withLock { $0 = max($0, point.step) }
        append(EventEncoder.summary(wallTime: point.wallTime, step: Int64(point.step),
                                    values: [(point.key.tag, .scalar(Float(point.value)))]))
    }

    /// Alerts (`alert fired …`, `alert resolved …`), actions (`action …`) and warnings/errors become text summaries
    /// under `Self.eventsTag` at the newest step recorded, so they show in TensorBoard's text tab beside the curves;
    /// routine log lines (epochs, checkpoints) are not written.
    public func log(_ event: EngineEvent) {
        guard event.level != .info || event.message.hasPrefix("alert ") || event.message.hasPrefix("action ")
                || event.message.hasPrefix("resumed from") else { return }
        let step = lastStep.withLock { $0 }
        append(EventEncoder.summary(wallTime: event.wallTime, step: Int64(step),
                                    values: [(Self.eventsTag, .text("\(event.level.rawValue): \(event.message)"))]))
    }

    /// The text tag of alerts, actions and warnings.
    public static let eventsTag = "tend/events"
    private let lastStep = Mutex(0)

    // MARK: Other summaries

    /// A histogram of `values` (e.g. one layer's weights) at `step`, with TensorFlow's default buckets.
    public func histogram<C: Collection>(_ tag: String, values: C, step: Int, wallTime: Double = Date().timeIntervalSince1970)
    where C.Element == Float {
        append(EventEncoder.summary(wallTime: wallTime, step: Int64(step), values: [(tag, .histogram(HistogramProtoValue(values: values)))]))
    }

    /// A `SessionLog` START at `step`: TensorBoard drops the points of earlier sessions with a later step
    /// (a resumed run marks where it continues from), and shows `message` (e.g. "resumed from epoch-0004").
    public func sessionStart(step: Int, message: String, checkpoint: String = "", wallTime: Double = Date().timeIntervalSince1970) {
        append(EventEncoder.sessionLog(wallTime: wallTime, step: Int64(step), status: .start, message: message, checkpointPath: checkpoint))
    }

    /// A text summary (plugin "text"), e.g. the run configuration.
    public func text(_ tag: String, _ text: String, step: Int = 0, wallTime: Double = Date().timeIntervalSince1970) {
        append(EventEncoder.summary(wallTime: wallTime, step: Int64(step), values: [(tag, .text(text))]))
    }

    /// An encoded `Event` record's payload (`EventEncoder`, `HParamsSummary`), framed and buffered like the others.
    public func event(_ bytes: [UInt8]) { append(bytes) }

    // MARK: Flushing

    /// The failing write, while writes fail (nil again after one succeeds).
    public var writeFailure: FileWriteError? { state.withLock { $0.error } }

    /// The failing write's message, if any.
    public var writeError: String? { writeFailure?.description }

    /// Writes everything buffered to the file now; `sync` also puts it on the disk (`fdatasync`).
    public func flush(sync: Bool = false) {
        fileLock.lock()
        let bytes = state.withLock { s -> [UInt8] in
            let b = s.pending
            s.pending.removeAll(keepingCapacity: true)
            return b
        }
        var newFailure: FileWriteError?
        if let failure = out.append(bytes) {
            state.withLock { s in
                if s.error == nil { newFailure = failure }
                s.error = failure
                // Kept whole: the failed batch first, unless that would pass the limit (then only the newer records).
                if bytes.count + s.pending.count <= Self.retainLimit { s.pending = bytes + s.pending }
            }
        } else if !bytes.isEmpty {
            state.withLock { $0.error = nil }
        }
        if sync { out.sync() }
        fileLock.unlock()
        if let newFailure, let handler = onWriteError { handler(newFailure) }
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
        out.close()
        fileLock.unlock()
    }
}

/// An event file could not be created or opened for appending.
public enum EventFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotCreate(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotCreate(path, reason): return "\(path): cannot create the TensorBoard event file: \(reason)"
        }
    }
}
