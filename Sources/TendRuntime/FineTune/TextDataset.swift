import Foundation
import TendCore
import TendEngine
import TendInterop

/// Texts of a CSV column tokenized once (with [CLS]/[SEP], truncated to a maximum length), with their labels
/// as class indices when the CSV has a label column. Invariant: `tokens.count == texts.count`, and `labels`
/// is empty or holds one class index per text.
public struct TextDataset: Sendable {
    public var path: String
    public var texts: [String]
    /// Token ids of each text, [CLS] … [SEP], at most the max length.
    public var tokens: [[Int32]]
    /// Class index of each text (empty: the CSV has no labels).
    public var labels: [Int]
    /// Texts cut to the max length.
    public var truncatedCount: Int
    public var padID: Int32

    /// Reads `textColumn` (and `labelColumn` when given) of `path`. `classLabels` maps data labels to class
    /// indices (nil: the distinct labels, sorted, which must be at least 2). Errors name the file, line and column.
    public static func load(path: String, textColumn: String, labelColumn: String?, classLabels: ClassLabels?,
                            tokenizer: WordPieceTokenizer, maxLength: Int) throws -> (TextDataset, ClassLabels?) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataError.missingFile(path: path, role: "data file", hint: "the bundled text samples are Samples/rt_polarity.csv and Samples/imdb_reviews.csv")
        }
        let table = try CSVTextTable.load(path: path)
        guard table.rows > 0 else { throw DataError.noRows(path: path, option: "--data") }
        let texts = try table.column(named: textColumn, allowEmpty: false)
        var labels: [Int] = [], mapping = classLabels
        if let labelColumn {
            let raw = try table.labels(named: labelColumn)
            let known = classLabels ?? ClassLabels(distinctIn: raw)
            guard known.count >= 2 else {
                throw DataError.tooFewRows(path: path, rows: known.count, needed: 2, why: "distinct labels in column \(labelColumn) to train a classifier")
            }
            switch known.indices(of: raw) {
            case .success(let k): labels = k
            case .failure(let u): throw DataError.labelNotAClass(path: path, row: u.row, label: u.label, classLabels: known.values)
            }
            mapping = known
        }
        var tokens: [[Int32]] = [], truncated = 0
        tokens.reserveCapacity(texts.count)
        for t in texts {
            let e = tokenizer.encode(t, maxLength: maxLength)
            if e.truncated { truncated += 1 }
            tokens.append(e.ids)
        }
        return (TextDataset(path: path, texts: texts, tokens: tokens, labels: labels, truncatedCount: truncated,
                            padID: tokenizer.padID), mapping)
    }

    public var count: Int { texts.count }

    /// Rows `rows` padded to their longest (mask 0 on padding).
    public func batch(_ rows: [Int]) -> EncoderBatch {
        let length = rows.map { tokens[$0].count }.max() ?? 1
        var ids = [Int32](repeating: padID, count: rows.count * length)
        var mask = [Int32](repeating: 0, count: rows.count * length)
        for (b, r) in rows.enumerated() {
            for (p, id) in tokens[r].enumerated() { ids[b * length + p] = id; mask[b * length + p] = 1 }
        }
        return EncoderBatch(batch: rows.count, length: length, ids: ids, attentionMask: mask)
    }

    /// Real tokens of `rows`.
    public func tokenCount(_ rows: [Int]) -> Int { rows.reduce(0) { $0 + tokens[$1].count } }
}

/// The seeded train/validation/test split of a text data set's rows (after an optional seeded `limit`).
public struct TextSplit: Sendable, Equatable {
    public var train: [Int], validation: [Int], test: [Int]

    public init(count: Int, limit: Int?, valFraction: Double, testFraction: Double, seed: UInt64) {
        var g = SeededGenerator(seed: seed ^ 0x5B17_7E57)
        var order = Array(0..<count)
        order.shuffle(using: &g)
        if let limit, limit < count { order = Array(order.prefix(limit)) }
        let n = order.count
        let nVal = Int((Double(n) * valFraction).rounded()), nTest = Int((Double(n) * testFraction).rounded())
        test = Array(order.prefix(nTest))
        validation = Array(order.dropFirst(nTest).prefix(nVal))
        train = Array(order.dropFirst(nTest + nVal))
    }
}

/// Batches of one epoch bucketed by length so padding stays small: the shuffled rows are cut into pools of
/// 50 batches, each pool sorted by token count and cut into batches, and the batch order shuffled. Seeded by
/// (`seed`, `epoch`): a resumed run replays the same order.
public func bucketedBatches(_ rows: [Int], lengths: (Int) -> Int, batch: Int, seed: UInt64, epoch: Int) -> [[Int]] {
    var g = SeededGenerator(seed: seed &+ 0x9E37_79B9 &* UInt64(epoch + 1))
    var order = rows
    order.shuffle(using: &g)
    var out: [[Int]] = []
    let pool = batch * 50
    var start = 0
    while start < order.count {
        let chunk = order[start..<min(order.count, start + pool)].sorted { lengths($0) < lengths($1) }
        var i = 0
        while i < chunk.count { out.append(Array(chunk[(chunk.startIndex + i)..<min(chunk.endIndex, chunk.startIndex + i + batch)])); i += batch }
        start += pool
    }
    out.shuffle(using: &g)
    return out
}
