import ArgumentParser
import Foundation
import TendBench
import TendRuntime

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

    func run() throws {
        try reportingErrors {
            guard rows > 0 else { throw OptionError.outOfRange(options: "--rows", requirement: "must be positive") }
            guard (0...1).contains(bias) else { throw OptionError.invalid(option: "--bias", value: "\(bias)", expected: "0...1") }
            let s = try writeCreditSample(rows: rows, bias: bias, drift: drift, seed: seed, to: out)
            Output.info(String(format: "wrote %@: %d rows, approval rate A %.3f, B %.3f", out, rows, s.approval_rate_a, s.approval_rate_b))
            if json { Output.json(s) }
        }
    }
}
