import Foundation
import Synchronization
import TendCore

/// A `MetricSink` that appends one JSON object per line to a file:
/// `{"tag":"train/loss","step":12,"epoch":0,"wall_time":1764390000.123,"value":0.53}` for points and
/// `{"event":"saved checkpoint","level":"info","wall_time":1764390000.5}` for events.
/// `record`/`log` only format and append to a memory buffer under a short lock; a background thread
/// writes the buffer when `flushInterval` seconds (of `clock`) have passed, and `flush()`/`close()` write it at once.
/// Opening appends to an existing file (resume) and never loses whole lines; a torn last line left by a crash
/// is cut off. A failed write (disk full) is truncated back, so the file only ever holds whole lines; the lines
/// are kept (up to `retainLimit` bytes) for the next flush, and `onWriteError` hears of the failure at once.
public final class MetricsJSONLWriter: MetricSink {
    public let path: String
    public let flushInterval: Double
    /// Bytes of unwritten lines kept while writes fail; older lines beyond it are dropped.
    public static let retainLimit = 8 << 20
    private let clock: any TendClock
    private let pending = Mutex(Pending())
    private let file: Mutex<FileState>
    private let errorHandler = Mutex<(@Sendable (FileWriteError) -> Void)?>(nil)

    private struct Pending {
        var bytes: [UInt8] = []
        var closed = false
    }

    private struct FileState {
        var out: RecordFile
        var lastFlush: Double
        var error: FileWriteError?
        var dropped = 0
    }

    /// Opens (creating directories and the file as needed) `path` for appending. `io`: the write call (tests inject a failing one).
    public init(path: String, clock: any TendClock = SystemClock(), flushInterval: Double = 1.0, io: WriteCall = .system) throws {
        self.path = path
        self.clock = clock
        self.flushInterval = flushInterval
        let dir = AtomicFileWriter.directory(of: path)
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let out: RecordFile
        do { out = try RecordFile(path: path, io: io, validLength: RecordFile.wholeLines) }
        catch { throw MetricsJSONLError.cannotOpen(path: path, reason: error.reason) }
        file = Mutex(FileState(out: out, lastFlush: clock.monotonic(), error: nil))
        let tick = max(0.005, min(0.1, flushInterval / 4))
        Thread.detachNewThread { [weak self] in
            while true {
                usleep(UInt32(tick * 1_000_000))
                guard let self else { return }
                if self.pending.withLock({ $0.closed }) { return }
                self.flushIfDue()
            }
        }
    }

    /// Called once when a write starts failing (again), from the thread that flushed; not under the writer's locks.
    public var onWriteError: (@Sendable (FileWriteError) -> Void)? {
        get { errorHandler.withLock { $0 } }
        set { errorHandler.withLock { $0 = newValue } }
    }

    deinit { close() }

    public func record(_ point: MetricPoint) {
        var line: [UInt8] = []
        line.reserveCapacity(96)
        line.append(contentsOf: #"{"tag":"#.utf8)
        JSONWriter.appendString(point.key.tag, to: &line)
        line.append(contentsOf: #","step":"#.utf8)
        JSONWriter.appendInt(point.step, to: &line)
        line.append(contentsOf: #","epoch":"#.utf8)
        JSONWriter.appendInt(point.epoch, to: &line)
        line.append(contentsOf: #","wall_time":"#.utf8)
        JSONWriter.appendNumber(point.wallTime, to: &line)
        line.append(contentsOf: #","value":"#.utf8)
        JSONWriter.appendNumber(point.value, to: &line)
        line.append(contentsOf: "}\n".utf8)
        append(line)
    }

    public func log(_ event: EngineEvent) {
        var line: [UInt8] = Array(#"{"event":"#.utf8)
        JSONWriter.appendString(event.message, to: &line)
        line.append(contentsOf: #","level":"#.utf8)
        JSONWriter.appendString(event.level.rawValue, to: &line)
        line.append(contentsOf: #","wall_time":"#.utf8)
        JSONWriter.appendNumber(event.wallTime, to: &line)
        line.append(contentsOf: "}\n".utf8)
        append(line)
    }

    /// Marks where a resumed run continues: an event line (`resumed from …`) that also carries
    /// `resumed_from_epoch` / `resumed_from_step`; points above it with a larger step are from the interrupted run.
    public func logResume(epoch: Int, step: Int, checkpoint: String, wallTime: Double) {
        var line: [UInt8] = Array(#"{"event":"#.utf8)
        JSONWriter.appendString("resumed from \(checkpoint) (epoch \(epoch + 1), step \(step)); lines above with a later step are from the interrupted run", to: &line)
        line.append(contentsOf: #","level":"info","wall_time":"#.utf8)
        JSONWriter.appendNumber(wallTime, to: &line)
        line.append(contentsOf: #","resumed_from_epoch":"#.utf8)
        JSONWriter.appendInt(epoch, to: &line)
        line.append(contentsOf: #","resumed_from_step":"#.utf8)
        JSONWriter.appendInt(step, to: &line)
        line.append(contentsOf: "}\n".utf8)
        append(line)
    }

    private func append(_ line: [UInt8]) {
        pending.withLock { p in
            if !p.closed { p.bytes.append(contentsOf: line) }
        }
    }

    /// The failing write, while writes fail (nil again after one succeeds).
    public var writeFailure: FileWriteError? { file.withLock { $0.error } }

    /// The failing write's message, if any.
    public var writeError: String? { writeFailure?.description }

    /// Writes everything buffered now; `sync` also puts it on the disk (`fdatasync`).
    public func flush(sync: Bool = false) {
        let failed = file.withLock { f -> FileWriteError? in
            let e = writeOut(&f)
            if sync { f.out.sync() }
            return e
        }
        report(failed)
    }

    private func flushIfDue() {
        let failed = file.withLock { f -> FileWriteError? in
            clock.monotonic() - f.lastFlush >= flushInterval ? writeOut(&f) : nil
        }
        report(failed)
    }

    private func report(_ failure: FileWriteError?) {
        guard let failure, let handler = onWriteError else { return }
        handler(failure)
    }

    /// Swaps the buffer out (short lock) and writes it; the file lock keeps writes in order. On failure the lines
    /// go back to the front of the buffer; returns the error when writes start failing (nil while they keep failing).
    private func writeOut(_ f: inout FileState) -> FileWriteError? {
        f.lastFlush = clock.monotonic()
        let bytes = pending.withLock { p -> [UInt8] in
            let b = p.bytes
            p.bytes.removeAll(keepingCapacity: true)
            return b
        }
        guard !bytes.isEmpty else { return nil }
        guard let failure = f.out.append(bytes) else { f.error = nil; return nil }
        let first = f.error == nil
        f.error = failure
        pending.withLock { p in
            guard !p.closed else { return }
            var kept = bytes
            kept.append(contentsOf: p.bytes)
            if kept.count > Self.retainLimit {
                // Drop the oldest whole lines beyond the limit.
                let cut = kept.count - Self.retainLimit
                let nl = kept[cut...].firstIndex(of: 0x0A).map { $0 + 1 } ?? kept.count
                kept.removeFirst(nl)
            }
            p.bytes = kept
        }
        return first ? failure : nil
    }

    /// Flushes, fsyncs and closes the file. Later records are dropped. Safe to call twice.
    public func close() {
        let wasClosed = pending.withLock { p -> Bool in
            let was = p.closed
            p.closed = true
            return was
        }
        let failed = file.withLock { f -> FileWriteError? in
            guard f.out.fd >= 0 else { return nil }
            let e = wasClosed ? nil : writeOut(&f)
            f.out.close()
            return e
        }
        report(failed)
    }
}
