import Foundation
import TendMetrics
import TendUI

/// The interactive `tend inspect` screen on the program loop: keys through the pure `updateInspect`, frames
/// through the pure `InspectView`, the session's snapshot as messages. Redraws on a key, a resize, or when the
/// snapshot changed (at most every `interval` seconds while the scan runs); a termination signal quits.
public struct InspectProgram: Program {
    public struct State {
        public var screen: InspectState
        public var snapshot: InspectSnapshot
        public var height = 0
        public init(screen: InspectState, snapshot: InspectSnapshot) { self.screen = screen; self.snapshot = snapshot }
    }
    public enum Msg: TerminalMessage {
        case key(Key), resize(width: Int, height: Int), signal(Int32)
        /// The session's snapshot: `show` redraws (the cadence asked), otherwise it only keeps keys current.
        case snapshot(InspectSnapshot, show: Bool)
    }
    public enum Effect: Equatable { case quit, write(InspectWriteRequest), log(String) }

    public let theme: Theme
    public init(theme: Theme) { self.theme = theme }

    public func update(_ state: State, _ msg: Msg) -> (State, [Effect]) {
        var s = state
        switch msg {
        case .resize(_, let h): s.height = h
        case .snapshot(let snap, _): s.snapshot = snap
        case .signal: return (s, [.quit])
        case .key(let key):
            let rows = InspectViewModel.make(s.snapshot, s.screen).rows.count
            let (next, actions) = updateInspect(s.screen, key, rowCount: rows, pageRows: InspectView.tableRows(height: s.height))
            s.screen = next
            var effects: [Effect] = []
            for action in actions {
                switch action {
                case .quit: return (s, [.quit])
                case .write:
                    if let request = InspectViewModel.make(s.snapshot, s.screen).writeRequest { effects.append(.write(request)) }
                    else { effects.append(.log("nothing to write: turn on p (prune) or i (int8)")) }
                }
            }
            return (s, effects)
        }
        return (s, [])
    }

    public func redraws(after msg: Msg) -> Bool {
        if case .snapshot(_, let show) = msg { return show }
        return true
    }

    public func theme(_ state: State) -> Theme { theme }

    public func view(_ state: State, into buffer: inout CellBuffer, glyphs: Glyphs) {
        InspectView.render(state.snapshot, state: state.screen, into: &buffer, rect: buffer.bounds, theme: theme, glyphs: glyphs)
    }
}
