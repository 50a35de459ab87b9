#if canImport(Glibc)
import Glibc
#endif
import CNCurses
import TendUI

/// A terminal that could not be opened.
public enum TerminalError: Error, CustomStringConvertible {
    case notATerminal
    case unknownTerminalType(String)
    public var description: String {
        switch self {
        case .notATerminal: return "standard input/output is not a terminal; run tend in a terminal (or use a non-interactive command)"
        case .unknownTerminalType(let t): return "ncurses does not know TERM=\(t); set TERM to e.g. xterm-256color"
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
    private var previous: CellBuffer?
    private var pairs: ColorPairs
    private let scratch: UnsafeMutablePointer<wchar_t>
    private var isShutDown = false

    /// Sets the locale, detects UTF-8 and colours, and starts curses on the controlling terminal.
    /// `colorDepth` forces a depth (`--colors`), `forceASCII` forces ASCII glyphs (`--ascii`).
    /// Installs `TerminalGuard` first (idempotent) so signals and crashes restore the terminal; the UI loop
    /// must poll `TerminalGuard.pendingSignal`, since Ctrl-C no longer kills the process.
    public init(colorDepth: ColorDepth? = nil, forceASCII: Bool = false, escapeDelayMs: Int32 = 25) throws(TerminalError) {
        setlocale(LC_ALL, "")
        TerminalGuard.install()
        guard isatty(0) == 1, isatty(1) == 1 else { throw .notATerminal }
        let codeset = String(cString: tend_codeset())
        glyphs = Glyphs.forLocale(codeset: codeset, forceASCII: forceASCII)

        scratch = .allocate(capacity: 8)
        let before = counter.read()
        set_escdelay(escapeDelayMs)
        guard let scr = newterm(nil, tend_stdout(), tend_stdin()) else {
            scratch.deallocate()
            throw .unknownTerminalType(getenv("TERM").map { String(cString: $0) } ?? "(unset)")
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
        scratch.deallocate()
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
        previous = nil
        if let window { wclear(window) }
    }

    /// Copies `buffer` to the screen, writing only cells that differ from the previous draw, then refreshes.
    /// Screen cells outside the buffer are cleared to the theme background.
    public func draw(_ buffer: CellBuffer, theme: Theme) {
        guard let window, !isShutDown else { return }
        let (w, h) = size()
        if let p = previous, p.width != buffer.width || p.height != buffer.height { invalidate() }
        let old = previous
        let plainAttrs = tend_wa_normal()
        for y in 0..<min(h, buffer.height) {
            for x in 0..<min(w, buffer.width) {
                let cell = buffer[x: x, y: y]
                if let old, old[x: x, y: y] == cell { continue }
                put(cell, x: x, y: y, window: window, normal: plainAttrs)
            }
        }
        if old == nil && (buffer.width < w || buffer.height < h) {
            let blank = Cell(" ", style: Style(foreground: theme.foreground, background: theme.background))
            for y in 0..<h {
                for x in 0..<w where x >= buffer.width || y >= buffer.height { put(blank, x: x, y: y, window: window, normal: plainAttrs) }
            }
        }
        previous = buffer
        wnoutrefresh(window)
        let before = counter.read()
        doupdate()
        account(since: before)
    }

    private func put(_ cell: Cell, x: Int, y: Int, window: UnsafeMutablePointer<WINDOW>, normal: attr_t) {
        var n = 0
        for s in cell.grapheme.unicodeScalars where n < 5 { scratch[n] = wchar_t(bitPattern: s.value); n += 1 }
        if n == 0 { scratch[0] = 32; n = 1 }
        scratch[n] = 0
        let style = cell.style.reduced(to: pairs.depth)
        var attrs = normal
        let a = style.attributes
        if a.contains(.bold) { attrs |= tend_a_bold() }
        if a.contains(.dim) { attrs |= tend_a_dim() }
        if a.contains(.reverse) { attrs |= tend_a_reverse() }
        if a.contains(.underline) { attrs |= tend_a_underline() }
        if a.contains(.italic) { attrs |= tend_a_italic() }
        let pair = pairs.pair(for: style)
        _ = tend_put_cell(window, Int32(y), Int32(x), scratch, attrs, pair)
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
    }
}
