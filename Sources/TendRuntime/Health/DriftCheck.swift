import TendEngine
import TendInterop

/// `tend check drift`: the population stability index of every column of `current` against `reference`,
/// columns matched by name; a column with PSI above `threshold` is flagged.
public struct DriftCheck: Encodable, Sendable {
    public struct Row: Encodable, Sendable { public var column: String; public var psi: Double; public var drifted: Bool; public var bins: Int }
    public var reference: String
    public var current: String
    public var threshold: Double
    public var columns: [Row]
    public var drifted: [String]
    public var max_psi: Double

    /// Reads both CSVs and compares them; a reference column missing from `current` is an error listing its columns.
    public static func run(reference: String, current: String, bins: Int, epsilon: Double, threshold: Double) throws -> DriftCheck {
        guard bins >= 2 else { throw OptionError.outOfRange(options: "--bins", requirement: "must be at least 2") }
        let ref = try CSVLoader.load(path: reference), cur = try CSVLoader.load(path: current)
        var rows: [Row] = []
        for (i, name) in ref.header.enumerated() {
            guard let j = cur.header.firstIndex(of: name) else {
                throw DataError.missingColumn(path: current, column: name, purpose: nil, reference: reference, columns: cur.header)
            }
            let r = populationStabilityIndex(expected: ref.column(i), actual: cur.column(j), bins: bins, epsilon: epsilon)
            rows.append(Row(column: name, psi: r.psi, drifted: r.psi > threshold, bins: r.expectedShares.count))
        }
        return DriftCheck(reference: reference, current: current, threshold: threshold, columns: rows,
                          drifted: rows.filter(\.drifted).map(\.column), max_psi: rows.map(\.psi).max() ?? 0)
    }
}
