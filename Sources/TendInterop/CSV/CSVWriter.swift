import TendTensor

/// Writes numeric tables as plain CSV (header row, `\n` endings, no quoting), atomically.
/// Integral values are written without a fraction; others in Swift's shortest round-trip form.
public enum CSVWriter {
    /// Writes `features` ([rows, names.count]) followed by an integer label column.
    public static func write(path: String, featureNames: [String], features: Tensor, labelName: String, labels: [Int]) throws {
        precondition(features.rank == 2 && features.cols == featureNames.count && features.rows == labels.count,
                     "CSVWriter: \(features.shape) features, \(featureNames.count) names, \(labels.count) labels")
        var out: [UInt8] = []
        out.reserveCapacity(features.count * 6 + 64)
        out.append(contentsOf: (featureNames + [labelName]).joined(separator: ",").utf8)
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
