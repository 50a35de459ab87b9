import ArgumentParser
import Foundation
import TendTerminal
import TendUI

/// The terminal options of the live screens (`tend dashboard`, `tend watch`).
struct TerminalOptions: ParsableArguments {
    @Option(help: "Theme name (default, light, high-contrast, mono, or a user theme) or a .theme file path.")
    var theme = "default"
    @Flag(help: "No colour (also when NO_COLOR is set).") var noColor = false
    @Flag(help: "ASCII charts and borders even in a UTF-8 locale.") var ascii = false
    @Option(help: "Limit colours: 8, 16, 256 or truecolor.") var colors: String?

    /// The colour depth forced by `--no-color` / `--colors`, nil to detect.
    func colorDepth() throws -> ColorDepth? {
        if noColor { return ColorDepth.none }
        guard let colors else { return nil }
        switch colors.lowercased() {
        case "8": return .ansi8
        case "16": return .ansi16
        case "256": return .xterm256
        case "truecolor", "24bit", "16m": return .trueColor
        case "none", "0": return ColorDepth.none
        default: throw CLIError("--colors \(colors): expected 8, 16, 256 or truecolor")
        }
    }

    /// Opens the terminal (the guard restores it on signals and crashes) with the themes loaded.
    func open() throws -> (NCursesBackend, ThemeCatalog, Int) {
        var catalog = ThemeCatalog.load()
        let index = catalog.select(theme) ?? 0
        let depth = try colorDepth()
        do { return (try NCursesBackend(colorDepth: depth, forceASCII: ascii), catalog, index) }
        catch { throw CLIError("cannot open the terminal: \(error)") }
    }
}

/// The UI thread's loop for a screen whose state/update/view are pure (`tend watch`, `tend inspect`): wakes on a key or every 100 ms,
/// hands keys to `onKey`, and redraws at once after a key or a resize, and at most every
/// `dataInterval` seconds when `dataVersion` changes. Stops on a quit from `onKey`, a termination signal
/// (SIGINT/SIGTERM/SIGHUP, caught by `TerminalGuard`) or after `exitAfter` seconds.
struct ScreenLoop {
    enum Exit: Equatable { case quit, signal(Int32), timeout }

    let backend: NCursesBackend
    var dataInterval = 0.5
    var exitAfter: Double?

    /// `onKey` returns false to quit; `render` draws a whole frame into the (cleared) buffer.
    func run(onKey: (Key, _ width: Int, _ height: Int) -> Bool, dataVersion: () -> UInt64,
             render: (inout CellBuffer, Glyphs) -> Void, theme: () -> Theme) -> Exit {
        var buffer = CellBuffer(width: 0, height: 0)
        var lastSize = (width: -1, height: -1)
        var lastVersion: UInt64 = .max
        var lastFrame = -Double.infinity
        var dirty = true
        let start = Date().timeIntervalSince1970
        while true {
            if let sig = TerminalGuard.pendingSignal {
                TerminalGuard.clearPendingSignal()
                return .signal(sig)
            }
            let now = Date().timeIntervalSince1970
            if let exitAfter, now - start >= exitAfter { return .timeout }
            if let key = backend.readKey(timeoutMs: 100) {
                if key == .resize { backend.invalidate() }
                let size = backend.size()
                if !onKey(key, size.width, size.height) { return .quit }
                dirty = true
            }
            let size = backend.size()
            let version = dataVersion()
            let due = version != lastVersion && Date().timeIntervalSince1970 - lastFrame >= dataInterval
            guard dirty || due || size != lastSize else { continue }
            if buffer.width != size.width || buffer.height != size.height {
                buffer = CellBuffer(width: size.width, height: size.height)
            }
            let t = theme()
            buffer.fill(rect: buffer.bounds, cell: Cell(" ", style: t.text))
            render(&buffer, backend.glyphs)
            backend.draw(buffer, theme: t)
            lastFrame = Date().timeIntervalSince1970
            lastVersion = version
            lastSize = size
            dirty = false
        }
    }
}
