import ArgumentParser
import Foundation
import TendBench
import TendEngine
import TendInterop
import TendRuntime

/// `tend sample`: deterministic sample-data generators.
struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate sample data sets (deterministic for a seed).",
        subcommands: [SampleDrift.self, SampleCredit.self, SampleLogdir.self])
}

struct SampleDrift: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Write a drifted copy of a CSV: every feature shifted and noised by multiples of its std.",
        discussion: "The default writes Samples/digits-drift.csv, the data `f` fine-tunes on in the dashboard.")

    @Option(help: "Source CSV.") var data = "Samples/digits.csv"
    @Option(help: "Label column.") var label = "label"
    @Option(help: "Mean shift in standard deviations.") var shift: Float = 0.5
    @Option(help: "Noise in standard deviations.") var noise: Float = 0.5
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Output CSV (default: <data>-drift.csv next to the source).") var out: String?
    @Flag(help: "Print one JSON object on stdout.") var json = false

    func run() throws {
        try reportingErrors {
            let path = try writeDriftedSample(data: data, label: label, shift: shift, noise: noise, seed: seed, out: out)
            Output.info("wrote \(path)")
            if json { Output.json(["path": path, "source": data]) }
        }
    }
}

/// `tend sample logdir`: a TensorBoard logdir of synthetic runs, for trying `tend watch`.
struct SampleLogdir: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logdir",
        abstract: "Write a TensorBoard logdir of synthetic training runs (one event file per run).",
        discussion: """
        Tags: train/loss, val/loss, train/accuracy, val/accuracy, train/lr, then metrics/metric_K. Runs go to
        OUT/<prefix>NNNN; another call with a different --prefix adds runs to the same logdir. --nan-runs makes
        the last runs' train/loss NaN at the end (the NaN alert); --corrupt spoils one record of the first run
        (a bad-CRC warning).
        """)

    @Option(help: "Logdir to write (created).") var out: String
    @Option(help: "Number of runs.") var runs = 8
    @Option(help: "Scalar tags per run.") var tags = 6
    @Option(help: "Steps per run (one event each).") var steps = 500
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Run directory prefix.") var prefix = "run"
    @Option(help: "Runs (the last ones) whose train/loss turns NaN.") var nanRuns = 0
    @Flag(help: "Spoil one record of the first run (bad data CRC).") var corrupt = false
    @Flag(help: "Print one JSON object on stdout.") var json = false

    struct Report: Encodable { var path: String; var runs: Int; var tags: Int; var steps: Int; var bytes: Int }

    func run() throws {
        try reportingErrors {
            guard runs >= 1, tags >= 1, steps >= 1 else { throw OptionError.outOfRange(options: "--runs, --tags and --steps", requirement: "must be at least 1") }
            var o = SyntheticLogdir.Options()
            o.runs = runs; o.tags = tags; o.steps = steps; o.seed = seed; o.prefix = prefix
            o.nanRuns = min(nanRuns, runs); o.corrupt = corrupt
            let bytes = try SyntheticLogdir.write(root: out, o)
            Output.info("wrote \(runs) runs × \(tags) tags × \(steps) steps (\(bytes) bytes) to \(out)")
            if json { Output.json(Report(path: out, runs: runs, tags: tags, steps: steps, bytes: bytes)) }
        }
    }
}
