import TendCore
import TendMetrics
import TendUI

/// The live dashboard as a program on the one loop: every change to what it shows, keys and resizes, snapshots
/// of the run, clock ticks and effect results, goes through `update`; `view` draws the state. The executable's
/// old frame loop wrote `columns`, the quantization rows, the distillation student and the report overlay from
/// outside; these are messages now.
public struct DashboardProgram: Program {
    public struct State {
        public var ui: DashboardState
        /// What the panels show: the newest snapshot, its charts and latency from the last `.full` frame.
        public var snapshot: MetricsSnapshot
        /// The snapshot of the last `.full` frame (the series and latency spliced into counter-only frames).
        public var charts: MetricsSnapshot
        /// The run state as of the newest tick (fresher than `snapshot`).
        public var run: RunState
        /// Set once by the message that ends the program.
        public var exit: DashboardExit?

        public init(ui: DashboardState, snapshot: MetricsSnapshot) {
            self.ui = ui; self.snapshot = snapshot; charts = snapshot; run = snapshot.run.state
        }
    }

    public enum Msg: TerminalMessage {
        case key(Key)
        case resize(width: Int, height: Int)
        /// A snapshot the cadence asked for; `.counters` ones carry no series (the last chart frame's are kept).
        case snapshot(MetricsSnapshot, FrameDue)
        /// Seconds since the loop started and the run's state, read every tick.
        case tick(elapsed: Double, run: RunState)
        case signal(Int32)
        case reportWritten(path: String)
        case reportFailed(String)
    }

    public enum Effect: Equatable {
        case engine(EngineCommand)
        case muteAlert(row: Int, seconds: Double)
        case writeIncidentReport
        /// Stop the run as `DashboardExit` says and leave the loop.
        case finish(DashboardExit)
    }

    public let themes: [Theme]
    /// Quit by itself after this many seconds (with a checkpoint).
    public var exitAfter: Double?
    /// Quit by itself when training finishes.
    public var exitWhenDone = false

    public init(themes: [Theme], exitAfter: Double? = nil, exitWhenDone: Bool = false) {
        self.themes = themes; self.exitAfter = exitAfter; self.exitWhenDone = exitWhenDone
    }

    public func update(_ state: State, _ msg: Msg) -> (State, [Effect]) {
        var s = state
        switch msg {
        case .key(let key):
            return handle(key, s)
        case .resize(let w, _):
            s.ui.columns = w
            return handle(.resize, s)
        case .snapshot(var snap, let due):
            if due == .full { s.charts = snap } else {
                // Counters stay live; charts and histograms refresh every chart interval.
                snap.series = s.charts.series
                snap.latency = s.charts.latency
            }
            if s.ui.screen == .quantization {   // `k` acts on the layer rows of the newest preview
                s.ui.quantization.syncLayers(from: snap.attachment(QuantizationPreview.key))
            }
            s.ui.distillation.sync(from: snap.attachment(DistillationProgress.key))   // `enter` / `u` need a student
            s.snapshot = snap
            s.run = snap.run.state
        case .tick(let elapsed, let run):
            s.run = run
            guard s.exit == nil else { break }
            if exitWhenDone, run == .finished { s.exit = .trainingDone; return (s, [.finish(.trainingDone)]) }
            if let exitAfter, elapsed >= exitAfter { s.exit = .timeLimit; return (s, [.finish(.timeLimit)]) }
        case .signal(let sig):
            s.exit = .signal(sig)
            return (s, [.finish(.signal(sig))])
        case .reportWritten(let path):
            s.ui.overlay = .message(title: "Incident report", text: "wrote \(path) and report.json next to it")
        case .reportFailed(let error):
            s.ui.overlay = .message(title: "Incident report failed", text: error)
        }
        return (s, [])
    }

    /// A key through the dashboard's pure key handling; its actions become effects (a theme is state).
    private func handle(_ key: Key, _ state: State) -> (State, [Effect]) {
        var s = state
        let (next, actions) = TendDashboard.update(s.ui, key, run: s.run)
        s.ui = next
        var effects: [Effect] = []
        for action in actions {
            switch action {
            case .engine(let c): effects.append(.engine(c))
            case .setTheme(let i): s.ui.themeIndex = i
            case .muteAlert(let row, let seconds): effects.append(.muteAlert(row: row, seconds: seconds))
            case .writeIncidentReport: effects.append(.writeIncidentReport)
            case .quit:
                s.exit = .quit
                effects.append(.finish(.quit))
                return (s, effects)
            }
        }
        return (s, effects)
    }

    public func redraws(after msg: Msg) -> Bool {
        if case .tick = msg { return false }
        return true
    }

    /// Compression screens show a new preview at once; the panels redraw counters every counter interval.
    public func wantsImmediateData(_ state: State) -> Bool { state.ui.screen != .dashboard }

    public func theme(_ state: State) -> Theme { themes[min(state.ui.themeIndex, themes.count - 1)] }

    public func view(_ state: State, into buffer: inout CellBuffer, glyphs: Glyphs) {
        DashboardView.render(snapshot: state.snapshot, state: state.ui, into: &buffer, theme: theme(state), glyphs: glyphs)
    }
}

/// Why the dashboard ended.
public enum DashboardExit: Equatable, Sendable {
    /// `q` (confirmed while the run is live): a checkpoint when the run is still going.
    case quit
    /// SIGINT/SIGTERM/SIGHUP: a checkpoint, then exit.
    case signal(Int32)
    /// `--exit-when-done` and training finished.
    case trainingDone
    /// `--exit-after` seconds passed: a checkpoint, then exit.
    case timeLimit
}
