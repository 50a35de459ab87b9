import ArgumentParser
import Foundation
import TendBench
import TendDashboard
import TendInterop
import TendRuntime
import TendTerminal
import TendUI

/// `tend inspect FILE.safetensors`: per-tensor statistics of a weights file.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Per-tensor statistics of a safetensors file: shape, dtype, moments, sparsity, int8/int4 SQNR, magnitudes.",
        discussion: """
        On a terminal (stdout and stdin are ttys) without --json or --once this opens the interactive screen: the
        header's tensor table at once, statistics filled in by a background scan with its progress, the selected
        tensor's |w| histogram, and whole-file what-if pruning (τ or target sparsity) and int8/int4 quantization;
        `w` writes the candidate next to the input, `?` lists the keys. Otherwise (--json, --once, or output to a
        pipe or file) it scans and prints the table (or one JSON object) and exits.
        Sparsity counts weights with |w| < --threshold. int8 SQNR: one symmetric scale per output channel (dim 0);
        int4 SQNR: one symmetric scale per group of 32 weights. Integer and bool tensors are listed without statistics.
        """)

    @Argument(help: "A .safetensors file.") var file: String
    @Option(help: "Sparsity threshold τ: weights with |w| < τ count as sparse.") var threshold: Float = 1e-3
    @Option(help: "Threads scanning tensors.") var threads = 2
    @Flag(help: "Print one JSON object on stdout.") var json = false
    @Flag(help: "Also print each tensor's magnitude histogram.") var histogram = false
    @Flag(help: "Print the table once and exit, even on a terminal.") var once = false
    @Option(help: "Theme of the interactive screen (see `tend dashboard --help`).") var theme = "default"
    @Flag(help: "ASCII drawing on the interactive screen.") var ascii = false
    @Flag(help: "No colour on the interactive screen (also when NO_COLOR is set).") var noColor = false

    struct TensorJSON: Encodable {
        var name: String, dtype: String, shape: [Int], parameters: Int
        var mean: Double?, std: Double?, min: Double?, max: Double?
        var sparsity: Double?, zeros: Int?, non_finite: Int?, int8_sqnr_db: Double?, int4_sqnr_db: Double?
        var magnitude_histogram: [Bin]?
        struct Bin: Encodable { var below: Double; var count: Int }
    }
    struct Report: Encodable {
        var file: String, bytes: Int, tensors: Int, parameters: Int, threshold: Double
        var header_ms: Double, scan_ms: Double, scan_gb_per_s: Double
        var metadata: [String: String]
        var tensor_stats: [TensorJSON]
    }

    func run() throws {
        if !json && !once && isatty(1) == 1 && isatty(0) == 1 {
            try reportingErrors {
                let session = try InspectSession(path: file, threads: threads)
                var catalog = ThemeCatalog.load()
                let chosen = catalog.themes[min(catalog.select(theme) ?? 0, catalog.themes.count - 1)]
                let backend: NCursesBackend
                do { backend = try NCursesBackend(colorDepth: noColor ? ColorDepth.none : nil, forceASCII: ascii) }
                catch { throw CLIError("cannot open the terminal: \(error)") }
                defer { backend.shutdown() }
                InspectScreen.run(session: session, state: InspectState(threshold: Double(threshold)), theme: chosen, on: backend)
            }
            return
        }
        try reportingErrors {
            let t0 = Date()
            let f = try SafetensorsFile(path: file)
            let headerMs = Date().timeIntervalSince(t0) * 1000
            let t1 = Date()
            let stats = try TensorStatsScanner(threshold: threshold, threads: threads).scan(f)
            let scanSeconds = Date().timeIntervalSince(t1)
            let byName = Dictionary(stats.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            let scannedBytes = f.tensorInfo.filter { TensorStatsScanner.scans($0.dtype) }.reduce(0) { $0 + $1.byteRange.count }
            var rows: [TensorJSON] = []
            for info in f.tensorInfo {
                var row = TensorJSON(name: info.name, dtype: info.dtype.rawValue, shape: info.shape, parameters: info.elementCount)
                if let s = byName[info.name] {
                    row.mean = s.mean; row.std = s.std; row.min = s.min; row.max = s.max; row.sparsity = s.sparsity
                    row.zeros = s.zeros; row.non_finite = s.nonFinite
                    row.int8_sqnr_db = s.int8SQNR.isFinite ? s.int8SQNR : nil
                    row.int4_sqnr_db = s.int4SQNR.isFinite ? s.int4SQNR : nil
                    row.magnitude_histogram = s.magnitudeHistogram.enumerated().map {
                        .init(below: pow(2, Double(s.magnitudeLowExponent + $0)), count: $1)
                    }
                }
                rows.append(row)
            }
            let report = Report(file: file, bytes: f.fileSize, tensors: f.tensorInfo.count,
                                parameters: f.tensorInfo.reduce(0) { $0 + $1.elementCount }, threshold: Double(threshold),
                                header_ms: headerMs, scan_ms: scanSeconds * 1000,
                                scan_gb_per_s: scanSeconds > 0 ? Double(scannedBytes) / scanSeconds / 1e9 : 0,
                                metadata: f.metadata, tensor_stats: rows)
            if json { Output.json(report); return }
            printTable(report, stats: byName)
        }
    }

    func printTable(_ r: Report, stats: [String: TensorStatistics]) {
        var lines = [String(format: "%@: %d tensors, %d parameters, %.1f MB; header %.2f ms, scan %.0f ms (%.2f GB/s)",
                            r.file, r.tensors, r.parameters, Double(r.bytes) / 1e6, r.header_ms, r.scan_ms, r.scan_gb_per_s)]
        var rows: [[String]] = [["tensor", "dtype", "shape", "params", "mean", "std", "min", "max",
                                 String(format: "<%g", Double(threshold)), "int8 dB", "int4 dB"]]
        func g(_ v: Double?) -> String { v.map { String(format: "%.4g", $0) } ?? "-" }
        func db(_ v: Double?) -> String { v.map { String(format: "%.1f", $0) } ?? (stats.isEmpty ? "-" : "inf") }
        for t in r.tensor_stats {
            let has = t.mean != nil
            rows.append([t.name, t.dtype, "[" + t.shape.map(String.init).joined(separator: ",") + "]", String(t.parameters),
                         g(t.mean), g(t.std), g(t.min), g(t.max), t.sparsity.map { String(format: "%.1f%%", $0 * 100) } ?? "-",
                         has ? db(t.int8_sqnr_db) : "-", has ? db(t.int4_sqnr_db) : "-"])
        }
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        for row in rows {
            lines.append(row.enumerated().map { c, s in
                c >= 3 ? String(repeating: " ", count: widths[c] - s.count) + s : s + String(repeating: " ", count: widths[c] - s.count)
            }.joined(separator: "  "))
        }
        if histogram {
            for t in r.tensor_stats {
                guard let bins = t.magnitude_histogram, let peak = bins.map(\.count).max(), peak > 0 else { continue }
                lines.append("")
                lines.append("|\(t.name)| magnitudes:")
                for b in bins where b.count > 0 {
                    let bar = String(repeating: "#", count: max(1, 40 * b.count / peak))
                    lines.append(String(format: "  < %-10g %10d %@", b.below, b.count, bar))
                }
            }
        }
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
