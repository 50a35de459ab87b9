import ArgumentParser
import Foundation
import TendCore
import TendDashboard
import TendEngine
import TendMetrics
import TendTerminal
import TendUI

/// `tend dashboard` (and `tend` with no arguments): the live console over a training run.
struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Open the live dashboard and train (default: the bundled digits sample).",
        discussion: """
        Panels: loss, accuracy, serving latency, memory & CPU, layers, events. Press ? for the keys.
        The run directory gets metrics.jsonl and checkpoints as with `tend train`; quitting, SIGTERM and
        SIGHUP (a dropped SSH connection) write a checkpoint first.
        """)

    @OptionGroup var options: TrainOptions
    @OptionGroup var terminal: TerminalOptions
    @Option(help: "Inference requests per second replayed from the validation split (0: closed loop).")
    var serveRate: Double = 200
    @Option(help: "Rows per inference request.") var serveBatch = 1
    @Option(help: "Serve this CSV (same columns as the training data) instead of the validation split; drift (PSI) against the training data shows on the triage screen.")
    var serveData: String?
    @Option(help: "After a numerics or divergence alert, rollback (b) also multiplies the learning rate by this (1: keep it).")
    var rollbackLrFactor = 0.1
    @Option(help: "Seconds between chart and histogram redraws.") var chartInterval = 2.0
    @Option(help: "Seconds between redraws of counters (keys and resizes redraw at once).") var counterInterval = 0.5
    @Option(help: "Quit by itself after this many seconds (for benchmarks and tests); writes a checkpoint.")
    var exitAfter: Double?
    @Flag(help: "Quit by itself when training finishes (for benchmarks).") var exitWhenDone = false
    @Option(help: "Write frame-time, byte and CPU figures of the UI thread as JSON to this file on exit.")
    var statsOut: String?

    func run() throws {
        try reportingErrors { try runDashboard() }
    }

    private func runDashboard() throws {
        var catalog = ThemeCatalog.load()
        let themeIndex = catalog.select(terminal.theme) ?? 0
        let depth = try terminal.colorDepth()
        let serving = ServingConfig(rate: serveRate > 0 ? serveRate : nil, batchSize: max(1, serveBatch))
        guard rollbackLrFactor > 0 && rollbackLrFactor <= 1 else {
            throw CLIError("--rollback-lr-factor \(rollbackLrFactor): expected a factor in (0, 1]")
        }
        let live = try LiveRun(options: options, serving: serving, serveData: serveData)
        live.rollbackLRFactor = rollbackLrFactor
        for w in catalog.warnings { live.store.log(EngineEvent(wallTime: Date().timeIntervalSince1970, level: .warning, message: w)) }

        let backend: NCursesBackend
        do { backend = try NCursesBackend(colorDepth: depth, forceASCII: terminal.ascii) }
        catch { throw CLIError("cannot open the terminal: \(error)") }
        var stats = FrameStats()
        var exitMessage: String? = nil
        defer {
            backend.shutdown()
            live.session.closeInterop()
            if let exitMessage { Output.info(exitMessage) }
        }
        live.start()

        let fineTuneDefault = live.defaultFineTuneData()
        var state = DashboardState(themeNames: catalog.themes.map(\.name), columns: backend.size().width,
                                   fineTuneDefaults: FineTuneForm(dataPath: fineTuneDefault))
        state.themeIndex = themeIndex
        var buffer = CellBuffer(width: 0, height: 0)
        var chartSnapshot = live.store.snapshot()
        var lastChartTime = 0.0
        var lastDrawnVersion: UInt64 = .max
        var lastState = state
        var lastSize = (width: -1, height: -1)
        var lastSecond = -1
        var lastFrameTime = 0.0
        let clock = SystemClock()
        let started = clock.monotonic()
        let cpuStart = threadCPUSeconds()
        let bytesStart = backend.bytesWritten

        loop: while true {
            if let sig = TerminalGuard.pendingSignal {
                TerminalGuard.clearPendingSignal()
                live.store.log(EngineEvent(wallTime: clock.now(), level: .warning, message: "signal \(sig): checkpoint and exit"))
                live.shutdown(checkpoint: true)
                exitMessage = "tend: stopped by signal \(sig); checkpoint written to \(live.session.runDirectory)/checkpoints/last.safetensors"
                break loop
            }
            if exitWhenDone, live.store.runState == .finished {
                live.shutdown(checkpoint: false)
                break loop
            }
            if let limit = exitAfter, clock.monotonic() - started >= limit {
                live.shutdown(checkpoint: true)
                break loop
            }
            if let key = backend.readKey(timeoutMs: 100) {
                if key == .resize { backend.invalidate() }
                let run = live.store.runState
                let (next, actions) = update(state, key, run: run)
                state = next
                for action in actions {
                    switch action {
                    case .engine(let c): live.commands.push(c)
                    case .quit:
                        if !live.isDone { live.shutdown(checkpoint: true) }
                        break loop
                    case .setTheme(let i): state.themeIndex = i
                    case .muteAlert(let row, let seconds): live.muteAlert(row: row, seconds: seconds)
                    case .writeIncidentReport:
                        do {
                            let path = try live.writeIncidentReport()
                            state.overlay = .message(title: "Incident report", text: "wrote \(path) and report.json next to it")
                        } catch {
                            state.overlay = .message(title: "Incident report failed", text: "\(error)")
                        }
                    }
                }
            }
            // Decide from cheap reads whether a frame is due before taking a snapshot: every snapshot shares the
            // store's series, and the trainer then copies each series it appends to (copy-on-write).
            let now = clock.monotonic()
            let size = backend.size()
            let second = Int(now - started)
            let interactive = state != lastState || size != lastSize
            // Compression screens show a new preview at once; the panels redraw counters every `counterInterval`.
            let due = (now - lastFrameTime >= counterInterval || state.screen != .dashboard)
                && (live.store.version != lastDrawnVersion || second != lastSecond)
            guard interactive || due else { continue }
            let t0 = SystemClock.nanos(), c0 = threadCPUNanos()
            let chartsDue = now - lastChartTime >= chartInterval || state != lastState
            var snap = live.store.snapshot(latency: .cached, includeSeries: chartsDue)
            if chartsDue {
                chartSnapshot = snap
                lastChartTime = now
            } else {
                // Counters stay live; charts and histograms refresh every `chartInterval`.
                snap.series = chartSnapshot.series
                snap.latency = chartSnapshot.latency
            }
            if state.screen == .quantization {   // `k` acts on the layer rows of the newest preview
                state.quantization.syncLayers(from: snap.attachment(QuantizationPreview.key))
            }
            state.distillation.sync(from: snap.attachment(DistillationProgress.key))   // `enter` / `u` need a student
            lastFrameTime = now
            state.columns = size.width
            if buffer.width != size.width || buffer.height != size.height {
                buffer = CellBuffer(width: size.width, height: size.height)
            }
            let theme = catalog.themes[min(state.themeIndex, catalog.themes.count - 1)]
            buffer.fill(rect: Rect(x: 0, y: 0, width: size.width, height: size.height), cell: Cell(" ", style: theme.text))
            let t1 = SystemClock.nanos()
            DashboardView.render(snapshot: snap, state: state, into: &buffer, theme: theme, glyphs: backend.glyphs)
            let t2 = SystemClock.nanos()
            backend.draw(buffer, theme: theme)
            let t3 = SystemClock.nanos()
            stats.frameNanos.append(t3 - t0)
            stats.frameCPUNanos.append(threadCPUNanos() - c0)
            stats.snapshotNanos += t1 - t0; stats.renderNanos += t2 - t1; stats.drawNanos += t3 - t2
            lastDrawnVersion = snap.version
            lastState = state
            lastSize = size
            lastSecond = second
        }
        let seconds = clock.monotonic() - started
        stats.seconds = seconds
        stats.bytes = backend.bytesWritten - bytesStart
        stats.uiCPUSeconds = threadCPUSeconds() - cpuStart
        stats.trainSamplesPerSecond = live.trainer.stepSeconds > 0 ? Double(live.trainer.samplesTrained) / live.trainer.stepSeconds : 0
        if let statsOut { try? stats.write(to: statsOut, width: lastSize.width, height: lastSize.height) }
        if exitMessage == nil {
            exitMessage = "tend: run saved in \(live.session.runDirectory)"
        }
    }
}

/// What the UI thread cost: per-frame render+draw times, bytes sent to the terminal, CPU time.
struct FrameStats {
    var frameNanos: [UInt64] = []
    /// CPU time of the UI thread per frame (the work itself, without time the trainer's threads took the core).
    var frameCPUNanos: [UInt64] = []
    var seconds = 0.0
    var bytes: UInt64 = 0
    var uiCPUSeconds = 0.0
    var trainSamplesPerSecond = 0.0
    var snapshotNanos: UInt64 = 0, renderNanos: UInt64 = 0, drawNanos: UInt64 = 0

    struct Report: Codable {
        var width: Int, height: Int
        var seconds: Double, frames: Int
        var frame_p50_ms: Double, frame_p99_ms: Double, frame_max_ms: Double
        /// UI-thread CPU time per frame.
        var frame_cpu_p50_ms: Double, frame_cpu_p99_ms: Double
        var bytes: UInt64, bytes_per_second: Double
        var ui_cpu_percent: Double
        var train_samples_per_second: Double
        /// Mean milliseconds per frame in each stage: snapshot (+ chart splice), view into the buffer, ncurses.
        var snapshot_ms: Double, render_ms: Double, draw_ms: Double
    }

    private func mean(_ total: UInt64) -> Double { frameNanos.isEmpty ? 0 : Double(total) / Double(frameNanos.count) / 1e6 }

    func report(width: Int, height: Int) -> Report {
        let sorted = frameNanos.sorted(), cpuSorted = frameCPUNanos.sorted()
        func q(_ p: Double, _ v: [UInt64] = sorted) -> Double {
            guard !v.isEmpty else { return 0 }
            return Double(v[min(v.count - 1, Int(Double(v.count - 1) * p + 0.5))]) / 1e6
        }
        return Report(width: width, height: height, seconds: seconds, frames: sorted.count,
                      frame_p50_ms: q(0.5), frame_p99_ms: q(0.99), frame_max_ms: Double(sorted.last ?? 0) / 1e6,
                      frame_cpu_p50_ms: q(0.5, cpuSorted), frame_cpu_p99_ms: q(0.99, cpuSorted),
                      bytes: bytes, bytes_per_second: seconds > 0 ? Double(bytes) / seconds : 0,
                      ui_cpu_percent: seconds > 0 ? 100 * uiCPUSeconds / seconds : 0,
                      train_samples_per_second: trainSamplesPerSecond,
                      snapshot_ms: mean(snapshotNanos), render_ms: mean(renderNanos), draw_ms: mean(drawNanos))
    }

    func write(to path: String, width: Int, height: Int) throws {
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        try enc.encode(report(width: width, height: height)).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
