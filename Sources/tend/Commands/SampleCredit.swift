import ArgumentParser
import Foundation
import TendBench
import TendRuntime
import TendCore
import TendInterop
import TendTensor

/// `tend sample credit`: a synthetic loan-approval table with a sensitive attribute and a tunable disparity.
struct SampleCredit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credit",
        abstract: "Write a deterministic credit-approval CSV with a sensitive `group` column (A=0, B=1).",
        discussion: """
        Columns: income (k€/year), debt (k€), age (years), years_employed, credit_lines, late_payments,
        group (0 = A, 1 = B), approved (label). Approval follows a logistic score of the financial columns;
        group B's approval probability is then multiplied by (1 − bias), so the approval-rate gap grows with
        --bias (0 = no disparity beyond the slightly lower incomes of group B).
        With --drift, incomes fall and debts rise (a recession), for `tend check drift`.
        """)

    @Option(help: "Rows to write.") var rows = 5000
    @Option(help: "Disparity against group B, 0...1.") var bias = 0.2
    @Option(help: "Shift the population (0 = none, 1 = strong recession).") var drift = 0.0
    @Option(help: "Random seed.") var seed: UInt64 = 0
    @Option(help: "Output CSV.") var out = "Samples/credit.csv"
    @Flag(help: "Print one JSON object on stdout.") var json = false

    struct Summary: Encodable { var path: String; var rows: Int; var approval_rate_a: Double; var approval_rate_b: Double }

    func run() throws {
        try reportingErrors {
            guard rows > 0 else { throw CLIError("--rows must be positive") }
            guard (0...1).contains(bias) else { throw CLIError("--bias \(bias): expected 0...1") }
            let table = creditTable(rows: rows, bias: bias, drift: drift, seed: seed)
            try FileManager.default.createDirectory(atPath: (out as NSString).deletingLastPathComponent.isEmpty ? "." : (out as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            var text = table.header.joined(separator: ",") + "\n"
            for r in 0..<table.rows {
                text += (0..<table.columns).map { c in formatCell(table[r, c]) }.joined(separator: ",") + "\n"
            }
            try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            let g = table.column(6), y = table.column(7)
            func rate(_ grp: Double) -> Double {
                let idx = g.indices.filter { g[$0] == grp }
                return idx.isEmpty ? 0 : Double(idx.filter { y[$0] == 1 }.count) / Double(idx.count)
            }
            let s = Summary(path: out, rows: rows, approval_rate_a: rate(0), approval_rate_b: rate(1))
            Output.info(String(format: "wrote %@: %d rows, approval rate A %.3f, B %.3f", out, rows, s.approval_rate_a, s.approval_rate_b))
            if json { Output.json(s) }
        }
    }
}

private func formatCell(_ v: Double) -> String {
    v == v.rounded() ? String(Int(v)) : String(format: "%.2f", v)
}

/// The credit table (deterministic for a seed). Columns as in `tend sample credit --help`.
func creditTable(rows: Int, bias: Double, drift: Double, seed: UInt64) -> CSVTable {
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
