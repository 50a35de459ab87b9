import Foundation
import TendCore
import TendInterop
import TendTensor

/// A table cell as CSV text: integers without a decimal point, others with two decimals.
public func csvCell(_ v: Double) -> String {
    v == v.rounded() ? String(Int(v)) : String(format: "%.2f", v)
}

/// The credit table of `tend sample credit` (deterministic for a seed). Columns as in `tend sample credit --help`.
public func creditTable(rows: Int, bias: Double, drift: Double, seed: UInt64) -> CSVTable {
    var g = SeededGenerator(seed: seed ^ 0xC8ED_17A0)
    let header = ["income", "debt", "age", "years_employed", "credit_lines", "late_payments", "group", "approved"]
    var values: [Double] = []
    values.reserveCapacity(rows * header.count)
    for _ in 0..<rows {
        let group = g.nextUniform() < 0.4 ? 1.0 : 0.0
        let age = (18 + Double(g.nextUniform()) * 52).rounded()
        let employed = max(0, min(age - 18, (Double(g.nextUniform()) * (age - 18) * 0.8).rounded()))
        // Group B earns a little less on average (a real-world confounder), more under drift.
        var income = exp(3.6 + 0.35 * Double(g.nextGaussian()) + 0.01 * employed - 0.08 * group)
        income *= (1 - 0.25 * drift)
        var debt = max(0, income * (0.3 + 0.25 * Double(g.nextGaussian())))
        debt *= (1 + 0.5 * drift)
        let lines = Double(min(12, max(0, Int((2 + 2 * Double(g.nextGaussian())).rounded()))))
        let late = Double(min(9, max(0, Int((-0.5 + 1.2 * Double(g.nextGaussian())).rounded()))))
        let score = 0.06 * (income - 40) - 0.08 * (debt - 12) + 0.02 * (age - 40) + 0.08 * employed
            + 0.1 * lines - 0.9 * late + 0.3
        var p = 1 / (1 + exp(-score))
        if group == 1 { p *= (1 - bias) }    // the planted disparity
        let approved = Double(g.nextUniform()) < p ? 1.0 : 0.0
        values += [(income * 100).rounded() / 100, (debt * 100).rounded() / 100, age, employed, lines, late, group, approved]
    }
    return CSVTable(path: "<credit>", header: header, rows: rows, values: values)
}

/// What `tend sample credit` wrote: the path, the rows and each group's approval rate.
public struct CreditSampleSummary: Encodable, Sendable {
    public var path: String; public var rows: Int; public var approval_rate_a: Double; public var approval_rate_b: Double
}

/// Writes `creditTable(rows:bias:drift:seed:)` as CSV to `path` (creating its directory) and summarises it.
public func writeCreditSample(rows: Int, bias: Double, drift: Double, seed: UInt64, to path: String) throws -> CreditSampleSummary {
    let table = creditTable(rows: rows, bias: bias, drift: drift, seed: seed)
    let dir = (path as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: dir.isEmpty ? "." : dir, withIntermediateDirectories: true)
    var text = table.header.joined(separator: ",") + "\n"
    for r in 0..<table.rows { text += (0..<table.columns).map { c in csvCell(table[r, c]) }.joined(separator: ",") + "\n" }
    try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    let g = table.column(6), y = table.column(7)
    func rate(_ grp: Double) -> Double {
        let idx = g.indices.filter { g[$0] == grp }
        return idx.isEmpty ? 0 : Double(idx.filter { y[$0] == 1 }.count) / Double(idx.count)
    }
    return CreditSampleSummary(path: path, rows: rows, approval_rate_a: rate(0), approval_rate_b: rate(1))
}
