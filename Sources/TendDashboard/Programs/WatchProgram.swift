import Foundation
import TendMetrics
import TendUI

/// The `tend watch` screen on the program loop: keys through the pure `updateWatch`, frames through the pure
/// `WatchView`, the loader's runs as messages; quits on `q`, a signal, or after `exitAfter` seconds.
public struct WatchProgram: Program {
    public struct State {
        public var screen: WatchState
        public var snapshot: RunsSnapshot
        public var width = 0, height = 0
        /// The signal that ended the screen, if one did.
        public var signal: Int32?
        public init(screen: WatchState, snapshot: RunsSnapshot) { self.screen = screen; self.snapshot = snapshot }
    }
    public enum Msg: TerminalMessage {
        case key(Key), resize(width: Int, height: Int), signal(Int32)
        /// The loader's runs: `show` redraws (the cadence asked), otherwise it only keeps keys current.
        case snapshot(RunsSnapshot, show: Bool)
        case tick(elapsed: Double)
    }
    public enum Effect: Equatable { case quit }

    public let themes: [Theme]
    public var exitAfter: Double?
    public init(themes: [Theme], exitAfter: Double? = nil) { self.themes = themes; self.exitAfter = exitAfter }

    public func update(_ state: State, _ msg: Msg) -> (State, [Effect]) {
        var s = state
        switch msg {
        case .resize(let w, let h):
            s.width = w; s.height = h
            return key(.resize, s)
        case .snapshot(let snap, _): s.snapshot = snap
        case .signal(let sig): s.signal = sig; return (s, [.quit])
        case .tick(let elapsed): if let exitAfter, elapsed >= exitAfter { return (s, [.quit]) }
        case .key(let k): return key(k, s)
        }
        return (s, [])
    }

    private func key(_ k: Key, _ state: State) -> (State, [Effect]) {
        var s = state
        let context = WatchContext(snapshot: s.snapshot, state: s.screen, width: s.width, height: s.height)
        let (next, actions) = updateWatch(s.screen, k, context: context)
        s.screen = next
        return (s, actions.contains(.quit) ? [.quit] : [])
    }

    public func redraws(after msg: Msg) -> Bool {
        switch msg {
        case .snapshot(_, let show): return show
        case .tick: return false
        default: return true
        }
    }

    public func theme(_ state: State) -> Theme { themes[min(state.screen.themeIndex, themes.count - 1)] }

    public func view(_ state: State, into buffer: inout CellBuffer, glyphs: Glyphs) {
        WatchView.render(snapshot: state.snapshot, state: state.screen, into: &buffer, theme: theme(state), glyphs: glyphs)
    }
}
