import Foundation
import TendDashboard
import TendInterop
import TendMetrics
import TendUI

/// The watch program's outside: the logdir loader's runs.
public struct WatchHost: ProgramHost {
    public let loader: LogdirLoader
    public init(loader: LogdirLoader) { self.loader = loader }

    public func dataVersion() -> UInt64 { loader.snapshot().version }

    public mutating func poll(_ state: WatchProgram.State, due: FrameDue?, now: Double) -> [WatchProgram.Msg] {
        var msgs: [WatchProgram.Msg] = [.tick(elapsed: now)]
        let snap = loader.snapshot()
        if due != nil { msgs.append(.snapshot(snap, show: true)) }
        else if snap.version != state.snapshot.version { msgs.append(.snapshot(snap, show: false)) }
        return msgs
    }

    public mutating func perform(_ effect: WatchProgram.Effect, state: WatchProgram.State) -> EffectOutcome<WatchProgram.Msg> { .quit }
}

public enum WatchScreen {
    /// Runs the screen on `backend` until it quits; returns the signal that ended it, if any.
    public static func run<B: TerminalBackend>(loader: LogdirLoader, themes: [Theme], themeIndex: Int, exitAfter: Double?,
                                               on backend: B) -> Int32? {
        var screen = WatchState(themeNames: themes.map(\.name))
        screen.themeIndex = themeIndex
        var host = WatchHost(loader: loader)
        var loop = ProgramLoop(backend: backend, cadence: RedrawCadence(counterInterval: 0.5), clock: { Date().timeIntervalSince1970 })
        let end = loop.run(WatchProgram(themes: themes, exitAfter: exitAfter),
                           from: WatchProgram.State(screen: screen, snapshot: loader.snapshot()), host: &host)
        return end.signal
    }
}
