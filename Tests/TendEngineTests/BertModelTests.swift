import Foundation
import Testing
import TendTensor
@testable import TendEngine

/// The BERT encoder as a second `Model` family: tagged architecture, roles, layer groups, pruning and
/// checkpoints through `any Model` only. A tiny random config (2 layers, hidden 32, 4 heads) keeps it fast.
@Suite struct BertModelTests {
    static let architecture = BertArchitecture(
        config: BertConfig(vocabularySize: 50, hiddenSize: 32, layers: 2, attentionHeads: 4, intermediateSize: 64,
                           layerNormEpsilon: 1e-12, maxPositions: 16, typeVocabularySize: 2),
        pooling: .mean, normalize: true)

    static func tokens() -> TokenBatch {
        // Two sequences, the second padded: [CLS]=1 … [SEP]=2.
        TokenBatch(batch: 2, length: 6, ids: [1, 7, 9, 11, 13, 2, 1, 20, 2, 0, 0, 0], typeIDs: [Int32](repeating: 0, count: 12),
                   attentionMask: [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0], lengths: [6, 3], truncatedCount: 0)
    }

    static func model(seed: UInt64 = 7) throws -> any Model { try Architecture.bert(architecture).makeModel(seed: seed) }

    @Test func architectureIsATaggedRecordWithTheConfigUnderHuggingFaceNames() throws {
        let arch = Architecture.bert(Self.architecture)
        let object = try JSONSerialization.jsonObject(with: Data(arch.json.utf8)) as! [String: Any]
        #expect(object["family"] as? String == "bert")
        let bert = try #require(object["bert"] as? [String: Any])
        let config = try #require(bert["config"] as? [String: Any])
        #expect(config["hidden_size"] as? Int == 32 && config["num_hidden_layers"] as? Int == 2 && config["hidden_act"] as? String == "gelu")
        #expect(bert["pooling"] as? String == "mean" && bert["normalize"] as? Bool == true)
        #expect(try Architecture(json: arch.json) == arch)
        #expect(arch.family == "bert" && arch.outputs == 32 && arch.featureCount == nil)
        // Format-1 and mlp records decode as before.
        #expect(try Architecture(json: #"{"activation":"relu","dropout":0,"layerNorm":false,"sizes":[64,128,10]}"#)
                == .mlp(MLPLayout(sizes: [64, 128, 10])))
        #expect(throws: DecodingError.self) { try Architecture(json: #"{"family":"gpt","gpt":{}}"#) }
        var bad = Self.architecture
        bad.config.attentionHeads = 5
        #expect(throws: ArchitectureError.self) { try Architecture.bert(bad).makeModel(seed: 1) }
    }

    @Test func parametersUseHuggingFaceNamesWithRolesFromWhatTheyAre() throws {
        let m = try Self.model()
        let p = m.parameters
        #expect(p.count == 5 + 2 * 16)
        #expect(Array(p.prefix(5).map(\.name)) == ["embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
                                                 "embeddings.token_type_embeddings.weight", "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"])
        for q in p {
            let expected: ParameterRole =
                q.name.hasPrefix("embeddings.") && !q.name.contains("LayerNorm") ? .embedding
                : q.name.contains("LayerNorm") ? .norm
                : q.name.hasSuffix(".bias") ? .bias : .weight
            #expect(q.role == expected, "\(q.name)")
        }
        #expect(m.parameterCount == 50 * 32 + 16 * 32 + 2 * 32 + 2 * 32
                + 2 * (4 * (32 * 32 + 32) + 2 * 32 + (64 * 32 + 64) + (32 * 64 + 32) + 2 * 32))
        // No gradient memory for a served encoder.
        #expect(p.allSatisfy { $0.grad.count == 0 })
    }

    @Test func layerGroupsListTheEmbeddingsAndSixLinearLayersPerEncoderLayer() throws {
        let groups = try Self.model().layerGroups
        #expect(groups.count == 3 + 2 * 6)
        #expect(groups.prefix(3).map(\.kind) == [.embedding, .embedding, .embedding])
        #expect(groups[0] == LayerGroup(name: "embeddings.word_embeddings", kind: .embedding, shape: [50, 32], parameterCount: 1600,
                                        parameterNames: ["embeddings.word_embeddings.weight"]))
        let layer1 = groups.filter { $0.name.hasPrefix("encoder.layer.1.") }
        #expect(layer1.map(\.name) == ["query", "key", "value"].map { "encoder.layer.1.attention.self.\($0)" }
                + ["encoder.layer.1.attention.output.dense", "encoder.layer.1.intermediate.dense", "encoder.layer.1.output.dense"])
        #expect(layer1.map(\.shape) == [[32, 32], [32, 32], [32, 32], [32, 32], [64, 32], [32, 64]])
        #expect(layer1.allSatisfy { $0.kind == .linear && $0.parameterNames == [$0.name + ".weight", $0.name + ".bias"] })
        #expect(layer1[4].parameterCount == 64 * 32 + 64)
    }

    @Test func forwardMatchesTheEncoderItWraps() throws {
        let m = try #require(try Self.model() as? BertModel)
        let reference = BertEncoder(config: m.config, pooling: .mean, normalize: true)
        for p in m.encoder.namedParameters { reference.setParameter(p.name, p.tensor) }
        reference.weightsDidChange()
        let expected = try reference.encode(EncoderBatch(Self.tokens()))
        let got = m.predict(.tokens(Self.tokens()))
        #expect(got.shape == Shape([2, 32]))
        #expect(got == expected)
        // Normalised rows.
        for r in 0..<2 { #expect(abs((0..<32).reduce(Float(0)) { $0 + got[r, $1] * got[r, $1] } - 1) < 1e-5) }
    }

    @Test func magnitudePruningTouchesOnlyWeightTensorsAndReachesTheForward() throws {
        let m = try Self.model()
        let before = m.parameters.map(\.value)
        let baseline = m.predict(.tokens(Self.tokens()))
        let masks = MagnitudePruner.prune(m, spec: .sparsity(0.5))
        #expect(masks.entries.allSatisfy { m.parameters[$0.parameterIndex].role == .weight })
        #expect(masks.entries.count == 2 * 6)
        for (p, old) in zip(m.parameters, before) {
            if p.role == .weight {
                let zeros = p.value.storage.filter { $0 == 0 }.count
                #expect(abs(Double(zeros) / Double(p.count) - 0.5) < 0.1, "\(p.name)")
            } else {
                #expect(p.value == old, "\(p.name) must not be pruned")
            }
        }
        let summary = PruningSummary(model: m)
        #expect(summary.parameters.filter(\.eligible).map(\.name) == m.parameters.filter { $0.role == .weight }.map(\.name))
        #expect(abs(summary.sparsity - 0.5) < 0.05)
        // The forward sees the pruned weights: equal to an encoder given them directly.
        let pruned = m.predict(.tokens(Self.tokens()))
        #expect(pruned != baseline)
        let reference = BertEncoder(config: Self.architecture.config, pooling: .mean, normalize: true)
        for p in m.parameters { reference.setParameter(p.name, p.value) }
        reference.weightsDidChange()
        #expect(pruned == (try reference.encode(EncoderBatch(Self.tokens()))))
        // A second in-place write (storage no longer shared) is seen too.
        let w = m.parameters.first { $0.name == "encoder.layer.0.intermediate.dense.weight" }!
        w.value.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = 0 } }
        #expect(m.predict(.tokens(Self.tokens())) != pruned)
    }

    @Test func checkpointRoundTripRebuildsTheModelFromItsTaggedArchitecture() throws {
        let m = try Self.model(seed: 11)
        MagnitudePruner.prune(m, spec: .sparsity(0.3))
        let checkpoint = Checkpoint(tensors: m.namedTensors(),
                                    metadata: [Checkpoint.Key.format: Checkpoint.formatVersion, Checkpoint.Key.arch: m.architecture.json])
        let restored = try checkpoint.model()
        #expect(restored is BertModel)
        #expect(restored.architecture == m.architecture)
        #expect(restored.namedTensors().map(\.0) == m.namedTensors().map(\.0))
        #expect(restored.predict(.tokens(Self.tokens())) == m.predict(.tokens(Self.tokens())))
        // A copy is independent.
        let c = m.copy()
        c.parameters[5].value.withUnsafeMutableBufferPointer { p in p[0] += 1 }
        #expect(m.parameters[5].value != c.parameters[5].value)
        #expect(c.predict(.tokens(Self.tokens())) != m.predict(.tokens(Self.tokens())))
    }

    @Test func traceReportsEmbeddingsEachLayerAndThePooledOutput() throws {
        let m = try Self.model()
        var names: [String] = [], shapes: [[Int]] = []
        m.traceForward(.tokens(Self.tokens())) { name, out in names.append(name); shapes.append(out.shape.dims); return true }
        #expect(names == ["embeddings", "encoder.layer.0", "encoder.layer.1", "pooling"])
        #expect(shapes == [[9, 32], [9, 32], [9, 32], [2, 32]])
    }

    @Test func aBatchOverThePackedRowLimitMatchesEachSequenceAlone() throws {
        // 6 × 14 = 84 real tokens run the sgemm products (query/key/value into their columns); 14 alone run packed.
        let m = try #require(try Self.model(seed: 5) as? BertModel)
        let n = 6, l = 14
        var ids: [Int32] = []
        for s in 0..<n { ids += [1] + (0..<(l - 2)).map { Int32(3 + (s * 7 + $0 * 5) % 45) } + [2] }
        let batch = TokenBatch(batch: n, length: l, ids: ids, typeIDs: [Int32](repeating: 0, count: n * l),
                               attentionMask: [Int32](repeating: 1, count: n * l), lengths: [Int](repeating: l, count: n), truncatedCount: 0)
        let together = m.predict(.tokens(batch))
        for s in 0..<n {
            let one = TokenBatch(batch: 1, length: l, ids: Array(ids[(s * l)..<((s + 1) * l)]), typeIDs: [Int32](repeating: 0, count: l),
                                 attentionMask: [Int32](repeating: 1, count: l), lengths: [l], truncatedCount: 0)
            let alone = m.predict(.tokens(one))
            for j in 0..<32 { #expect(abs(alone[0, j] - together[s, j]) <= 1e-5, "sequence \(s) column \(j)") }
        }
    }

    @Test func theOneEvaluationLoopRunsOverTokenBatches() throws {
        let m = try Self.model()
        let tokens = Self.tokens()
        let pooled = m.predict(.tokens(tokens))
        let labels = (0..<2).map { r in (0..<32).max { pooled[r, $0] < pooled[r, $1] }! }
        let ev = evaluate(m, count: 2, labels: labels, classes: 32, batch: 1) { range in
            let l = tokens.length, rows = range.lowerBound * l..<range.upperBound * l
            return .tokens(TokenBatch(batch: range.count, length: l, ids: Array(tokens.ids[rows]), typeIDs: Array(tokens.typeIDs[rows]),
                                      attentionMask: Array(tokens.attentionMask[rows]), lengths: Array(tokens.lengths[range]),
                                      truncatedCount: 0))
        }
        #expect(ev.predictions == labels && ev.report.accuracy == 1)
    }
}
