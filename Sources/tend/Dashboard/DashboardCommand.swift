import ArgumentParser
import Foundation
import TendApp
import TendBench
import TendCore
import TendDashboard
import TendEngine
import TendMetrics
import TendRuntime
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
        With --model DIR --serve-data FILE.csv --text-column text it serves a Hugging Face BERT-family model live on
        the texts instead (nothing trained): latency with tokenization, tokens/s, memory, and the model's layers.
        Exit status: 0 after q, 128+N after signal N (130 SIGINT, 143 SIGTERM, 129 SIGHUP), as shells expect.
        """)

    @OptionGroup var options: TrainOptions
    @OptionGroup var terminal: TerminalOptions
    @Option(help: "Inference requests per second replayed from the validation split (0: closed loop).")
    var serveRate: Double = 200
    @Option(help: "Rows per inference request.") var serveBatch = 1
    @Option(help: "Serve this CSV (same columns as the training data) instead of the validation split; drift (PSI) against the training data shows on the triage screen. With --model: the CSV of texts to serve.")
    var serveData: String?
    @Option(help: "After a numerics or divergence alert, rollback (b) also multiplies the learning rate by this (1: keep it).")
    var rollbackLrFactor = 0.1
    @Option(help: "Serve this Hugging Face BERT-family model directory instead of training (texts from --serve-data's --text-column).")
    var model: String?
    @Option(help: "With --model: the CSV column of --serve-data holding the texts.") var textColumn = "text"
    @Option(help: "With --model: tokens per text, [CLS] and [SEP] included (default: the model's limit capped at 128).")
    var maxLength: Int?
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

    /// The redraw cadence and exit conditions of the options.
    var settings: DashboardSettings {
        DashboardSettings(counterInterval: counterInterval, chartInterval: chartInterval, exitAfter: exitAfter, exitWhenDone: exitWhenDone)
    }

    private func runDashboard() throws {
        if let model { return try runTextServing(model: model) }
        let serving = ServingConfig(rate: serveRate > 0 ? serveRate : nil, batchSize: max(1, serveBatch))
        guard rollbackLrFactor > 0 && rollbackLrFactor <= 1 else {
            throw OptionError.invalid(option: "--rollback-lr-factor", value: "\(rollbackLrFactor)", expected: "a factor in (0, 1]")
        }
        let live = try LiveRun(options: options.run, serving: serving, serveData: serveData)
        live.rollbackLRFactor = rollbackLrFactor

        let (backend, catalog, themeIndex) = try terminal.open()
        for w in catalog.warnings { live.store.log(EngineEvent(wallTime: Date().timeIntervalSince1970, level: .warning, message: w)) }
        var exitMessage: String? = nil
        defer {
            backend.shutdown()
            live.session.closeInterop()
            if let exitMessage { Output.info(exitMessage) }
        }
        live.start()
        let cpuStart = threadCPUSeconds(), bytesStart = backend.bytesWritten
        let clock = SystemClock()
        var (exit, stats) = LiveDashboard.run(live, on: backend, themes: catalog.themes, themeIndex: themeIndex, settings: settings,
                                              clock: { clock.monotonic() }, cpuClock: threadCPUSeconds)
        stats.bytes = backend.bytesWritten - bytesStart
        stats.uiCPUSeconds = threadCPUSeconds() - cpuStart
        let size = backend.size()
        if let statsOut { try? stats.write(to: statsOut, width: size.width, height: size.height) }
        if case .signal(let sig) = exit {
            exitMessage = "tend: stopped by signal \(sig); checkpoint written to \(live.session.runDirectory)/checkpoints/last.safetensors"
            throw ExitCode(128 + sig)
        } else {
            exitMessage = "tend: run saved in \(live.session.runDirectory)"
        }
    }
}
