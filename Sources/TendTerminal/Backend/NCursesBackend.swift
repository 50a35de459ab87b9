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

/// Owns the ncurses screen: starts it, draws cell buffers (only the cells that changed since the last draw),
/// decodes keys and restores the terminal on `shutdown()`. All calls must come from one thread.
/// `bytesWritten` counts what ncurses sent to the terminal (sampled from the thread's write accounting
/// around every ncurses call that can write).
public final class NCursesBackend {
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
    private var pairs: ColorPairs
    private struct ResolvedStyle { var attributes: attr_t; var pair: Int32 }
    private var resolvedStyles: [Style: ResolvedStyle] = [:]
    private var lastResolved: (style: Style, resolved: ResolvedStyle)?
    /// Per-run scratch: two code points per cell, and the cchar_t array ncurses copies from.
    private var scratchColumns = 0
    private var scalars: UnsafeMutablePointer<UInt32>?
    private var cchars: UnsafeMutableRawPointer?
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
        pairs = ColorPairs(depth: hasColors ? depth : .none, colorPairs: tend_color_pairs())
        countsBytes = before != nil
        account(since: before)
    }

    /// Adds what this thread wrote since `before` (a `counter.read()` taken just before an ncurses call).
    private func account(since before: UInt64?) {
        guard let before, let after = counter.read(), after >= before else { return }
        written += after - before
    }

    deinit {
        shutdown()
        scalars?.deallocate()
        cchars?.deallocate()
    }

    /// Bytes sent to the terminal since startup (escape sequences included).
    public var bytesWritten: UInt64 { written }

    /// True once more colour pairs were needed than the terminal has; later styles used default colours.
    public var ranOutOfColorPairs: Bool { pairs.exhausted }

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
        if let window { wclear(window) }
    }

    /// Copies `buffer` to the screen. Only cells that differ from the previous draw reach ncurses, as runs of
    /// one style written with one call each; nothing is sent (no refresh at all) when no cell changed. Screen
    /// cells outside the buffer are cleared to the theme background. Allocates only when the size changes.
    public func draw(_ buffer: CellBuffer, theme: Theme) {
        guard let window, !isShutDown else { return }
        let (w, h) = size()
        if previous.width != buffer.width || previous.height != buffer.height {
            if !fullRedraw { invalidate() }
            previous = CellBuffer(width: buffer.width, height: buffer.height)
        }
        ensureScratch(columns: max(1, w, buffer.width))
        let full = fullRedraw
        var changed = full
        let maxX = min(w, buffer.width), maxY = min(h, buffer.height)
        guard let scalars, let cchars else { return }
        buffer.cells.withUnsafeBufferPointer { cells in
            buffer.forEachChangedRun(since: full ? nil : previous) { run in
                guard run.y < maxY, run.x < maxX else { return }
                let n = min(run.count, maxX - run.x)
                let first = run.y * buffer.width + run.x
                for k in 0..<n {
                    let cell = cells[first + k]
                    scalars[2 * k] = cell.scalar.value
                    scalars[2 * k + 1] = cell.mark?.value ?? 0
                }
                let r = resolve(run.style)
                _ = tend_put_run(window, Int32(run.y), Int32(run.x), scalars, Int32(n), r.attributes, r.pair, cchars)
                changed = true
            }
        }
        if full && (buffer.width < w || buffer.height < h) {
            let r = resolve(Style(foreground: theme.foreground, background: theme.background))
            for k in 0..<w { scalars[2 * k] = 32; scalars[2 * k + 1] = 0 }
            for y in 0..<h {
                let x0 = y < buffer.height ? buffer.width : 0
                guard x0 < w else { continue }
                _ = tend_put_run(window, Int32(y), Int32(x0), scalars, Int32(w - x0), r.attributes, r.pair, cchars)
            }
        }
        previous.copyCells(from: buffer)
        fullRedraw = false
        guard changed else { return }
        wnoutrefresh(window)
        let before = counter.read()
        doupdate()
        account(since: before)
    }

    /// The ncurses attributes and colour pair for a style, cached (styles repeat from frame to frame).
    private func resolve(_ style: Style) -> ResolvedStyle {
        if let last = lastResolved, last.style == style { return last.resolved }
        let r: ResolvedStyle
        if let hit = resolvedStyles[style] {
            r = hit
        } else {
            let reduced = style.reduced(to: pairs.depth)
            var attrs = tend_wa_normal()
            let a = reduced.attributes
            if a.contains(.bold) { attrs |= tend_a_bold() }
            if a.contains(.dim) { attrs |= tend_a_dim() }
            if a.contains(.reverse) { attrs |= tend_a_reverse() }
            if a.contains(.underline) { attrs |= tend_a_underline() }
            if a.contains(.italic) { attrs |= tend_a_italic() }
            r = ResolvedStyle(attributes: attrs, pair: pairs.pair(for: reduced))
            resolvedStyles[style] = r
        }
        lastResolved = (style, r)
        return r
    }

    /// Grows the per-run scratch arrays to hold `columns` cells (only when the screen gets wider).
    private func ensureScratch(columns: Int) {
        guard columns > scratchColumns else { return }
        scalars?.deallocate(); cchars?.deallocate()
        scratchColumns = max(columns, 2 * scratchColumns)
        scalars = .allocate(capacity: 2 * scratchColumns)
        cchars = .allocate(byteCount: scratchColumns * tend_cchar_size(), alignment: 16)
    }

    /// Waits up to `timeoutMs` (negative: forever) for a key; nil on timeout or an undecodable key.
    /// A `.resize` also invalidates the screen so the next draw repaints everything.
    public func readKey(timeoutMs: Int32 = 100) -> Key? {
        guard let window, !isShutDown else { return nil }
        wtimeout(window, timeoutMs)
        var code: wint_t = 0
        let before = counter.read()
        let status = wget_wch(window, &code)   // may refresh the window: count its output too
        account(since: before)
        let key = KeyDecoder.decode(status: status, code: UInt32(code))
        if key == .resize { invalidate() }
        return key
    }

    /// Ends curses and restores the terminal. Safe to call more than once.
    public func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        if screen != nil {
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
