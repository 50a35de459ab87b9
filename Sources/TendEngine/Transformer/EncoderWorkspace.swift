import TendTensor

/// Buffers one forward pass of the encoder reuses: grown when a batch needs more, never shrunk, so a
/// steady serving loop allocates nothing. Tokens are *packed*: only real (mask 1) tokens are stored,
/// sequence after sequence, so padding costs no compute. Not for concurrent use.
final class EncoderWorkspace {
    /// A growable raw Float buffer (64-byte aligned).
    struct Buffer {
        private(set) var pointer: UnsafeMutablePointer<Float>? = nil
        private(set) var capacity = 0
        mutating func ensure(_ count: Int) {
            guard count > capacity else { return }
            pointer?.deallocate()
            let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 8) * 4, alignment: 64)
            pointer = raw.bindMemory(to: Float.self, capacity: max(count, 8))
            capacity = count
        }
        var p: UnsafeMutablePointer<Float> { pointer! }
        func free() { pointer?.deallocate() }
    }

    /// [tokens, hidden]: the running hidden state.
    var hidden = Buffer()
    /// [tokens, 3·hidden]: fused query | key | value projections.
    var qkv = Buffer()
    /// [tokens, hidden]: attention context (heads side by side).
    var context = Buffer()
    /// [tokens, hidden]: output of a projection before bias + residual + LayerNorm.
    var projected = Buffer()
    /// [tokens, intermediate]: feed-forward activations.
    var intermediate = Buffer()
    /// [threads, block]: attention scratch (`attentionScratchCount`), one block per worker thread.
    var scores = Buffer()
    private(set) var scoreBlock = 0
    /// Worker threads `scores` has a block for: the attention loop never uses more, even if another
    /// thread changes `BLAS.setThreads` between `ensure` and the loop.
    private(set) var scoreWorkers = 1

    /// Scratch of the int8 products (input codes, row scales, accumulators).
    let int8 = Int8Scratch()

    /// Packed token ids, type ids and absolute positions.
    var ids: [Int32] = []
    var types: [Int32] = []
    var positions: [Int32] = []
    /// Start of each sequence in the packed tokens (batch + 1 entries) and the longest sequence.
    var starts: [Int] = []
    var longest = 0
    var tokens: Int { starts.last ?? 0 }

    func ensure(tokens: Int, longest: Int, config: BertConfig, threads: Int) {
        hidden.ensure(tokens * config.hiddenSize)
        qkv.ensure(tokens * 3 * config.hiddenSize)
        context.ensure(tokens * config.hiddenSize)
        projected.ensure(tokens * config.hiddenSize)
        intermediate.ensure(tokens * config.intermediateSize)
        let scratch = attentionScratchCount(tokens: longest, headSize: config.hiddenSize / config.attentionHeads)
        scoreBlock = (scratch + 15) & ~15
        scoreWorkers = max(1, threads)
        scores.ensure(scoreBlock * scoreWorkers)
    }

    /// Packs the real tokens of `batch` (validated against `config`).
    func pack(_ batch: EncoderBatch, config: BertConfig) throws(EncoderInputError) {
        longest = try TokenPacking.pack(batch, config: config, ids: &ids, types: &types, positions: &positions, starts: &starts)
    }

    deinit {
        hidden.free(); qkv.free(); context.free(); projected.free(); intermediate.free(); scores.free()
    }
}
