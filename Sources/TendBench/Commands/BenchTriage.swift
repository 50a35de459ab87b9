import ArgumentParser
import Foundation
import TendRuntime
import TendCore
import TendEngine
import TendMetrics
import TendTensor

/// `tend bench triage`: what health rules cost during training — digits trained headless into a
/// `MetricsStore` with and without the `AlertMonitor`, same seed, same steps.
public struct BenchTriage: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "triage",
        abstract: "Training time with and without health rules (digits, headless), and the rules' own time.")

    @Option(help: "CSV to train on.") var data = "Samples/digits.csv"
    @Option(help: "Label column.") var label = "label"
    @Option(help: "Epochs per run.") var epochs = 100
    @Option(help: "Repeats of the pair (without, with rules), alternating which runs first; best time kept.") var repeats = 7
    @Option(help: "Seconds between full rule passes (non-finite values evaluate at once).") var interval = 0.25
    @Flag(help: "Print one JSON object on stdout.") var json = false

    struct Result: Encodable {
        var steps: Int
        var seconds_without_rules: Double
        var seconds_with_rules: Double
        /// Best with / best without: the training time the rules add, as a ratio measured in this run (budget < 1.01).
        var with_vs_without: Double
        /// (with − without) / without, in percent, from the best times; noisy on a shared machine.
        var overhead_percent: Double
        /// Median over the repeats of each pair's overhead, in percent (pairs run back to back).
        var median_pair_overhead_percent: Double
        /// The same from the training thread's CPU time (best of the repeats): immune to time other processes
        /// take from this one, so steadier than wall time on a shared machine. Budget < 1.01.
        var cpu_seconds_without_rules: Double
        var cpu_seconds_with_rules: Double
        var cpu_with_vs_without: Double
        /// Time inside rule evaluation (snapshot + rules) as a share of the training time, in percent.
        var rule_time_percent: Double
        var rule_passes: Int
        var micros_per_pass: Double
    }

    public func run() throws {
        try reportingErrors {
            BLAS.setThreads(1)
            let ds = try loadDataset(path: data, label: label)
            let split = DataSplit(ds, fractions: SplitFractions(), seed: 0)
            var config = TrainConfig(layout: MLPLayout(sizes: [ds.featureCount, 128, 128, ds.classes], activation: .relu, dropout: 0, layerNorm: false))
            config.epochs = epochs
            _ = try Trainer(config: config, data: split)   // a bad layout is an error here, not in the timed closure
            var best = (without: Double.infinity, with: Double.infinity)
            var bestCPU = (without: Double.infinity, with: Double.infinity)
            var pairOverheads: [Double] = []
            var ruleSeconds = 0.0, passes = 0, steps = 0
            func train(withRules: Bool) -> Double {
                let store = MetricsStore()
                var thresholds = AlertThresholds(); thresholds.evaluationInterval = interval
                let monitor = AlertMonitor(store: store, engine: AlertEngine(thresholds: thresholds))
                let trainer = try! Trainer(config: config, data: split, sink: withRules ? monitor : store)
                let t0 = SystemClock().monotonic(), c0 = threadCPUSeconds()
                trainer.run()
                if withRules { monitor.finish() }   // as `tend train` does; inside the timed run
                let dt = SystemClock().monotonic() - t0, cpu = threadCPUSeconds() - c0
                if withRules { bestCPU.with = min(bestCPU.with, cpu) } else { bestCPU.without = min(bestCPU.without, cpu) }
                steps = trainer.step
                if withRules, dt < best.with { best.with = dt; (ruleSeconds, passes) = monitor.cost }
                if !withRules { best.without = min(best.without, dt) }
                return dt
            }
            _ = train(withRules: false)   // warm-up: page faults, lazy globals, BLAS buffers
            for i in 0..<max(1, repeats) {
                let (without, with): (Double, Double)
                if i % 2 == 0 { without = train(withRules: false); with = train(withRules: true) }
                else { with = train(withRules: true); without = train(withRules: false) }
                pairOverheads.append((with - without) / without * 100)
            }
            pairOverheads.sort()
            let r = Result(steps: steps, seconds_without_rules: best.without, seconds_with_rules: best.with,
                           with_vs_without: best.with / best.without,
                           overhead_percent: (best.with - best.without) / best.without * 100,
                           median_pair_overhead_percent: pairOverheads[pairOverheads.count / 2],
                           cpu_seconds_without_rules: bestCPU.without, cpu_seconds_with_rules: bestCPU.with,
                           cpu_with_vs_without: bestCPU.with / bestCPU.without,
                           rule_time_percent: ruleSeconds / best.with * 100, rule_passes: passes,
                           micros_per_pass: passes > 0 ? ruleSeconds / Double(passes) * 1e6 : 0)
            Output.info(String(format: "digits %d steps: without rules %.3f s, with rules %.3f s: ratio %.4f (%+.2f%%; median of %d pairs %+.2f%%; budget < 1%%)",
                               r.steps, r.seconds_without_rules, r.seconds_with_rules, r.with_vs_without, r.overhead_percent,
                               pairOverheads.count, r.median_pair_overhead_percent))
            Output.info(String(format: "training-thread CPU: without rules %.3f s, with rules %.3f s: ratio %.4f (budget < 1.01)",
                               r.cpu_seconds_without_rules, r.cpu_seconds_with_rules, r.cpu_with_vs_without))
            Output.info(String(format: "rules ran %d passes (at most every %.2f s, at once on non-finite values), %.1f µs each: %.3f%% of training time inside rule evaluation (budget < 1%%)",
                               r.rule_passes, interval, r.micros_per_pass, r.rule_time_percent))
            if json { Output.json(r) }
        }
    }
}
