import Foundation
import Synchronization
import TendCore

/// A `MetricSink` that appends one JSON object per line to a file:
/// `{"tag":"train/loss","step":12,"epoch":0,"wall_time":1764390000.123,"value":0.53}` for points and
/// `{"event":"saved checkpoint","level":"info","wall_time":1764390000.5}` for events.
/// `record`/`log` only format and append to a memory buffer under a short lock; a background thread
/// writes the buffer when `flushInterval` seconds (of `clock`) have passed, and `flush()`/`close()` write it at once.
/// Opening appends to an existing file (resume) and never truncates it; a torn last line left by a crash
/// is terminated first so new lines stay parseable.
public final class MetricsJSONLWriter: MetricSink {
    public let path: String
    public let flushInterval: Double
    private let clock: any TendClock
    private let pending = Mutex(Pending())
    private let file: Mutex<FileState>

    private struct Pending {
        var bytes: [UInt8] = []
        var closed = false
    }

    private struct FileState {
        var fd: Int32
        var lastFlush: Double
        var error: String?
    }

    /// Opens (creating directories and the file as needed) `path` for appending.
    public init(path: String, clock: any TendClock = SystemClock(), flushInterval: Double = 1.0) throws {
        self.path = path
        self.clock = clock
        self.flushInterval = flushInterval
        let dir = AtomicFileWriter.directory(of: path)
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw MetricsJSONLError.cannotOpen(path: path, reason: errnoText()) }
        // Terminate a torn last line (crash mid-write) so appended lines start clean.
        var st = stat()
        if fstat(fd, &st) == 0, st.st_size > 0 {
            let rfd = open(path, O_RDONLY | O_CLOEXEC)
            if rfd >= 0 {
                var last: UInt8 = 0
                if pread(rfd, &last, 1, off_t(st.st_size - 1)) == 1, last != 0x0A {
                    var nl: UInt8 = 0x0A
                    _ = Glibc.write(fd, &nl, 1)
                }
                _ = Glibc.close(rfd)
            }
        }
        file = Mutex(FileState(fd: fd, lastFlush: clock.monotonic(), error: nil))
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

    private func append(_ line: [UInt8]) {
        pending.withLock { p in
            if !p.closed { p.bytes.append(contentsOf: line) }
        }
    }

    /// The last write error (disk full, ...), if any; lines that failed to write are dropped.
    public var writeError: String? { file.withLock { $0.error } }

    /// Writes everything buffered now.
    public func flush() {
        file.withLock { f in writeOut(&f) }
    }

    private func flushIfDue() {
        file.withLock { f in
            if clock.monotonic() - f.lastFlush >= flushInterval { writeOut(&f) }
        }
    }

    /// Swaps the buffer out (short lock) and writes it; the file lock keeps writes in order.
    private func writeOut(_ f: inout FileState) {
        f.lastFlush = clock.monotonic()
        guard f.fd >= 0 else { return }
        let bytes = pending.withLock { p -> [UInt8] in
            let b = p.bytes
            p.bytes.removeAll(keepingCapacity: true)
            return b
        }
        guard !bytes.isEmpty else { return }
        var done = 0
        bytes.withUnsafeBytes { raw in
            while done < raw.count {
                let n = Glibc.write(f.fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    f.error = "write to \(path) failed: \(errnoText())"
                    return
                }
                done += n
            }
        }
    }

    /// Flushes, fsyncs and closes the file. Later records are dropped. Safe to call twice.
    public func close() {
        let wasClosed = pending.withLock { p -> Bool in
            let was = p.closed
            p.closed = true
            return was
        }
        file.withLock { f in
            guard f.fd >= 0 else { return }
            if !wasClosed { writeOut(&f) }
            _ = fsync(f.fd)
            _ = Glibc.close(f.fd)
            f.fd = -1
        }
    }
}
