#if canImport(Glibc)
import Glibc
#endif
import CNCurses
import Synchronization

/// The last termination signal received (SIGINT/SIGTERM/SIGHUP), 0 when none. Set from the signal handler.
private let pendingSignalStorage = Atomic<Int32>(0)
/// Ctrl-Z (SIGTSTP) received, not yet acted on by the UI thread.
private let suspendStorage = Atomic<Bool>(false)
/// SIGCONT received (after a stop): the screen may no longer show what was drawn.
private let continuedStorage = Atomic<Bool>(false)

// State the crash handler reads. Written once by `TerminalGuard.install()` before any handler is installed,
// so the handler only loads plain pointers (no Swift allocation, no lazy initialisation).
nonisolated(unsafe) private var savedTermios: UnsafeMutablePointer<termios>?
nonisolated(unsafe) private var restoreSequence: UnsafeMutablePointer<UInt8>?
nonisolated(unsafe) private var restoreSequenceLength = 0
/// Previous sigaction per crash signal (indexed by signal number), to chain to after restoring the terminal.
nonisolated(unsafe) private var previousActions: UnsafeMutableRawPointer?
nonisolated(unsafe) private var actionSize = 0

/// Keeps the terminal usable whatever happens: termination signals become a flag the UI loop polls
/// (`pendingSignal`), and crashes restore the saved termios and leave the alternate screen before the
/// signal is re-raised with the previous (normally default) action. Call `install()` before starting curses.
public enum TerminalGuard {
    public static let terminationSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    public static let crashSignals: [Int32] = [SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE]
    private static let maxSignal = 65

    /// Saves the terminal settings of stdin and installs the handlers. Only the first call does anything
    /// (a second install would record our own crash handler as the one to chain to).
    public static func install() {
        guard previousActions == nil else { return }
        let t = UnsafeMutablePointer<termios>.allocate(capacity: 1)
        t.initialize(to: termios())
        if tcgetattr(0, t) != 0 { t.deinitialize(count: 1); t.deallocate() } else { savedTermios = t }
        // Leave the alternate screen, show the cursor, reset attributes, new line.
        let bytes: [UInt8] = Array("\u{1b}[?1049l\u{1b}[?25h\u{1b}[0m\r\n".utf8)
        let seq = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
        seq.initialize(from: bytes, count: bytes.count)
        restoreSequence = seq
        restoreSequenceLength = bytes.count
        actionSize = tend_sigaction_size()
        previousActions = .allocate(byteCount: actionSize * maxSignal, alignment: 16)
        previousActions?.initializeMemory(as: UInt8.self, repeating: 0, count: actionSize * maxSignal)
        _ = pendingSignalStorage.load(ordering: .relaxed)
        for sig in terminationSignals { _ = tend_install_handler(sig, terminationHandler, 0, nil) }
        // Job control is ours, not ncurses' (it installs its own SIGTSTP handler only over SIG_DFL): its
        // handler repaints from its own idea of the screen, which is blank since frames bypass it.
        _ = tend_install_handler(SIGTSTP, suspendHandler, 0, nil)
        _ = tend_install_handler(SIGCONT, continueHandler, 0, nil)
        for sig in crashSignals where sig < maxSignal {
            _ = tend_install_handler(sig, crashHandler, 1, previousActions! + Int(sig) * actionSize)
        }
    }

    /// The termination signal received since the last `clearPendingSignal()`, if any. The UI loop checks this
    /// every iteration and shuts down cleanly.
    public static var pendingSignal: Int32? {
        let s = pendingSignalStorage.load(ordering: .acquiring)
        return s == 0 ? nil : s
    }

    /// Gives SIGINT/SIGTERM/SIGHUP back their default action (after the UI has shut down, so Ctrl-C
    /// stops a command that keeps running without the dashboard).
    public static func releaseTerminationSignals() {
        for sig in terminationSignals + [SIGTSTP, SIGCONT] { signal(sig, SIG_DFL) }
    }

    /// True once per Ctrl-Z: the UI thread then leaves curses and stops the process (`NCursesBackend.readKey`).
    public static func takeSuspendRequest() -> Bool { suspendStorage.exchange(false, ordering: .acquiringAndReleasing) }

    /// True once per SIGCONT: the screen must be drawn again in full.
    public static func takeContinued() -> Bool { continuedStorage.exchange(false, ordering: .acquiringAndReleasing) }

    public static func clearPendingSignal() { pendingSignalStorage.store(0, ordering: .releasing) }

    /// Writes the restore sequence and the saved termios now (e.g. before printing an error after a failure).
    public static func restoreTerminalNow() { restoreTerminal() }
}

private let terminationHandler: @convention(c) (Int32) -> Void = { sig in
    pendingSignalStorage.store(sig, ordering: .releasing)
}

private let suspendHandler: @convention(c) (Int32) -> Void = { _ in
    suspendStorage.store(true, ordering: .releasing)
}

private let continueHandler: @convention(c) (Int32) -> Void = { _ in
    continuedStorage.store(true, ordering: .releasing)
}

private func restoreTerminal() {
    if let seq = restoreSequence { _ = write(1, seq, restoreSequenceLength) }
    if let t = savedTermios { _ = tcsetattr(0, TCSANOW, t) }
}

private let crashHandler: @convention(c) (Int32) -> Void = { sig in
    restoreTerminal()
    // Chain: put back the action that was there before (default, or e.g. Swift's backtracer) and re-raise.
    if let actions = previousActions, sig >= 0, sig < 65 {
        _ = tend_restore_handler(sig, actions + Int(sig) * actionSize)
    } else {
        signal(sig, SIG_DFL)
    }
    raise(sig)
}
