#if canImport(Glibc)
import Glibc
#endif

/// Bytes the calling thread has passed to write(2), from Linux's per-thread I/O accounting
/// (`/proc/thread-self/io`, field `wchar`). The backend samples it around its ncurses calls, so the
/// difference is exactly what ncurses sent to the terminal. (ncurses writes with write(2) on the output
/// stream's descriptor and also needs that descriptor to be the terminal, so a counting FILE* cannot be used.)
struct ThreadWriteCounter {
    /// Closes the file (call once the owner is done).
    mutating func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    private var buffer = [UInt8](repeating: 0, count: 512)
    private static let key: [UInt8] = Array("wchar:".utf8)

    /// The file stays open between reads (re-read with pread); reopened when another thread reads.
    private var fd: Int32 = -1
    private var owner: pthread_t?

    /// The current thread's `wchar`, or nil when the file is missing (non-Linux, restricted /proc).
    mutating func read() -> UInt64? {
        let me = pthread_self()
        if fd < 0 || owner.map({ pthread_equal($0, me) == 0 }) ?? true {
            if fd >= 0 { Glibc.close(fd) }
            fd = open("/proc/thread-self/io", O_RDONLY | O_CLOEXEC)
            owner = me
        }
        guard fd >= 0 else { return nil }
        let fd = self.fd
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        // Find "wchar: <digits>".
        let key = Self.key
        var i = 0
        while i + key.count <= n {
            if buffer[i] == key[0] && buffer[i..<(i + key.count)].elementsEqual(key) {
                var j = i + key.count
                while j < n && buffer[j] == 32 { j += 1 }
                var value: UInt64 = 0
                var digits = 0
                while j < n && buffer[j] >= 48 && buffer[j] <= 57 {
                    value = value &* 10 &+ UInt64(buffer[j] - 48); j += 1; digits += 1
                }
                return digits > 0 ? value : nil
            }
            i += 1
        }
        return nil
    }
}
