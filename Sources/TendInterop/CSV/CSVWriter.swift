import TendTensor

/// Writes CSV atomically: header row, `\n` endings, fields quoted as RFC 4180 says when they need it.
/// Integral values are written without a fraction; others in Swift's shortest round-trip form.
public enum CSVWriter {
    /// `field` as one CSV field: wrapped in double quotes (inner quotes doubled) when it holds a comma, a quote,
    /// a line break, or leading/trailing spaces or tabs (which readers would trim); verbatim otherwise.
    public static func escape(_ field: String) -> String {
        var needs = false
        for b in field.utf8 where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D { needs = true; break }
        if let f = field.utf8.first, f == 0x20 || f == 0x09 { needs = true }
        if let l = field.utf8.last, l == 0x20 || l == 0x09 { needs = true }
        guard needs else { return field }
        var out = "\""
        for ch in field.unicodeScalars { if ch == "\"" { out += "\"\"" } else { out.unicodeScalars.append(ch) } }
        return out + "\""
    }

    /// Writes a text table: `header`, then each row (same field count as the header), every field escaped.
    public static func writeText(path: String, header: [String], rows: [[String]]) throws {
        var out: [UInt8] = []
        for row in [header] + rows {
            precondition(row.count == header.count, "CSVWriter.writeText: a row has \(row.count) fields, the header \(header.count)")
            out.append(contentsOf: row.map(escape).joined(separator: ",").utf8)
            out.append(10)
        }
        try commit(out, path: path)
    }

    /// Writes `features` ([rows, names.count]) followed by an integer label column.
    public static func write(path: String, featureNames: [String], features: Tensor, labelName: String, labels: [Int]) throws {
        precondition(features.rank == 2 && features.cols == featureNames.count && features.rows == labels.count,
                     "CSVWriter: \(features.shape) features, \(featureNames.count) names, \(labels.count) labels")
        var out: [UInt8] = []
        out.reserveCapacity(features.count * 6 + 64)
        out.append(contentsOf: (featureNames + [labelName]).map(escape).joined(separator: ",").utf8)
        out.append(10)
        let d = features.cols
        for i in 0..<features.rows {
            for j in 0..<d {
                let v = Double(features.storage[i * d + j])
                if v == v.rounded(), abs(v) < 1e15 { out.append(contentsOf: String(Int64(v)).utf8) }
                else { out.append(contentsOf: String(Float(v)).utf8) }
                out.append(44)
            }
            out.append(contentsOf: String(labels[i]).utf8)
            out.append(10)
        }
        try commit(out, path: path)
    }

    private static func commit(_ out: [UInt8], path: String) throws {
        do {
            var w = try AtomicFileWriter(path: path)
            do { try w.write(out); try w.commit() } catch { w.abandon(); throw error }
        } catch let e as AtomicWriteError {
            throw CSVWriteError(path: e.path, reason: e.reason)
        }
    }
}

/// Writing a CSV failed; any existing file at `path` is unchanged.
public struct CSVWriteError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot write \(path): \(reason)" }
}
