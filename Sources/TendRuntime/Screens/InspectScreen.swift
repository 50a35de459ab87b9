import Foundation
import TendDashboard
import TendTerminal
import TendUI

/// The interactive `tend inspect` screen on the shared `ScreenLoop`: keys through the pure `updateInspect`,
/// frames through the pure `InspectView`. Redraws on a key, a resize, or when the session's snapshot changed
/// (at most every `interval` seconds while the scan runs); a termination signal quits.
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
        _ = ScreenLoop(backend: backend, dataInterval: interval).run(
            onKey: { key, _, height in
                let snap = session.snapshot()
                let rows = InspectViewModel.make(snap, state).rows.count
                let (next, actions) = updateInspect(state, key, rowCount: rows, pageRows: InspectView.tableRows(height: height))
                state = next
                for action in actions {
                    switch action {
                    case .quit: return false
                    case .write:
                        if let request = InspectViewModel.make(session.snapshot(), state).writeRequest { session.write(request) }
                        else { session.log("nothing to write: turn on p (prune) or i (int8)") }
                    }
                }
                return true
            },
            dataVersion: { session.snapshot().version },
            render: { buffer, glyphs in
                InspectView.render(session.snapshot(), state: state, into: &buffer, rect: buffer.bounds, theme: theme, glyphs: glyphs)
            },
            theme: { theme })
    }
}
