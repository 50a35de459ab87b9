import ArgumentParser
import Foundation
import TendRuntime
import TendCore
import TendEngine
import TendTensor

/// `tend bench prune`: mask selection against a full sort, and a what-if step against a plain validation pass.
public struct BenchPrune: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Global magnitude pruning of 784-1024-1024-10 to 80% vs a full sort of |w|; one what-if step on a digits MLP vs its validation pass.")

    @Option(help: "Timed runs per figure (the best is reported).") var repeats = 15
    @Option(help: "Digits CSV to train the what-if model on (synthetic data when the file is missing).") var data = "Samples/digits.csv"
    @Option(help: "Epochs to train the digits model before timing.") var epochs = 5
    @Option(help: "Target sparsity of both measurements.") var sparsity = 0.8
    @Flag(help: "Print one JSON object on stdout.") var json = false

    struct Result: Encodable {
        var global_prune: Selection
        var what_if: WhatIf
        struct Selection: Encodable {
            var model: String, weights: Int, sparsity: Double
            var select_ms: Double, full_sort_ms: Double, sort_over_select: Double
        }
        struct WhatIf: Encodable {
            var model: String, data: String, validation_rows: Int, sparsity: Double
            var what_if_ms: Double, validation_pass_ms: Double, ratio: Double
            var accuracy: Double, accuracy_pruned: Double
        }
    }

    public func run() throws {
        try reportingErrors {
            BLAS.setThreads(1)
            // (1) Selection on the big network.
            let big = try Architecture.mlp(MLPLayout(sizes: [784, 1024, 1024, 10])).makeModel(seed: 1)
            let spec = PruningSpec.sparsity(sparsity, scope: .global)
            let weights = big.parameters.filter(\.isDecayed).map(\.value)
            let n = weights.reduce(0) { $0 + $1.count }
            var sink = 0
            let selectMs = bestMilliseconds(repeats) { sink &+= MagnitudePruner.masks(for: big, spec: spec).entries.count }
            let sortMs = bestMilliseconds(max(3, repeats / 3)) {
                var mags = [Float](); mags.reserveCapacity(n)
                for w in weights { w.withUnsafeBufferPointer { p in for v in p { mags.append(abs(v)) } } }
                mags.sort()
                sink &+= Int(mags[MagnitudeSelection.pruneCount(sparsity: sparsity, of: n) - 1].bitPattern & 1)
            }
            let sel = Result.Selection(model: "784-1024-1024-10", weights: n, sparsity: sparsity, select_ms: selectMs,
                                       full_sort_ms: sortMs, sort_over_select: sortMs / selectMs)
            Output.info(String(format: "global magnitude pruning to %.0f%% of %d weights: select %.2f ms (masks included), full sort of |w| %.2f ms, sort/select %.1fx",
                               sparsity * 100, n, selectMs, sortMs, sortMs / selectMs))

            // (2) What-if on a trained digits model.
            let (dataset, source) = try digits()
            var config = TrainConfig(layout: MLPLayout(sizes: [dataset.featureCount, 128, 128, dataset.classes]))
            config.epochs = epochs
            config.seed = 1
            let trainer = try Trainer(config: config, data: DataSplit(dataset, seed: 1))
            trainer.run()
            let val = trainer.data.validation
            let whatIf = PruningWhatIf(model: trainer.model, validation: val)
            var outcome = whatIf.evaluate(spec)
            let whatIfMs = bestMilliseconds(repeats) { outcome = whatIf.evaluate(spec) }
            let passMs = bestMilliseconds(repeats) { sink &+= evaluate(trainer.model, on: val).predictions.count }
            let w = Result.WhatIf(model: config.architecture.widths.map(String.init).joined(separator: "-"), data: source, validation_rows: val.count,
                                  sparsity: sparsity, what_if_ms: whatIfMs, validation_pass_ms: passMs, ratio: whatIfMs / passMs,
                                  accuracy: whatIf.baseline.accuracy, accuracy_pruned: outcome.accuracy)
            Output.info(String(format: "what-if step (%.0f%% global) on %@ %@, %d validation rows: %.2f ms vs validation pass %.2f ms (%.1fx); accuracy %.4f -> %.4f",
                               sparsity * 100, w.model as NSString, source as NSString, val.count, whatIfMs, passMs, w.ratio, w.accuracy, w.accuracy_pruned))
            if sink == 42 { Output.info("") }
            if json { Output.json(Result(global_prune: sel, what_if: w)) }
        }
    }

    /// The digits CSV, or 1797 synthetic 64-feature rows in 10 classes when it is missing.
    private func digits() throws -> (Dataset, String) {
        if FileManager.default.fileExists(atPath: data) { return (try loadDataset(path: data, label: "label"), data) }
        var g = SeededGenerator(seed: 5)
        let centres = (0..<10).map { _ in (0..<64).map { _ in g.nextGaussian() * 3 } }
        var x: [Float] = [], y: [Int] = []
        for i in 0..<1797 { let c = i % 10; y.append(c); for j in 0..<64 { x.append(centres[c][j] + g.nextGaussian() * 2) } }
        return (Dataset(features: Tensor(shape: [1797, 64], storage: x), labels: y, classes: 10), "synthetic")
    }
}

/// The best wall time of `repeats` runs of `body`, in milliseconds (after one untimed warm-up).
func bestMilliseconds(_ repeats: Int, _ body: () -> Void) -> Double {
    body()
    var best = Double.infinity
    for _ in 0..<max(1, repeats) {
        let t0 = SystemClock().monotonic()
        body()
        best = min(best, SystemClock().monotonic() - t0)
    }
    return best * 1000
}
