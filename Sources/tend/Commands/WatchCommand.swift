import ArgumentParser
import Foundation
import TendApp
import TendBench
import TendDashboard
import TendInterop
import TendMetrics
import TendRuntime
import TendTerminal
import TendUI

/// `tend watch LOGDIR`: the interactive dashboard of a TensorBoard logdir; `--once`: the latest value of
/// every tag of every run.
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch a TensorBoard logdir (event files of Tend, TensorFlow, PyTorch, ...): runs overlaid on charts, with health alerts.",
        discussion: """
        A run is any directory under LOGDIR holding events.out.tfevents.* files. Without --once, opens the watch
        screen: the run list (space shows/hides a run), chart panels each showing one tag for every shown run
        (t picks the tag, s/S smoothing as in TensorBoard, l log axis), / filters runs and tags (substring or
        glob), alerts per run from the scalar health rules (NaN/Inf, divergence, plateau, overfitting) and the
        tailing warnings (bad CRCs) in the events strip. Runs load in the background; new files and runs appear
        within --interval seconds. Press ? for the keys, q to quit.
        With --once, reads everything and prints one line per run and tag (or one JSON object with --json).
        With --plain, keeps reprinting that table every --interval seconds instead of opening the screen.
        Exit status: 0 after q, 128+N after signal N (130 SIGINT, 143 SIGTERM, 129 SIGHUP).
        """)

    @Argument(help: "TensorBoard log directory.") var logdir: String
    @Flag(help: "Read once, print, exit.") var once = false
    @Flag(help: "Reprint the table every --interval seconds instead of the interactive screen.") var plain = false
    @Flag(help: "Print one JSON object on stdout.") var json = false
    @Option(help: "Seconds between re-scans for new files and runs.") var interval = 2.0
    @Option(help: "Health rule thresholds (tend.rules format; default ./tend.rules when present).") var rules: String?
    @Option(help: "Quit by itself after this many seconds (for tests).") var exitAfter: Double?
    @OptionGroup var terminal: TerminalOptions

    func run() throws {
        try reportingErrors {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: logdir, isDirectory: &isDir), isDir.boolValue else {
                throw RunError.noSuchDirectory(path: logdir)
            }
            if !once && !plain && !json {
                try runScreen()
                return
            }
            let watcher = LogdirWatcher(root: logdir)
            if once {
                watcher.poll()
                emit(watcher.snapshot())
                return
            }
            watcher.start(interval: interval)
            var shown: UInt64 = .max
            while true {
                let snap = watcher.snapshot()
                if snap.version != shown {
                    shown = snap.version
                    if !json { Output.info("\u{1B}[2J\u{1B}[H" + "tend watch \(logdir)  (\(Int(snap.progress.fraction * 100))% loaded)") }
                    emit(snap)
                }
                Thread.sleep(forTimeInterval: interval)
            }
        }
    }

    /// The interactive watch screen: a background loader publishes runs; the UI loop draws them.
    func runScreen() throws {
        let thresholds = try loadThresholds(rules: rules, sloP99: nil)
        let loader = LogdirLoader(root: logdir, thresholds: thresholds)
        let (backend, catalog, themeIndex) = try terminal.open()
        defer {
            backend.shutdown()
            loader.stop()
        }
        loader.start(rescanInterval: interval)
        if let sig = WatchScreen.run(loader: loader, themes: catalog.themes, themeIndex: themeIndex, exitAfter: exitAfter, on: backend) {
            backend.shutdown()
            Output.info("tend watch: stopped by signal \(sig)")
            throw ExitCode(128 + sig)
        }
    }

    func emit(_ snap: LogdirSnapshot) {
        if json { Output.json(LogdirLatest.report(logdir: logdir, snap)); return }
        for w in snap.warnings { Output.info("warning: \(w)") }
        FileHandle.standardOutput.write(Data(LogdirLatest.table(snap).utf8))
    }
}
