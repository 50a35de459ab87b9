import Foundation
import TendDashboard
import TendTerminal
import TendUI

/// The interactive `tend inspect` loop: the dashboard's terminal backend and guard, keys through the pure
/// `updateInspect`, frames through the pure `InspectView`. Redraws on a key, a resize, or when the session's
/// snapshot changed (at most every `interval` seconds while the scan runs).
enum InspectScreen {
    static func run(session: InspectSession, state initial: InspectState, theme name: String, ascii: Bool,
                    depth: ColorDepth?, interval: Double = 0.1) throws {
        var catalog = ThemeCatalog.load()
        let theme = catalog.themes[min(catalog.select(name) ?? 0, catalog.themes.count - 1)]
        let backend: NCursesBackend
        do { backend = try NCursesBackend(colorDepth: depth, forceASCII: ascii) }
        catch { throw CLIError("cannot open the terminal: \(error)") }
        defer { backend.shutdown(); session.stop() }
        session.startScan()
        var state = initial
        var buffer = CellBuffer(width: 0, height: 0)
        var lastVersion: UInt64 = .max
        var lastState = state
        var lastSize = (width: -1, height: -1)
        var lastFrame = 0.0
        var snap = session.snapshot()
        loop: while true {
            if TerminalGuard.pendingSignal != nil { TerminalGuard.clearPendingSignal(); break loop }
            let size = backend.size()
            if let key = backend.readKey(timeoutMs: 100) {
                if key == .resize { backend.invalidate() }
                let rows = InspectViewModel.make(snap, state).rows.count
                let (next, actions) = updateInspect(state, key, rowCount: rows, pageRows: InspectView.tableRows(height: size.height))
                state = next
                for action in actions {
                    switch action {
                    case .quit: break loop
                    case .write:
                        if let request = InspectViewModel.make(session.snapshot(), state).writeRequest { session.write(request) }
                        else { session.log("nothing to write: turn on p (prune) or i (int8)") }
                    }
                }
            }
            snap = session.snapshot()
            let now = Date().timeIntervalSinceReferenceDate
            let changed = snap.version != lastVersion && now - lastFrame >= interval
            guard state != lastState || size != lastSize || changed else { continue }
            if buffer.width != size.width || buffer.height != size.height { buffer = CellBuffer(width: size.width, height: size.height) }
            let rect = Rect(x: 0, y: 0, width: size.width, height: size.height)
            buffer.fill(rect: rect, cell: Cell(" ", style: theme.text))
            InspectView.render(snap, state: state, into: &buffer, rect: rect, theme: theme, glyphs: backend.glyphs)
            backend.draw(buffer, theme: theme)
            lastVersion = snap.version; lastState = state; lastSize = size; lastFrame = now
        }
    }
}
