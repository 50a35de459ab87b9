import ArgumentParser
import Foundation
import TendApp
import TendBench
import TendDashboard
import TendInterop
import TendRuntime
import TendTerminal
import TendUI

/// `tend inspect FILE.safetensors`: per-tensor statistics of a weights file.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Per-tensor statistics of a safetensors file or model directory: shape, dtype, moments, sparsity, int8/int4 SQNR, magnitudes.",
        discussion: """
        On a terminal (stdout and stdin are ttys) without --json or --once this opens the interactive screen: the
        header's tensor table at once, statistics filled in by a background scan with its progress, the selected
        tensor's |w| histogram, and whole-file what-if pruning (τ or target sparsity) and int8/int4 quantization;
        `w` writes the candidate next to the input, `?` lists the keys. Otherwise (--json, --once, or output to a
        pipe or file) it scans and prints the table (or one JSON object) and exits.
        Sparsity counts weights with |w| < --threshold. int8 SQNR: one symmetric scale per output channel (dim 0);
        int4 SQNR: one symmetric scale per group of 32 weights. Integer and bool tensors are listed without statistics.
        """)

    @Argument(help: "A .safetensors file, or a Hugging Face model directory (its model.safetensors).") var file: String
    @Option(help: "Sparsity threshold τ: weights with |w| < τ count as sparse.") var threshold: Float = 1e-3
    @Option(help: "Threads scanning tensors.") var threads = 2
    @Flag(help: "Print one JSON object on stdout.") var json = false
    @Flag(help: "Also print each tensor's magnitude histogram.") var histogram = false
    @Flag(help: "Print the table once and exit, even on a terminal.") var once = false
    @Option(help: "Theme of the interactive screen (see `tend dashboard --help`).") var theme = "default"
    @Flag(help: "ASCII drawing on the interactive screen.") var ascii = false
    @Flag(help: "No colour on the interactive screen (also when NO_COLOR is set).") var noColor = false

    func run() throws {
        if !json && !once && isatty(1) == 1 && isatty(0) == 1 {
            try reportingErrors {
                let session = try InspectSession(path: file, threads: threads)
                var catalog = ThemeCatalog.load()
                let chosen = catalog.themes[min(catalog.select(theme) ?? 0, catalog.themes.count - 1)]
                let backend: NCursesBackend
                do { backend = try NCursesBackend(colorDepth: noColor ? ColorDepth.none : nil, forceASCII: ascii) }
                catch { throw RunError.terminalUnavailable(reason: "\(error)") }
                defer { backend.shutdown() }
                InspectScreen.run(session: session, state: InspectState(threshold: Double(threshold)), theme: chosen, on: backend)
            }
            return
        }
        try reportingErrors {
            let (report, stats) = try InspectReport.scan(file, threshold: threshold, threads: threads)
            if json { Output.json(report); return }
            FileHandle.standardOutput.write(Data(InspectReport.table(report, stats: stats, threshold: threshold, histogram: histogram).utf8))
        }
    }
}
