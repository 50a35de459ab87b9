import ArgumentParser
import Foundation
import TendBench
import TendRuntime
import TendEngine
import TendInterop
import TendMetrics

/// `tend check`: data and prediction checks that need no training run.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check data for drift and leakage, and predictions for fairness.",
        subcommands: [CheckDrift.self, CheckLeakage.self, CheckFairness.self])
}

struct CheckDrift: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Population stability index (PSI) per column of CURRENT against REFERENCE.",
        discussion: """
        Bins are the reference's deciles (--bins quantiles, duplicate edges merged); an empty bin's share
        is replaced by --epsilon. PSI < 0.1 stable, 0.1–0.25 moderate, > 0.25 major shift (flagged).
        Columns are matched by name; --label (if present in both) is compared as a class distribution.
        """)

    @Option(help: "Reference CSV (e.g. the training data).") var reference: String
    @Option(help: "Current CSV (e.g. served requests).") var current: String
    @Option(help: "Quantile bins.") var bins = 10
    @Option(help: "Share used for empty bins.") var epsilon = 1e-4
    @Option(help: "PSI above which a column is flagged.") var threshold = 0.25
    @Flag(help: "Print one JSON object on stdout.") var json = false

    func run() throws {
        try reportingErrors {
            let result = try DriftCheck.run(reference: reference, current: current, bins: bins, epsilon: epsilon, threshold: threshold)
            Output.info(pad("column", 24) + "      PSI  bins")
            for r in result.columns.sorted(by: { $0.psi > $1.psi }) {
                Output.info(pad(r.column, 24) + String(format: " %8.4f %5d", r.psi, r.bins) + (r.drifted ? "  drifted" : ""))
            }
            Output.info("\(result.drifted.count) of \(result.columns.count) columns drifted (PSI > \(threshold))")
            if json { Output.json(result) }
        }
    }
}

struct CheckLeakage: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leakage",
        abstract: "Find rows shared between train/validation/test and features that alone predict the label.",
        discussion: """
        The split is the one `tend train` makes with the same --seed and fractions. Duplicates are found by
        hashing each row's feature bytes. A feature's score is the better of the best single-threshold
        accuracy and (with at most 50 distinct values) the per-value majority accuracy, on the training split.
        """)

    @Option(help: "CSV file.") var data: String
    @Option(help: "Label column.") var label = "label"
    @Option(help: "Fraction of rows for validation.") var valFraction = 0.15
    @Option(help: "Fraction of rows for test.") var testFraction = 0.15
    @Option(help: "Split seed (as tend train --seed).") var seed: UInt64 = 0
    @Option(help: "Score from which a feature is reported as leaky.") var minScore = 0.99
    @Option(help: "Feature scores to list.") var top = 5
    @Flag(help: "Print one JSON object on stdout.") var json = false

    func run() throws {
        try reportingErrors {
            let ds = try loadDataset(path: data, label: label)
            guard valFraction >= 0, testFraction >= 0, valFraction + testFraction < 1 else {
                throw OptionError.fractionsLeaveNoTraining
            }
            let split = DataSplit(ds, fractions: SplitFractions(train: 1 - valFraction - testFraction, validation: valFraction, test: testFraction), seed: seed)
            var report = checkLeakage(split, minScore: minScore)
            Output.info("\(report.duplicateCount) validation/test rows duplicate a row of another split")
            for d in report.duplicates { Output.info("  \(d.split) row \(d.row) = \(d.otherSplit) row \(d.otherRow)") }
            Output.info("best single-feature scores (leaky at ≥ \(minScore)):")
            for f in report.featureScores.prefix(top) {
                Output.info("  " + pad(f.column, 24) + String(format: " %.4f ", f.score) + "(\(f.method))" + (f.score >= minScore ? "  LEAKY" : ""))
            }
            report.featureScores = Array(report.featureScores.prefix(max(top, report.leakyFeatures.count)))
            if json { Output.json(report) }
        }
    }
}

struct CheckFairness: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fairness",
        abstract: "Per-group selection rate, TPR, FPR, accuracy and Fairlearn's parity figures for predictions in a CSV.",
        discussion: """
        Binary labels: class 1 is positive. More classes: one-vs-rest per class, and the worst over classes.
        A rate with an empty denominator (TPR of a group without positives) is null and left out of the gaps.
        Differences are max − min over groups; ratios min / max. Equalized odds takes the worse of TPR and FPR.
        """)

    @Option(help: "CSV file with labels, predictions and the sensitive column.") var data: String
    @Option(help: "Label column.") var label = "label"
    @Option(help: "Prediction column (class index).") var pred: String
    @Option(help: "Sensitive column.") var sensitive: String
    @Flag(help: "Print one JSON object on stdout.") var json = false

    func run() throws {
        try reportingErrors {
            let t = try CSVLoader.load(path: data)
            func col(_ name: String, _ flag: String) throws -> Int {
                guard let i = t.header.firstIndex(of: name) else {
                    throw DataError.missingColumn(path: data, column: name, purpose: flag, reference: nil, columns: t.header)
                }
                return i
            }
            let (li, pi, si) = (try col(label, "--label"), try col(pred, "--pred"), try col(sensitive, "--sensitive"))
            func ints(_ c: Int, _ name: String) throws -> [Int] {
                try (0..<t.rows).map { r in
                    let v = t[r, c]
                    guard v == v.rounded(), v >= 0 else { throw DataError.notAClassIndex(path: data, line: t.line(ofRow: r), column: name, value: Double(v)) }
                    return Int(v)
                }
            }
            let report = FairnessReport(labels: try ints(li, label), predictions: try ints(pi, pred), groups: t.column(si).map(groupName))
            printFairness(report)
            if json { Output.json(report) }
        }
    }
}

/// The per-group table on stderr.
func printFairness(_ report: FairnessReport) {
    func f(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "null" }
    for t in report.tasks {
        Output.info("\(t.task):")
        Output.info("  group        rows  positives  selection    TPR      FPR      accuracy")
        for g in t.groups {
            Output.info("  " + pad(g.group, 10) + String(format: " %6d %10d  ", g.count, g.positives) + padLeft(f(g.selectionRate), 9)
                        + " " + padLeft(f(g.truePositiveRate), 8) + " " + padLeft(f(g.falsePositiveRate), 8) + " " + padLeft(f(g.accuracy), 8))
        }
        Output.info("  demographic parity difference \(f(t.demographicParityDifference)), ratio \(f(t.demographicParityRatio))")
        Output.info("  equalized odds difference \(f(t.equalizedOddsDifference)), ratio \(f(t.equalizedOddsRatio)); equal opportunity difference \(f(t.equalOpportunityDifference))")
    }
    if report.tasks.count > 1 {
        Output.info("worst: demographic parity \(f(report.worstDemographicParityDifference)), equalized odds \(f(report.worstEqualizedOddsDifference)), equal opportunity \(f(report.worstEqualOpportunityDifference))")
    }
}

func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
func padLeft(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
