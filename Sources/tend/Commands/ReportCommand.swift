import ArgumentParser
import Foundation
import TendBench
import TendRuntime
import TendInterop

/// `tend report RUN_DIR`: a Markdown incident report of a run, plus the same as JSON.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write an incident report of a run: config, alert/action timeline, metric charts, layers, fairness.",
        discussion: "Writes --out (default RUN_DIR/report.md) and report.json next to it; --json prints the JSON on stdout.")

    @Argument(help: "Run directory (holds metrics.jsonl).") var runDirectory: String
    @Option(help: "Markdown output path.") var out: String?
    @Flag(help: "Print one JSON object on stdout.") var json = false

    func run() throws {
        try reportingErrors {
            guard FileManager.default.fileExists(atPath: (runDirectory as NSString).appendingPathComponent("metrics.jsonl")) else {
                throw RunError.notARunDirectory(path: runDirectory)
            }
            let report = try RunReport.load(runDirectory: runDirectory)
            let mdPath = out ?? (runDirectory as NSString).appendingPathComponent("report.md")
            let jsonPath = try report.write(markdownTo: mdPath)
            Output.info("wrote \(mdPath) and \(jsonPath): \(report.timeline.count) timeline entries, \(report.metrics.count) series, \(report.alertCounts.values.reduce(0, +)) alerts")
            if json { Output.json(report) }
        }
    }
}
