/// One text (or text pair) as model input: `[CLS] a… [SEP]` or `[CLS] a… [SEP] b… [SEP]`.
/// `typeIDs` is 0 over the first segment (with its `[CLS]` and `[SEP]`) and 1 over the second.
/// `truncated` is true when word pieces had to be dropped to fit the maximum length.
public struct TokenizedText: Sendable, Equatable {
    public var ids: [Int32]
    public var typeIDs: [Int32]
    public var truncated: Bool

    public init(ids: [Int32], typeIDs: [Int32], truncated: Bool) {
        self.ids = ids; self.typeIDs = typeIDs; self.truncated = truncated
    }
}

/// Row-major [batch, length] padded to the longest row; attentionMask 1 for tokens, 0 for padding.
/// `lengths[r]` is row r's token count (its mask's sum); `truncatedCount` the rows that were truncated.
public struct TokenBatch: Sendable, Equatable {
    public var batch: Int
    public var length: Int
    public var ids: [Int32]
    public var typeIDs: [Int32]
    public var attentionMask: [Int32]
    public var lengths: [Int]
    public var truncatedCount: Int

    public init(batch: Int, length: Int, ids: [Int32], typeIDs: [Int32], attentionMask: [Int32],
                lengths: [Int], truncatedCount: Int) {
        precondition(ids.count == batch * length && typeIDs.count == batch * length
                     && attentionMask.count == batch * length && lengths.count == batch,
                     "TokenBatch: arrays do not match [\(batch), \(length)]")
        self.batch = batch; self.length = length; self.ids = ids; self.typeIDs = typeIDs
        self.attentionMask = attentionMask; self.lengths = lengths; self.truncatedCount = truncatedCount
    }

    /// Pads `rows` to the longest with `padID` (type id 0, mask 0).
    public init(rows: [TokenizedText], padID: Int32) {
        let length = rows.map(\.ids.count).max() ?? 0
        var ids = [Int32](repeating: padID, count: rows.count * length)
        var types = [Int32](repeating: 0, count: rows.count * length)
        var mask = [Int32](repeating: 0, count: rows.count * length)
        for (r, row) in rows.enumerated() {
            let base = r * length
            for j in row.ids.indices {
                ids[base + j] = row.ids[j]; types[base + j] = row.typeIDs[j]; mask[base + j] = 1
            }
        }
        self.init(batch: rows.count, length: length, ids: ids, typeIDs: types, attentionMask: mask,
                  lengths: rows.map(\.ids.count), truncatedCount: rows.reduce(0) { $0 + ($1.truncated ? 1 : 0) })
    }

    /// Row `r`'s token ids without padding.
    public func row(_ r: Int) -> ArraySlice<Int32> { ids[r * length..<r * length + lengths[r]] }
}
