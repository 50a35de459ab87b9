import Testing
import TendCore
import TendTensor
@testable import TendEngine

/// The encoder's fine-tuning backward against central finite differences on a tiny random BERT (2 layers,
/// hidden 32, 4 heads, intermediate 64, vocab 100), a padded batch of two with a sentence pair: a few sampled
/// coordinates of every parameter tensor, with dropout off and with replayed dropout masks, for each pooling.
@Suite struct BertBackwardTests {
    static let config = BertConfig(vocabularySize: 100, hiddenSize: 32, layers: 2, attentionHeads: 4, intermediateSize: 64,
                                   hiddenActivation: .gelu, layerNormEpsilon: 1e-12, maxPositions: 16, typeVocabularySize: 2)
    /// Lengths 6 and 4 (padded to 7); the first is a pair (types 0 then 1).
    static let batch = EncoderBatch(batch: 2, length: 7,
                                    ids: [2, 17, 45, 3, 52, 3, 0, 2, 61, 9, 3, 0, 0, 0],
                                    typeIDs: [0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
                                    attentionMask: [1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0])
    static let labels = [2, 0]

    static func randomEncoder(seed: UInt64) -> BertEncoder {
        let encoder = BertEncoder(config: config)
        var g = SeededGenerator(seed: seed)
        for p in encoder.namedParameters {
            let isNorm = p.role == .norm
            let values = (0..<p.tensor.count).map { _ -> Float in
                isNorm ? (p.name.hasSuffix("weight") ? 1 + 0.1 * g.nextGaussian() : 0.1 * g.nextGaussian()) : 0.2 * g.nextGaussian()
            }
            encoder.setParameter(p.name, Tensor(shape: p.tensor.shape, storage: values))
        }
        encoder.weightsDidChange()
        return encoder
    }

    static func makeTraining(pooling: Pooling = .mean, dropout: BertDropoutRates = .none) -> BertClassifierTraining {
        var g = SeededGenerator(seed: 99)
        let head = Tensor(shape: Shape([3, 32]), storage: (0..<96).map { _ in 0.3 * g.nextGaussian() })
        return BertClassifierTraining(encoder: randomEncoder(seed: 14), classes: 3, pooling: pooling, dropout: dropout,
                                      headWeight: head, headBias: Tensor(shape: Shape([3]), storage: [0.1, -0.2, 0.05]), seed: 3)
    }

    /// Coordinates to probe in `p`: a few spread over the tensor; for embedding tables, entries of rows the
    /// batch uses (every other row's gradient is 0 and is checked to stay 0).
    static func coordinates(_ p: Parameter, count: Int, _ g: inout SeededGenerator) -> [Int] {
        let cols = p.value.rank == 2 ? p.value.shape[1] : p.value.count
        let rows: [Int]
        switch p.name {
        case "embeddings.word_embeddings.weight": rows = [2, 17, 52, 61]
        case "embeddings.position_embeddings.weight": rows = [0, 3, 5]
        case "embeddings.token_type_embeddings.weight": rows = [0, 1]
        default: return (0..<count).map { _ in Int(g.next() % UInt64(p.value.count)) }
        }
        return (0..<count).map { _ in rows[Int(g.next() % UInt64(rows.count))] * cols + Int(g.next() % UInt64(cols)) }
    }

    /// Worst violation of |analytic − numeric| ≤ 2e-3 + 2e-2·|numeric| over the probed coordinates (≤ 1 passes).
    static func check(_ training: BertClassifierTraining, perTensor: Int = 3, replayMasks: Bool) throws -> (worst: Double, name: String) {
        let start = training.generator
        func loss() throws -> Double {
            if replayMasks { training.generator = start }
            return Double(try training.forward(batch, labels: labels, training: replayMasks))
        }
        _ = try loss()
        training.backward()
        let grads = training.namedGradients()
        var g = SeededGenerator(seed: 7)
        var worst = (0.0, "")
        let step: Float = 3e-3
        for p in training.parameters {
            let analytic = grads[p.name]!
            for i in coordinates(p, count: perTensor, &g) {
                let v = p.value.storage[i]
                p.value.storage[i] = v + step; let up = try loss()
                p.value.storage[i] = v - step; let down = try loss()
                p.value.storage[i] = v
                let numeric = (up - down) / (2 * Double(step))
                let a = Double(analytic.storage[i])
                let ratio = abs(a - numeric) / (2e-3 + 2e-2 * abs(numeric))
                if ratio > worst.0 { worst = (ratio, "\(p.name)[\(i)]: analytic \(a), numeric \(numeric)") }
            }
        }
        return worst
    }

    @Test func everyParameterGradientMatchesFiniteDifferencesWithMeanPooling() throws {
        let worst = try Self.check(Self.makeTraining(), replayMasks: false)
        #expect(worst.worst <= 1, "\(worst.name)")
        print("finite differences, mean pooling: worst tolerance ratio \(worst.worst) at \(worst.name)")
    }

    @Test func clsAndMaxPoolingGradientsMatchFiniteDifferences() throws {
        for pooling in [Pooling.cls, .max] {
            let worst = try Self.check(Self.makeTraining(pooling: pooling), perTensor: 2, replayMasks: false)
            #expect(worst.worst <= 1, "\(pooling): \(worst.name)")
        }
    }

    @Test func gradientsWithDropoutMatchFiniteDifferencesUnderTheSameMasks() throws {
        let training = Self.makeTraining(dropout: BertDropoutRates(hidden: 0.1, attention: 0.1, classifier: 0.1))
        let worst = try Self.check(training, perTensor: 2, replayMasks: true)
        #expect(worst.worst <= 1, "\(worst.name)")
        print("finite differences, dropout: worst tolerance ratio \(worst.worst) at \(worst.name)")
    }

    @Test func dropoutActsOnlyInTrainingAndIsSeeded() throws {
        let a = Self.makeTraining(dropout: BertDropoutRates(hidden: 0.1, attention: 0.1))
        let b = Self.makeTraining(dropout: BertDropoutRates(hidden: 0.1, attention: 0.1))
        let plain = Self.makeTraining()
        let eval = try a.forward(Self.batch, labels: Self.labels, training: false)
        #expect(eval == (try plain.forward(Self.batch, labels: Self.labels, training: true)))
        let trainA = try a.forward(Self.batch, labels: Self.labels, training: true)
        let trainB = try b.forward(Self.batch, labels: Self.labels, training: true)
        #expect(trainA == trainB)  // same seed, same masks
        #expect(trainA != eval)
        #expect(try a.forward(Self.batch, labels: Self.labels, training: true) != trainA)  // fresh masks each step
    }

    @Test func embeddingGradientsTouchOnlyTheRowsTheBatchUses() throws {
        let t = Self.makeTraining()
        try t.forward(Self.batch, labels: Self.labels, training: false)
        t.backward()
        let word = t.parameter("embeddings.word_embeddings.weight")!.grad
        let used: Set<Int> = [2, 3, 9, 17, 45, 52, 61]
        for r in 0..<100 {
            let nonzero = (0..<32).contains { word[r, $0] != 0 }
            #expect(nonzero == used.contains(r), "row \(r)")
        }
        let position = t.parameter("embeddings.position_embeddings.weight")!.grad
        for r in 6..<16 { #expect((0..<32).allSatisfy { position[r, $0] == 0 }, "position \(r)") }
        // The next batch uses other rows: the old ones are zeroed, not accumulated.
        try t.forward(EncoderBatch(batch: 1, length: 3, ids: [2, 80, 3]), labels: [1], training: false)
        t.backward()
        let next = t.parameter("embeddings.word_embeddings.weight")!.grad
        for r in [9, 17, 45, 52, 61] { #expect((0..<32).allSatisfy { next[r, $0] == 0 }, "row \(r) kept a stale gradient") }
        #expect((0..<32).contains { next[80, $0] != 0 })
    }

    @Test func frozenEmbeddingsAndLowestLayersGetNoGradientAndTheRestIsUnchanged() throws {
        let full = Self.makeTraining(), frozen = Self.makeTraining()
        frozen.freezesEmbeddings = true
        frozen.frozenLayers = 1
        for t in [full, frozen] { try t.forward(Self.batch, labels: Self.labels, training: false); t.backward() }
        let trainable = Set(frozen.trainableParameters.map(\.name))
        #expect(trainable.allSatisfy { $0.hasPrefix("encoder.layer.1.") || $0.hasPrefix("classifier.") })
        #expect(trainable.count == 16 + 2)
        let reference = full.namedGradients()
        for p in frozen.parameters {
            if trainable.contains(p.name) { #expect(p.grad == reference[p.name], "\(p.name)") }
            else { #expect(p.grad.storage.allSatisfy { $0 == 0 }, "\(p.name) is frozen") }
        }
    }

    @Test func steadyStepsReuseEveryBuffer() throws {
        // After the first step (buffers grown, weights copied on their first update), a step of the same
        // shape keeps every activation, gradient and parameter at the same address.
        let t = Self.makeTraining(dropout: BertDropoutRates(hidden: 0.1, attention: 0.1))
        let opt = BertFineTuneOptimizer(training: t, learningRate: 1e-3, schedule: LinearWarmupDecay(warmupSteps: 0, totalSteps: 10))
        func step() throws { try t.forward(Self.batch, labels: Self.labels, training: true); t.backward(); opt.step() }
        func addresses() -> [UnsafeMutableRawPointer?] {
            let ws = t.workspace
            var out: [UnsafeMutableRawPointer?] = ws.hiddens.map { UnsafeMutableRawPointer($0.pointer) }
            for l in ws.layers {
                out += [l.qkv, l.probs, l.dropped, l.context, l.attentionMask, l.preActivation, l.outputXhat].map { UnsafeMutableRawPointer($0.pointer) }
            }
            out += [ws.gradHidden, ws.gradQKV, ws.gradIntermediate, ws.gradScores].map { UnsafeMutableRawPointer($0.pointer) }
            for p in t.parameters {
                out.append(p.value.withUnsafeBufferPointer { UnsafeMutableRawPointer(mutating: $0.baseAddress) })
                out.append(p.grad.withUnsafeBufferPointer { UnsafeMutableRawPointer(mutating: $0.baseAddress) })
            }
            return out
        }
        try step()
        try step()
        let before = addresses()
        try step()
        #expect(addresses() == before)
    }

    @Test func labelsOutsideTheHeadAreTypedErrors() throws {
        let t = Self.makeTraining()
        #expect(throws: BertTrainingError.labelOutOfRange(sequence: 1, label: 3, classes: 3)) {
            try t.forward(Self.batch, labels: [0, 3], training: true)
        }
        #expect(throws: BertTrainingError.labelCount(labels: 1, sequences: 2)) {
            try t.forward(Self.batch, labels: [0], training: true)
        }
    }
}
