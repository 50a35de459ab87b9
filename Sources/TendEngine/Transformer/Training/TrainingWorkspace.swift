/// What one training step of the encoder keeps between its forward and backward, and the backward's
/// scratch. Tokens are packed as in inference (real tokens only, sequence after sequence). Buffers grow
/// to the largest batch seen and are reused, so steady training allocates nothing per step.
/// Per layer it keeps: the layer's input, Q|K|V, attention probabilities (and their dropped copy), the
/// context, both dropout masks, both LayerNorms' x̂ and 1/σ, the block output and the feed-forward
/// pre-activation (the activation itself is recomputed in the backward). Not for concurrent use.
final class TrainingWorkspace {
    final class LayerActivations {
        /// [tokens, 3·hidden]: query | key | value, biases added.
        var qkv = TrainingBuffer()
        /// Σ heads·n² over sequences: softmax(QKᵀ/√d) per (sequence, head), n×n row-major.
        var probs = TrainingBuffer()
        /// Same layout: the probabilities after attention dropout (used only when it is on).
        var dropped = TrainingBuffer()
        /// [tokens, hidden]: heads' contexts side by side (input of the output projection).
        var context = TrainingBuffer()
        /// [tokens, hidden]: hidden-dropout multipliers after the attention output projection.
        var attentionMask = TrainingBuffer()
        var attentionXhat = TrainingBuffer()
        var attentionRstd = TrainingBuffer()
        /// [tokens, hidden]: the attention block's output (input of the feed-forward block).
        var attended = TrainingBuffer()
        /// [tokens, intermediate]: pre-activation of the first feed-forward product, bias added.
        var preActivation = TrainingBuffer()
        var outputMask = TrainingBuffer()
        var outputXhat = TrainingBuffer()
        var outputRstd = TrainingBuffer()

        func ensure(tokens t: Int, hidden h: Int, intermediate i: Int, probs p: Int, dropout: Bool) {
            qkv.ensure(t * 3 * h); probs.ensure(p); context.ensure(t * h)
            if dropout { dropped.ensure(p); attentionMask.ensure(t * h); outputMask.ensure(t * h) }
            attentionXhat.ensure(t * h); attentionRstd.ensure(t); attended.ensure(t * h)
            preActivation.ensure(t * i); outputXhat.ensure(t * h); outputRstd.ensure(t)
        }

        func free() {
            for b in [qkv, probs, dropped, context, attentionMask, attentionXhat, attentionRstd, attended,
                      preActivation, outputMask, outputXhat, outputRstd] { b.free() }
        }
    }

    /// hiddens[0] is the embeddings' output (after dropout), hiddens[l + 1] the output of layer l.
    var hiddens: [TrainingBuffer] = []
    var layers: [LayerActivations] = []
    var embeddingMask = TrainingBuffer()
    var embeddingXhat = TrainingBuffer()
    var embeddingRstd = TrainingBuffer()

    /// [sequences, hidden]: pooled vectors, their dropout multipliers and the head's input (dropped).
    var pooled = TrainingBuffer()
    var pooledMask = TrainingBuffer()
    var headInput = TrainingBuffer()
    /// [sequences, hidden]: for max pooling, the packed token index of each maximum.
    var argmax: [Int32] = []
    /// [sequences, classes]: logits, then softmax probabilities.
    var logits = TrainingBuffer()
    var softmax = TrainingBuffer()

    // Backward scratch.
    var gradHidden = TrainingBuffer()      // [tokens, hidden]
    var gradAttended = TrainingBuffer()    // [tokens, hidden]
    var gradContext = TrainingBuffer()     // [tokens, hidden]
    var gradQKV = TrainingBuffer()         // [tokens, 3·hidden]
    var gradIntermediate = TrainingBuffer()  // [tokens, intermediate]
    var activation = TrainingBuffer()      // [tokens, intermediate]: recomputed activation / forward scratch
    var projected = TrainingBuffer()       // [tokens, hidden]: forward scratch
    var gradScores = TrainingBuffer()      // [workers, longest²]
    var gradPooled = TrainingBuffer()      // [sequences, hidden]
    var gradLogits = TrainingBuffer()      // [sequences, classes]
    private(set) var scoreBlock = 0
    private(set) var scoreWorkers = 1

    /// Packed ids, types and positions; start of each sequence (sequences + 1 entries); longest sequence.
    var ids: [Int32] = []
    var types: [Int32] = []
    var positions: [Int32] = []
    var starts: [Int] = []
    var longest = 0
    /// Start of each sequence's probabilities (heads·n² per sequence), sequences + 1 entries.
    var probStarts: [Int] = []
    /// One seed per (sequence, head) for attention dropout, drawn serially so threads do not change masks.
    var attentionSeeds: [UInt64] = []
    var tokens: Int { starts.last ?? 0 }
    var sequences: Int { max(0, starts.count - 1) }

    /// Rows of the embedding tables the last backward scattered into (zeroed before the next scatter).
    var scatteredWords: [Int32] = []
    var scatteredPositions: [Int32] = []
    var scatteredTypes: [Int32] = []

    func pack(_ batch: EncoderBatch, config: BertConfig) throws(EncoderInputError) {
        longest = try TokenPacking.pack(batch, config: config, ids: &ids, types: &types, positions: &positions, starts: &starts)
        probStarts.removeAll(keepingCapacity: true)
        probStarts.append(0)
        for b in 0..<sequences {
            let n = starts[b + 1] - starts[b]
            probStarts.append(probStarts[b] + config.attentionHeads * n * n)
        }
    }

    func ensure(config: BertConfig, classes: Int, dropout: Bool, threads: Int) {
        let t = tokens, h = config.hiddenSize, i = config.intermediateSize, s = sequences
        let p = probStarts.last ?? 0
        while hiddens.count < config.layers + 1 { hiddens.append(TrainingBuffer()) }
        while layers.count < config.layers { layers.append(LayerActivations()) }
        for l in 0...config.layers { hiddens[l].ensure(t * h) }
        for l in 0..<config.layers { layers[l].ensure(tokens: t, hidden: h, intermediate: i, probs: p, dropout: dropout) }
        if dropout { embeddingMask.ensure(t * h); pooledMask.ensure(s * h) }
        embeddingXhat.ensure(t * h); embeddingRstd.ensure(t)
        pooled.ensure(s * h); headInput.ensure(s * h)
        logits.ensure(s * classes); softmax.ensure(s * classes)
        gradHidden.ensure(t * h); gradAttended.ensure(t * h); gradContext.ensure(t * h); gradQKV.ensure(t * 3 * h)
        gradIntermediate.ensure(t * i); activation.ensure(t * i); projected.ensure(t * h)
        scoreBlock = (longest * longest + 15) & ~15
        scoreWorkers = max(1, threads)
        gradScores.ensure(scoreBlock * scoreWorkers)
        gradPooled.ensure(s * h); gradLogits.ensure(s * classes)
    }

    deinit {
        for b in hiddens { b.free() }
        for l in layers { l.free() }
        for b in [embeddingMask, embeddingXhat, embeddingRstd, pooled, pooledMask, headInput, logits, softmax,
                  gradHidden, gradAttended, gradContext, gradQKV, gradIntermediate, activation, projected,
                  gradScores, gradPooled, gradLogits] { b.free() }
    }
}
