#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// The `write(2)` call Tend's file writers go through (checkpoints, metrics.jsonl, event files). Tests inject
/// one that fails the way a full disk does (`failing(afterBytes:)`); everything else uses `system`.
public struct WriteCall: Sendable {
    /// Writes up to `count` bytes from `bytes` to `fd`; returns the bytes written (≥ 0) or −errno.
    public let call: @Sendable (_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int

    public init(_ call: @escaping @Sendable (_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int) { self.call = call }

    /// The real `write(2)`.
    public static let system = WriteCall { fd, p, n in
        let r = write(fd, p, n)
        return r < 0 ? -Int(errno) : r
    }

    /// A disk with `budget` bytes free, shared by every file written through this value: writes succeed until
    /// the budget is spent (the one crossing it is short), then every write fails with `code` (ENOSPC).
    /// `refill(_:)` frees space again (an operator deleting files).
    public static func failing(afterBytes budget: Int, code: Int32 = ENOSPC) -> (call: WriteCall, disk: SimulatedDisk) {
        let disk = SimulatedDisk(free: budget)
        return (WriteCall { fd, p, n in
            let allowed = disk.take(n)
            if allowed == 0 && n > 0 { return -Int(code) }
            let r = write(fd, p, allowed)
            return r < 0 ? -Int(errno) : r
        }, disk)
    }

    /// Writes all of `bytes` to `fd`, retrying short writes and EINTR. Returns nil on success, else the
    /// errno of the failure and how many bytes did reach the file.
    func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> (written: Int, code: Int32)? {
        var done = 0
        while done < bytes.count {
            let n = call(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if Int32(-n) == EINTR { continue }
                return (done, Int32(-n))
            }
            if n == 0 { return (done, EIO) }
            done += n
        }
        return nil
    }
}

/// Free space of a simulated disk (`WriteCall.failing`), in bytes.
public final class SimulatedDisk: Sendable {
    private let free: Mutex<Int>
    init(free: Int) { self.free = Mutex(free) }
    /// Bytes still free.
    public var bytesFree: Int { free.withLock { $0 } }
    /// Fills the disk: every later write fails.
    public func fill() { free.withLock { $0 = 0 } }
    /// Makes `bytes` more free.
    public func refill(_ bytes: Int) { free.withLock { $0 += bytes } }
    func take(_ n: Int) -> Int { free.withLock { f in let k = min(f, n); f -= k; return k } }
}

/// A file Tend could not write: names the file, says why in plain words and how much was to be written
/// (`runs/x/metrics.jsonl: no space left on device (needed 412 B)`), and what was kept (`note`).
public struct FileWriteError: Error, CustomStringConvertible, Equatable, Sendable {
    public var path: String
    /// The errno of the failed call (ENOSPC for a full disk).
    public var code: Int32
    /// Bytes the write needed (the whole file or record batch), nil when not known; said in the message when out of space.
    public var bytesNeeded: Int?
    /// What the failure left intact, e.g. "the previous checkpoint epoch-0002 is intact".
    public var note: String?

    public init(path: String, code: Int32, bytesNeeded: Int? = nil, note: String? = nil) {
        self.path = path; self.code = code; self.bytesNeeded = bytesNeeded; self.note = note
    }

    /// The system's reason in lower case ("no space left on device").
    public var reason: String {
        let text = errnoText(code)
        guard let first = text.first else { return "error \(code)" }
        return first.lowercased() + text.dropFirst()
    }

    /// True for a full disk or an exhausted quota.
    public var isOutOfSpace: Bool { code == ENOSPC || code == EDQUOT || code == EFBIG }

    public var description: String {
        var s = "\(path): \(reason)"
        if let n = bytesNeeded, isOutOfSpace { s += " (needed \(FileWriteError.formatBytes(n)))" }
        if let note { s += "; \(note)" }
        return s
    }

    /// Decimal byte counts as people read them: 412 B, 3.4 kB, 2.1 MB, 1.3 GB.
    public static func formatBytes(_ n: Int) -> String {
        let x = Double(n)
        if n < 1000 { return "\(n) B" }
        if x < 1e6 { return String(format: "%.1f kB", x / 1e3) }
        if x < 1e9 { return String(format: "%.1f MB", x / 1e6) }
        return String(format: "%.1f GB", x / 1e9)
    }
}
