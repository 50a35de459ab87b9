import ArgumentParser
import TendBench

/// `tend bench`: performance figures as ratios against references measured in the same run. The subcommands
/// live in TendBench; a new benchmark is one more type in this list.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Tend's speed against references timed in the same run.",
        subcommands: [BenchTrain.self, BenchUI.self, BenchPrune.self, BenchIO.self, BenchQuantize.self, BenchTriage.self, BenchEncoder.self, BenchFinetune.self])
}
