import ArgumentParser
import Foundation
import TendBench
import TendRuntime
import TendCore
import TendEngine
import TendMetrics
import TendInterop

/// `tend train`: headless training with a progress bar on stderr.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train an MLP on a CSV data set (default: the bundled digits sample), or fine-tune a transformer (--model).",
        discussion: """
        Writes RUN/metrics.jsonl, RUN/checkpoints/*.safetensors (atomically, every epoch and at the end),
        RUN/config.json and RUN/summary.json. metrics.jsonl and the event file are written every --flush-secs and
        before every checkpoint; --resume continues them and marks where. A failed write (disk full) stops the run
        with a message naming the file (exit 1); the previous checkpoint stays intact. With --json, prints one JSON object with the test metrics.
        With --model DIR (a Hugging Face BERT-family directory) it fine-tunes a text classifier on --text-column: checkpoints are
        directories RUN/checkpoints/epoch-NNNN (and last) that transformers' AutoModel.from_pretrained loads; --resume one to continue.
        Health rules (docs/RULES.md) run as metrics arrive; alerts are logged to metrics.jsonl. When an alert
        of severity --fail-on or above fires, the run stops after writing a checkpoint and exits with code 3.
        """)

    @OptionGroup var options: TrainOptions
    @OptionGroup(title: "Fine-tuning a transformer") var fineTune: FineTuneFlags
    @Flag(help: "Print one JSON object on stdout.") var json = false
    @Flag(help: "No progress bar or epoch lines.") var quiet = false
    @Option(help: "Stop (after a checkpoint) and exit 3 when an alert of this severity fires: critical, warning or none.")
    var failOn = "critical"

    /// Exit code of a run stopped by `--fail-on`.
    static let alertExitCode: Int32 = 3

    func run() throws {
        try reportingErrors {
            if let ft = fineTune.recipe(options) {
                let o = try FineTuneRun.options(ft, resume: options.resume, epochsGiven: options.epochs != nil)
                try FineTuneRun.headless(o, resume: options.resume, json: json, quiet: quiet)
                return
            }
            let failSeverity: Severity?
            switch failOn.lowercased() {
            case "none": failSeverity = nil
            case let v: guard let s = Severity(rawValue: v) else { throw OptionError.invalid(option: "--fail-on", value: failOn, expected: "critical, warning or none") }
                failSeverity = s
            }
            let session = try TrainingSession(options: options.run, policy: AlertPolicy(failOn: failSeverity, pauseOnCritical: false))
            let trainer = session.trainer
            let c = trainer.config
            session.onWriteFailure = { e in Output.endProgress(); Output.info("tend: write failed: \(e)") }
            for path in session.removedTempFiles { Output.info("tend: removed \(path) (temporary file of a killed run)") }
            if !quiet {
                Output.info("tend train: \(options.run.dataPath) → \(session.runDirectory)")
                Output.info("  model \(c.architecture.summary), "
                    + "\(trainer.model.parameterCount) parameters; \(c.optimizer.rawValue) lr \(c.learningRate); "
                    + "rows train \(session.split.train.count) / val \(session.split.validation.count) / test \(session.split.test.count)")
            }
            let gate = ProgressGate(interval: 0.1)
            if !quiet {
                trainer.onStep = { p in
                    guard gate.pass(final: p.step == p.totalSteps) else { return }
                    Output.progress(ProgressGate.line(fraction: Double(p.step) / Double(max(p.totalSteps, 1)), width: 24, String(
                        format: "epoch %d/%d  loss %.4f  %.0f samples/s  ETA %@", p.epoch + 1, c.epochs, p.loss, p.samplesPerSecond,
                        Output.duration(p.eta))))
                }
            }
            trainer.onEpoch = { e in
                session.afterEpoch()
                if !quiet {
                    Output.endProgress()
                    Output.info(String(format: "epoch %3d  train loss %.4f  acc %.4f  val loss %.4f  val acc %.4f  %.0f samples/s",
                        e.epoch + 1, e.trainLoss, e.trainAccuracy, e.validation?.loss ?? .nan,
                        e.validation?.report.accuracy ?? .nan, e.samplesPerSecond))
                }
            }
            let started = Date()
            let outcome = trainer.run()
            session.health?.monitor.finish()   // judge what the last steps recorded before the files close
            session.metricsFile.close()
            session.closeInterop()
            Output.endProgress()
            // A failed write stopped the run: no summary over an unprotected run; the message names the file.
            if let failure = session.writeFailure { throw failure }
            let test = session.testEvaluation()
            var summary = RunSummary(trainer: trainer, outcome: outcome, test: test,
                                     runDirectory: session.runDirectory, seconds: Date().timeIntervalSince(started))
            let failed = session.health?.failedAlert
            if let failed { summary.outcome = "failed_on_alert"; summary.failed_alert = "\(failed.severity.rawValue) \(failed.id): \(failed.message)" }
            summary.alerts = session.health.map { h in
                let snap = h.engine.snapshot()
                return (snap.active + snap.resolved).map { "\($0.severity.rawValue) \($0.id)\($0.isActive ? "" : " (resolved)"): \($0.message)" }
            } ?? []
            try summary.write(to: (session.runDirectory as NSString).appendingPathComponent("summary.json"))
            if !quiet, let test {
                Output.info(String(format: "test: accuracy %.4f  macro F1 %.4f  loss %.4f  (%d rows)",
                                   test.report.accuracy, test.report.macroF1, test.loss, test.report.count))
                Output.info("run saved in \(session.runDirectory)")
            }
            if let failed { Output.info("tend: stopped by \(failed.severity.rawValue) alert \(failed.id): \(failed.message)") }
            else if !quiet, let h = session.health, !h.engine.snapshot().active.isEmpty {
                for a in h.engine.snapshot().active { Output.info("alert \(a.severity.rawValue) \(a.id): \(a.message)") }
            }
            if json { Output.json(summary) }
            if failed != nil { throw ExitCode(Train.alertExitCode) }
        }
    }
}
