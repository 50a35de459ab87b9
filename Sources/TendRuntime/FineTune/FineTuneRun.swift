import Foundation
import TendCore
import TendEngine

/// `tend train --model DIR` without a terminal UI: the session, a progress bar on stderr (samples/s, tokens/s,
/// ETA), epoch lines, and the summary (stderr, or one JSON object on stdout with `json`).
public enum FineTuneRun {
    /// The options to run: `options` for a new run; with `resume` the checkpoint's recipe, with `epochs`,
    /// `threads`, `out` and `flushSeconds` taken from `options` when `epochsGiven`/always.
    public static func options(_ options: FineTuneOptions, resume: String?, epochsGiven: Bool) throws -> FineTuneOptions {
        guard let resume else { return options }
        var o = try FineTuneSession.resumedOptions(checkpoint: resume)
        if epochsGiven { o.epochs = options.epochs }
        o.threads = options.threads; o.out = options.out; o.flushSeconds = options.flushSeconds
        return o
    }

    @discardableResult
    public static func headless(_ options: FineTuneOptions, resume: String?, json: Bool, quiet: Bool) throws -> FineTuneSummary {
        let session = try FineTuneSession(options: options, resume: resume)
        let o = session.options
        if !quiet {
            Output.info("tend train: fine-tuning \(o.model) on \(o.data) (\(o.textColumn) → \(o.labelColumn)) → \(session.runDirectory)")
            Output.info("  \(session.training.parameters.reduce(0) { $0 + $1.value.count }) parameters, "
                + "\(session.training.trainableParameters.reduce(0) { $0 + $1.value.count }) trained; classes \(session.classLabels.values); "
                + "rows train \(session.split.train.count) / val \(session.split.validation.count) / test \(session.split.test.count); "
                + "max length \(o.maxLength) (\(session.data.truncatedCount) texts truncated); \(o.threads) threads")
            if session.optimizer.stepCount > 0 { Output.info("  resumed at step \(session.optimizer.stepCount) of \(session.totalSteps)") }
            let gate = ProgressGate(interval: 0.2)
            session.onStep = { p in
                guard gate.pass(final: p.step == p.totalSteps) else { return }
                Output.progress(ProgressGate.line(fraction: Double(p.step) / Double(max(p.totalSteps, 1)), width: 20, String(
                    format: "epoch %d/%d  step %d/%d  loss %.4f  %.1f samples/s  %.0f tokens/s  ETA %@", p.epoch + 1, o.epochs,
                    p.step, p.totalSteps, p.loss, p.samplesPerSecond, p.tokensPerSecond, Output.duration(p.eta))))
            }
            session.onEpoch = { e in
                Output.endProgress()
                let v = TextMetrics(e.validation)
                Output.info(String(format: "epoch %2d  train loss %.4f  val loss %.4f  val acc %.4f  val F1 %.4f  %.1f samples/s  %.0f tokens/s",
                    e.epoch + 1, e.trainLoss, v?.loss ?? .nan, v?.accuracy ?? .nan, v?.f1_macro ?? .nan, e.samplesPerSecond, e.tokensPerSecond))
            }
        }
        let summary = try session.run()
        Output.endProgress()
        if !quiet {
            if let t = summary.test {
                Output.info(String(format: "test: accuracy %.4f  macro F1 %.4f  loss %.4f  (%d rows)", t.accuracy, t.f1_macro, t.loss, t.rows))
            }
            Output.info("run saved in \(session.runDirectory); checkpoint \(summary.checkpoint)")
        }
        if json { Output.json(summary) }
        return summary
    }
}
