import ArgumentParser
import Foundation
import TendEngine
import TendInterop

/// `tend sample`: deterministic sample-data generators.
struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate sample data sets (deterministic for a seed).",
        subcommands: [SampleDrift.self, SampleCredit.self])
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

/// Writes a drifted copy of `data` and returns its path.
func writeDriftedSample(data: String, label: String, shift: Float = 0.5, noise: Float = 0.5, seed: UInt64 = 1,
                        out: String? = nil) throws -> String {
    let ds = try loadDataset(path: data, label: label)
    let drifted = driftedCopy(of: ds, shift: shift, noise: noise, seed: seed)
    let path = out ?? ((data as NSString).deletingPathExtension + "-drift.csv")
    try CSVWriter.write(path: path, featureNames: ds.featureNames, features: drifted.features, labelName: label, labels: drifted.labels)
    return path
}
