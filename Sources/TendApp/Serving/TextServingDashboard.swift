import Foundation
import TendCore
import TendDashboard
import TendMetrics
import TendRuntime
import TendUI

/// The dashboard program's outside while it serves a transformer (`TextServingRun`): snapshots of the
/// serving store, and effects answered for a run that trains nothing. Keys that need training are refused
/// in `update` already; an engine command that still arrives is logged as not available. UI thread only.
public struct TextServingHost: ProgramHost {
    public let run: TextServingRun
    public private(set) var exit: DashboardExit?

    public init(run: TextServingRun) { self.run = run }

    public func dataVersion() -> UInt64 { run.store.version }

    public mutating func poll(_ state: DashboardProgram.State, due: FrameDue?, now: Double) -> [DashboardProgram.Msg] {
        var msgs: [DashboardProgram.Msg] = [.tick(elapsed: now, run: run.store.runState)]
        if let due { msgs.append(.snapshot(run.store.snapshot(latency: .cached, includeSeries: due == .full), due)) }
        return msgs
    }

    public mutating func perform(_ effect: DashboardProgram.Effect, state: DashboardProgram.State) -> EffectOutcome<DashboardProgram.Msg> {
        switch effect {
        case .engine(let c):
            if case .stop = c { break }
            run.store.log(EngineEvent(wallTime: Date().timeIntervalSince1970, level: .warning,
                                      message: "\(c) needs a training run; this dashboard serves \(run.card.name)"))
        case .muteAlert:
            break
        case .writeIncidentReport:
            return .reply([.reportFailed("an incident report needs a training run; this dashboard serves \(run.card.name) (inference only)")])
        case .finish(let why):
            exit = why
            if case .signal(let sig) = why {
                run.store.log(EngineEvent(wallTime: Date().timeIntervalSince1970, level: .warning, message: "signal \(sig): stop serving and exit"))
            }
            run.shutdown()
            return .quit
        }
        return .done
    }
}

/// Runs the dashboard over a `TextServingRun` on `backend` until it quits (q, a signal, or `exitAfter`
/// seconds); returns how it ended and the UI thread's frame figures (for `--stats-out`).
public enum TextServingDashboard {
    public static func run<B: TerminalBackend>(_ serving: TextServingRun, on backend: B, themes: [Theme], themeIndex: Int,
                                               settings: DashboardSettings, clock: @escaping () -> Double,
                                               cpuClock: (() -> Double)? = nil) -> (exit: DashboardExit?, stats: FrameStats) {
        var ui = DashboardState(themeNames: themes.map(\.name), columns: backend.size().width)
        ui.themeIndex = themeIndex
        ui.servedModel = serving.card.name
        ui.focus = .latency
        let program = DashboardProgram(themes: themes, exitAfter: settings.exitAfter)
        var host = TextServingHost(run: serving)
        let stats = DashboardLoop.run(program, from: DashboardProgram.State(ui: ui, snapshot: serving.store.snapshot()), host: &host,
                                      on: backend, settings: settings, clock: clock, cpuClock: cpuClock)
        return (host.exit, stats)
    }
}
