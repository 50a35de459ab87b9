import Foundation
import TendInterop

/// `tend inspect --once/--json`: per-tensor statistics of a safetensors file, as one JSON object or a table.
public enum InspectReport {
    public struct TensorJSON: Encodable {
        public var name: String, dtype: String, shape: [Int], parameters: Int
        public var mean: Double?, std: Double?, min: Double?, max: Double?
        public var sparsity: Double?, zeros: Int?, non_finite: Int?, int8_sqnr_db: Double?, int4_sqnr_db: Double?
        public var magnitude_histogram: [Bin]?
        public struct Bin: Encodable { var below: Double; var count: Int }
    }
    public struct Report: Encodable {
        public var file: String, bytes: Int, tensors: Int, parameters: Int, threshold: Double
        public var header_ms: Double, scan_ms: Double, scan_gb_per_s: Double
        public var metadata: [String: String]
        public var tensor_stats: [TensorJSON]
    }

    /// Opens and scans `path`; sparsity counts |w| < `threshold`.
    public static func scan(_ path: String, threshold: Float, threads: Int) throws -> (Report, [String: TensorStatistics]) {
        let t0 = Date()
        let resolved = try ModelWeightsPath.resolve(path)
        let f = try SafetensorsFile(path: resolved)
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
        let report = Report(file: resolved, bytes: f.fileSize, tensors: f.tensorInfo.count,
                            parameters: f.tensorInfo.reduce(0) { $0 + $1.elementCount }, threshold: Double(threshold),
                            header_ms: headerMs, scan_ms: scanSeconds * 1000,
                            scan_gb_per_s: scanSeconds > 0 ? Double(scannedBytes) / scanSeconds / 1e9 : 0,
                            metadata: f.metadata, tensor_stats: rows)
        return (report, byName)
    }

    /// The human table (and with `histogram` each tensor's magnitude histogram), lines ending in "\n".
    public static func table(_ r: Report, stats: [String: TensorStatistics], threshold: Float, histogram: Bool) -> String {
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
        return lines.joined(separator: "\n") + "\n"
    }
}
