import Foundation
import TendCore
import TendDashboard
import TendMetrics
import TendRuntime
import TendUI

/// The dashboard's outside: snapshots of the live run when the cadence asks (counter frames without series:
/// every snapshot that shares the store's series makes the trainer copy each series it appends to next), commands
/// through the run's router, mute and report effects, and the shutdown each exit asks for. UI thread only.
public struct LiveDashboardHost: ProgramHost {
    public let live: LiveRun
    /// How the program ended (for the command's last message).
    public private(set) var exit: DashboardExit?

    public init(live: LiveRun) { self.live = live }

    public func dataVersion() -> UInt64 { live.store.version }

    public mutating func poll(_ state: DashboardProgram.State, due: FrameDue?, now: Double) -> [DashboardProgram.Msg] {
        var msgs: [DashboardProgram.Msg] = [.tick(elapsed: now, run: live.store.runState)]
        if let due { msgs.append(.snapshot(live.store.snapshot(latency: .cached, includeSeries: due == .full), due)) }
        return msgs
    }

    public mutating func perform(_ effect: DashboardProgram.Effect, state: DashboardProgram.State) -> EffectOutcome<DashboardProgram.Msg> {
        switch effect {
        case .engine(let c):
            live.send(c)
        case .muteAlert(let row, let seconds):
            live.muteAlert(row: row, seconds: seconds)
        case .writeIncidentReport:
            do { return .reply([.reportWritten(path: try live.writeIncidentReport())]) }
            catch { return .reply([.reportFailed("\(error)")]) }
        case .finish(let why):
            exit = why
            switch why {
            case .quit: if !live.isDone { live.shutdown(checkpoint: true) }
            case .signal(let sig):
                live.store.log(EngineEvent(wallTime: Date().timeIntervalSince1970, level: .warning, message: "signal \(sig): checkpoint and exit"))
                live.shutdown(checkpoint: true)
            case .trainingDone: live.shutdown(checkpoint: false)
            case .timeLimit: live.shutdown(checkpoint: true)
            }
            return .quit
        }
        return .done
    }
}

/// Redraw and exit settings of `tend dashboard`.
public struct DashboardSettings: Sendable {
    public var counterInterval = 0.5
    public var chartInterval = 2.0
    public var exitAfter: Double?
    public var exitWhenDone = false
    public init(counterInterval: Double = 0.5, chartInterval: Double = 2.0, exitAfter: Double? = nil, exitWhenDone: Bool = false) {
        self.counterInterval = counterInterval; self.chartInterval = chartInterval
        self.exitAfter = exitAfter; self.exitWhenDone = exitWhenDone
    }
}

/// The dashboard program on the one loop with `host`, at the settings' cadence; returns the UI thread's frame
/// figures (frame times, wall seconds). Shared by the training and the serving dashboards.
public enum DashboardLoop {
    public static func run<B: TerminalBackend, H: ProgramHost>(_ program: DashboardProgram, from initial: DashboardProgram.State,
                                                               host: inout H, on backend: B, settings: DashboardSettings,
                                                               clock: @escaping () -> Double, cpuClock: (() -> Double)?) -> FrameStats
    where H.State == DashboardProgram.State, H.Msg == DashboardProgram.Msg, H.Effect == DashboardProgram.Effect {
        var loop = ProgramLoop(backend: backend, cadence: RedrawCadence(counterInterval: settings.counterInterval,
                                                                       chartInterval: settings.chartInterval, everySecond: true),
                               clock: clock)
        loop.cpuClock = cpuClock
        var stats = FrameStats()
        loop.onFrame = { stats.add($0) }
        let started = clock()
        loop.run(program, from: initial, host: &host)
        stats.seconds = clock() - started
        return stats
    }
}

/// Runs the dashboard of `live` on `backend` until it quits: the one program loop with the dashboard program and
/// the live run as host. Returns how it ended and the UI thread's frame figures.
public enum LiveDashboard {
    public static func run<B: TerminalBackend>(_ live: LiveRun, on backend: B, themes: [Theme], themeIndex: Int,
                                               settings: DashboardSettings, clock: @escaping () -> Double,
                                               cpuClock: (() -> Double)? = nil) -> (exit: DashboardExit?, stats: FrameStats) {
        var ui = DashboardState(themeNames: themes.map(\.name), columns: backend.size().width,
                                fineTuneDefaults: FineTuneForm(dataPath: live.defaultFineTuneData()))
        ui.themeIndex = themeIndex
        let program = DashboardProgram(themes: themes, exitAfter: settings.exitAfter, exitWhenDone: settings.exitWhenDone)
        var host = LiveDashboardHost(live: live)
        var stats = DashboardLoop.run(program, from: DashboardProgram.State(ui: ui, snapshot: live.store.snapshot()), host: &host,
                                      on: backend, settings: settings, clock: clock, cpuClock: cpuClock)
        stats.trainSamplesPerSecond = live.trainer.stepSeconds > 0 ? Double(live.trainer.samplesTrained) / live.trainer.stepSeconds : 0
        return (host.exit, stats)
    }
}
