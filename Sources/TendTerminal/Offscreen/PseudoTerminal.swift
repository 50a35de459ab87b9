#if canImport(Glibc)
import Glibc
#endif
import CNCurses
import Foundation
import Synchronization

/// A pseudo-terminal of a fixed size whose output is read and thrown away by a background thread, so curses
/// can run at full speed without a user's screen: `NCursesBackend(pseudoTerminal:)` draws on it.
/// `bytesReceived` counts what arrived on the terminal side. `close()` (idempotent) ends the reader.
public final class PseudoTerminal: @unchecked Sendable {
    /// Size in cells.
    public let width: Int, height: Int
    /// The program side (what curses writes to and reads keys from).
    let output: UnsafeMutablePointer<FILE>
    let input: UnsafeMutablePointer<FILE>
    private let master: Int32
    /// Shared with the reader thread (which must not keep the terminal alive).
    private final class ByteCount: Sendable { let value = Atomic<UInt64>(0) }
    private let received = ByteCount()
    private let readerDone = DispatchSemaphore(value: 0)
    private let closed = Atomic<Bool>(false)

    /// Opens a pseudo-terminal of `width` × `height` cells.
    public init(width: Int, height: Int) throws(TerminalError) {
        self.width = width; self.height = height
        var m: Int32 = -1, s: Int32 = -1
        guard tend_open_pty(&m, &s) == 0 else { throw .pseudoTerminalUnavailable(String(cString: strerror(errno))) }
        _ = tend_set_winsize(s, Int32(height), Int32(width))
        let s2 = dup(s)
        guard let out = fdopen(s, "w"), let inp = fdopen(s2, "r") else {
            Glibc.close(m); Glibc.close(s); Glibc.close(s2)
            throw .pseudoTerminalUnavailable("fdopen failed")
        }
        master = m; output = out; input = inp
        let t = Thread { [master, received, readerDone] in
            var buf = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = buf.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
                if n > 0 { received.value.add(UInt64(n), ordering: .relaxed); continue }
                if n < 0 && errno == EINTR { continue }
                break   // EIO once the terminal side is closed
            }
            readerDone.signal()
        }
        t.name = "tend-pty-reader"
        t.start()
    }

    /// Bytes that reached the terminal side so far.
    public var bytesReceived: UInt64 { received.value.load(ordering: .relaxed) }

    /// Closes the terminal side, waits for the reader to drain and exit, then closes the master side.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        fclose(output); fclose(input)
        _ = readerDone.wait(timeout: .now() + 2)
        Glibc.close(master)
    }

    deinit { close() }
}
