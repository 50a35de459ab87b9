#if canImport(Glibc)
import Glibc
#endif
import CNCurses
import TendUI

/// A terminal that could not be opened.
public enum TerminalError: Error, CustomStringConvertible {
    case notATerminal
    case unknownTerminalType(String)
    case pseudoTerminalUnavailable(String)
    public var description: String {
        switch self {
        case .notATerminal: return "standard input/output is not a terminal; run tend in a terminal (or use a non-interactive command)"
        case .unknownTerminalType(let t): return "ncurses does not know TERM=\(t); set TERM to e.g. xterm-256color"
        case .pseudoTerminalUnavailable(let why): return "cannot open a pseudo-terminal (\(why)); is /dev/pts mounted?"
        }
    }
}

/// Owns the ncurses screen: ncurses sets the terminal up (modes, alternate screen, keypad), decodes keys and
/// restores the terminal on `shutdown()`; frames bypass ncurses' output: `FrameEncoder` turns the cells that
/// changed since the last draw into one write(2). All calls must come from one thread. `bytesWritten` counts
/// frames exactly plus what ncurses itself sent (sampled from the thread's write accounting around its calls).
public final class NCursesBackend: TerminalBackend {
    public let capabilities: TerminalCapabilities
    /// The glyph set matching the locale (or ASCII when forced).
    public let glyphs: Glyphs
    private var screen: OpaquePointer?
    private var window: UnsafeMutablePointer<WINDOW>?
    private var counter = ThreadWriteCounter()
    private var written: UInt64 = 0
    /// False when per-thread write accounting is unavailable; `bytesWritten` then stays 0.
    public private(set) var countsBytes = true
    /// What the screen shows (valid unless `fullRedraw`); updated in place after every draw.
    private var previous = CellBuffer(width: 0, height: 0)
    private var fullRedraw = true
    private var encoder: FrameEncoder
    /// The bytes of one frame (reused between frames).
    private var frameBytes: [UInt8] = []
    /// The descriptor ncurses writes to (the terminal).
    private let outputFD: Int32
    /// The pseudo-terminal an off-screen backend draws on (closed by `shutdown`).
    private let pseudoTerminal: PseudoTerminal?
    private var isShutDown = false

    /// Sets the locale, detects UTF-8 and colours, and starts curses on the controlling terminal.
    /// `colorDepth` forces a depth (`--colors`), `forceASCII` forces ASCII glyphs (`--ascii`).
    /// Installs `TerminalGuard` first (idempotent) so signals and crashes restore the terminal; the UI loop
    /// must poll `TerminalGuard.pendingSignal`, since Ctrl-C no longer kills the process.
    public convenience init(colorDepth: ColorDepth? = nil, forceASCII: Bool = false, escapeDelayMs: Int32 = 25) throws(TerminalError) {
        setlocale(LC_ALL, "")
        TerminalGuard.install()
        guard isatty(0) == 1, isatty(1) == 1 else { throw .notATerminal }
        try self.init(output: tend_stdout(), input: tend_stdin(), terminalType: nil, pseudoTerminal: nil,
                      colorDepth: colorDepth, forceASCII: forceASCII, escapeDelayMs: escapeDelayMs)
    }

    /// Starts curses on a pseudo-terminal (nothing on the user's screen): for benchmarks and tests that need
    /// real ncurses output. Uses the current locale (set a UTF-8 one for Unicode glyphs) and `terminalType`
    /// as TERM; installs no signal handlers. The backend owns `pty` and closes it on `shutdown()`.
    public convenience init(pseudoTerminal pty: PseudoTerminal, terminalType: String = "xterm-256color",
                            colorDepth: ColorDepth? = nil, forceASCII: Bool = false) throws(TerminalError) {
        try self.init(output: pty.output, input: pty.input, terminalType: terminalType, pseudoTerminal: pty,
                      colorDepth: colorDepth, forceASCII: forceASCII, escapeDelayMs: 25)
    }

    private init(output: UnsafeMutablePointer<FILE>, input: UnsafeMutablePointer<FILE>, terminalType: String?,
                 pseudoTerminal: PseudoTerminal?, colorDepth: ColorDepth?, forceASCII: Bool, escapeDelayMs: Int32) throws(TerminalError) {
        let codeset = String(cString: tend_codeset())
        glyphs = Glyphs.forLocale(codeset: codeset, forceASCII: forceASCII)
        self.pseudoTerminal = pseudoTerminal
        let before = counter.read()
        set_escdelay(escapeDelayMs)
        let opened = terminalType.map { t in t.withCString { newterm($0, output, input) } } ?? newterm(nil, output, input)
        guard let scr = opened else {
            throw .unknownTerminalType(terminalType ?? getenv("TERM").map { String(cString: $0) } ?? "(unset)")
        }
        screen = scr
        window = tend_stdscr()
        cbreak(); noecho(); nonl()
        keypad(window, true)
        curs_set(0)
        wtimeout(window, 100)
        leaveok(window, true)

        outputFD = fileno(output)
        var hasColors = false
        if has_colors() {
            start_color()
            use_default_colors()
            hasColors = true
        }
        let (depth, notes) = ColorDepth.detect(
            override: colorDepth, noColor: getenv("NO_COLOR").map { String(cString: $0) },
            colorTerm: getenv("COLORTERM").map { String(cString: $0) }, hasColors: hasColors, colors: Int(tend_colors()))
        capabilities = TerminalCapabilities(utf8: glyphs.braille, colorDepth: depth,
                                            notes: notes + (glyphs.braille ? [] : ["locale codeset \(codeset) is not UTF-8 (or --ascii): ASCII glyphs"]))
        encoder = FrameEncoder(depth: hasColors ? depth : .none, utf8: glyphs.braille,
                               columnAddress: tend_has_string_cap("hpa") != 0)
        countsBytes = before != nil
        account(since: before)
    }

    /// Adds what this thread wrote since `before` (a `counter.read()` taken just before an ncurses call).
    private func account(since before: UInt64?) {
        guard let before, let after = counter.read(), after >= before else { return }
        written += after - before
    }

    deinit { shutdown() }

    /// Bytes sent to the terminal since startup (escape sequences included).
    public var bytesWritten: UInt64 { written }

    /// The screen size in cells.
    public func size() -> (width: Int, height: Int) {
        guard let window, !isShutDown else { return (0, 0) }
        var y: Int32 = 0, x: Int32 = 0
        tend_getmaxyx(window, &y, &x)
        return (Int(x), Int(y))
    }

    /// Forgets what is on screen so the next `draw` writes every cell (after a resize or a corrupted screen).
    public func invalidate() {
        fullRedraw = true
        encoder.forget()
    }

    /// Copies `buffer` to the screen: only cells that differ from the previous draw are sent, in one write(2);
    /// nothing at all when no cell changed. After `invalidate()` or a size change the screen is cleared to the
    /// theme background first (covering cells outside a smaller buffer). Allocates only when frames grow.
    public func draw(_ buffer: CellBuffer, theme: Theme) {
        guard window != nil, !isShutDown else { return }
        let (w, h) = size()
        let full = fullRedraw || previous.width != buffer.width || previous.height != buffer.height
        frameBytes.removeAll(keepingCapacity: true)
        encoder.encode(buffer, since: full ? nil : previous, columns: w, rows: h,
                       background: Style(foreground: theme.foreground, background: theme.background), into: &frameBytes)
        previous.copyCells(from: buffer)
        fullRedraw = false
        send(frameBytes)
    }

    /// Writes all of `bytes` to the terminal (retrying short writes and interrupted calls) and counts them.
    private func send(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let n = write(outputFD, base + offset, raw.count - offset)
                if n > 0 { offset += n; written += UInt64(n); continue }
                if n < 0 && (errno == EINTR || errno == EAGAIN) {
                    if errno == EAGAIN { var p = pollfd(fd: outputFD, events: Int16(POLLOUT), revents: 0); _ = poll(&p, 1, 100) }
                    continue
                }
                break   // the terminal is gone (EIO after a hang-up): nothing more to show
            }
        }
    }

    /// Waits up to `timeoutMs` (negative: forever) for a key; nil on timeout or an undecodable key.
    /// A `.resize` also invalidates the screen so the next draw repaints everything.
    public func readKey(timeoutMs: Int32 = 100) -> Key? {
        guard let window, !isShutDown else { return nil }
        if TerminalGuard.takeSuspendRequest() { suspendForJobControl() }
        if TerminalGuard.takeContinued() {   // back from a stop: whatever is on screen now is not our frame
            invalidate()
            return .resize
        }
        wtimeout(window, timeoutMs)
        var code: wint_t = 0
        untouchwin(window)   // stdscr stays blank: a touched window would make wget_wch repaint over our frame
        let before = counter.read()
        let status = wget_wch(window, &code)   // may refresh the window: count its output too
        account(since: before)
        let key = KeyDecoder.decode(status: status, code: UInt32(code))
        if key == .resize { invalidate() }
        return key
    }

    /// The next event for the program loop: a pending termination signal (caught by `TerminalGuard`) first,
    /// then a key or resize from `readKey` (which also handles Ctrl-Z and the repaint after `fg`).
    public func readEvent(timeoutMs: Int32) -> TerminalEvent? {
        if let sig = TerminalGuard.pendingSignal {
            TerminalGuard.clearPendingSignal()
            return .terminate(signal: sig)
        }
        guard let key = readKey(timeoutMs: timeoutMs) else { return nil }
        if key == .resize {
            let (w, h) = size()
            return .resize(width: w, height: h)
        }
        return .key(key)
    }

    /// Ctrl-Z: restores the terminal for the shell, stops the whole process (training too) until `fg`, then
    /// takes the terminal back; the next draw repaints everything (SIGCONT also marks the screen stale).
    private func suspendForJobControl() {
        guard let window else { return }
        send(Array("\u{1b}[0m".utf8))
        var before = counter.read()
        endwin()
        account(since: before)
        raise(SIGSTOP)
        before = counter.read()
        untouchwin(window)
        doupdate()   // after endwin: back to program mode (raw keys, alternate screen)
        account(since: before)
        invalidate()
    }

    /// Ends curses and restores the terminal. Safe to call more than once.
    public func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        if screen != nil {
            send(Array("\u{1b}[0m".utf8))   // ncurses thinks its pen is plain: leave no colour set for the shell
            let before = counter.read()
            endwin()
            account(since: before)
            delscreen(screen)
            screen = nil; window = nil
        }
        pseudoTerminal?.close()
        counter.close()
    }
}
