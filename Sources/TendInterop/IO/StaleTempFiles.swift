#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Temporary files `NAME.tmp-PID` that `AtomicFileWriter` leaves when its process is killed mid-write.
public enum StaleTempFiles {
    /// The PID in `name` when it ends in `.tmp-PID`, else nil.
    public static func pid(in name: String) -> Int32? {
        guard let r = name.range(of: ".tmp-", options: .backwards) else { return nil }
        let digits = name[r.upperBound...]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        return Int32(digits)
    }

    /// True when no process `pid` exists (or it is this process: nothing of ours is being written before a run starts).
    public static func isDead(_ pid: Int32) -> Bool {
        if pid == getpid() { return true }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    /// Deletes the `*.tmp-PID` files in `directory` (not below) whose process is gone; returns the paths removed.
    @discardableResult
    public static func remove(in directory: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var removed: [String] = []
        for name in names.sorted() {
            guard let pid = pid(in: name), isDead(pid) else { continue }
            let path = (directory as NSString).appendingPathComponent(name)
            if unlink(path) == 0 { removed.append(path) }
        }
        return removed
    }
}

/// Writes whole small files (config.json, summary.json) atomically through `AtomicFileWriter`.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically; a failed system call throws `FileWriteError` (path untouched).
    public static func write(_ bytes: [UInt8], to path: String, io: WriteCall = .system) throws {
        do throws(AtomicWriteError) {
            var f = try AtomicFileWriter(path: path, expectedBytes: bytes.count, io: io)
            do throws(AtomicWriteError) { try f.write(bytes); try f.commit() } catch { f.abandon(); throw error }
        } catch {
            throw error.fileWriteError(bytesNeeded: bytes.count) ?? FileWriteError(path: path, code: EIO, bytesNeeded: bytes.count)
        }
    }
}
