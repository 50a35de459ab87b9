/// Packs the real (mask 1) tokens of a batch, sequence after sequence, so padding costs no compute: the one
/// packing inference (`EncoderWorkspace`) and training (`TrainingWorkspace`) share. Validates ids, type ids
/// and positions against `config`; `starts` gets batch + 1 entries.
enum TokenPacking {
    /// Fills the arrays (capacity kept) and returns the longest sequence's real length.
    static func pack(_ batch: EncoderBatch, config: BertConfig, ids: inout [Int32], types: inout [Int32],
                     positions: inout [Int32], starts: inout [Int]) throws(EncoderInputError) -> Int {
        ids.removeAll(keepingCapacity: true)
        types.removeAll(keepingCapacity: true)
        positions.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        starts.append(0)
        var longest = 0
        let v = Int32(config.vocabularySize), tv = Int32(config.typeVocabularySize)
        for b in 0..<batch.batch {
            let before = ids.count
            for p in 0..<batch.length where batch.attentionMask[b * batch.length + p] != 0 {
                let i = b * batch.length + p
                let id = batch.ids[i], t = batch.typeIDs[i]
                guard id >= 0 && id < v else { throw .tokenOutOfRange(sequence: b, position: p, id: id, vocabularySize: config.vocabularySize) }
                guard t >= 0 && t < tv else { throw .typeOutOfRange(sequence: b, position: p, type: t, typeVocabularySize: config.typeVocabularySize) }
                guard p < config.maxPositions else { throw .tooLong(sequence: b, length: batch.length, maxPositions: config.maxPositions) }
                ids.append(id); types.append(t); positions.append(Int32(p))
            }
            let n = ids.count - before
            guard n > 0 else { throw .emptySequence(sequence: b) }
            longest = max(longest, n)
            starts.append(ids.count)
        }
        return longest
    }
}
