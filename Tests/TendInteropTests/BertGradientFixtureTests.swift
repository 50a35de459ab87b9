import Foundation
import Testing
import TendEngine
import TendInterop
import TendTensor

/// Fine-tuning gradients against PyTorch autograd (fixture from `Fixtures/bert_grad/make_bert_grad_fixture.py`:
/// transformers BertModel, mean pooling, Linear head, cross-entropy, float64 reference on float32 weights).
@Suite struct BertGradientFixtureTests {
    static let path = repositoryRoot + "/Tests/TendInteropTests/Fixtures/bert_grad/tiny-bert-grad.safetensors"

    /// ‖a − b‖ / ‖b‖ (norm-relative, so tiny entries do not dominate).
    static func relative(_ a: Tensor, _ b: Tensor) -> Double { distance(a, b) / norm(b) }
    static func distance(_ a: Tensor, _ b: Tensor) -> Double {
        var d = 0.0
        for i in 0..<a.count { let x = Double(a.storage[i]) - Double(b.storage[i]); d += x * x }
        return d.squareRoot()
    }
    static func norm(_ a: Tensor) -> Double { a.storage.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() }

    struct Fixture {
        var training: BertClassifierTraining
        var batch: EncoderBatch
        var labels: [Int]
        var loss: Float
        var logits: Tensor
        var gradients: [String: Tensor]
    }

    static func load() throws -> Fixture {
        let file = try SafetensorsFile(path: path)
        let config = BertConfig(vocabularySize: 100, hiddenSize: 32, layers: 2, attentionHeads: 4, intermediateSize: 64,
                                hiddenActivation: .gelu, layerNormEpsilon: 1e-12, maxPositions: 16, typeVocabularySize: 2)
        let encoder = BertEncoder(config: config)
        for p in encoder.namedParameters {
            #expect(encoder.setParameter(p.name, try file.floatTensor("param." + p.name)), "\(p.name)")
        }
        encoder.weightsDidChange()
        let training = BertClassifierTraining(encoder: encoder, classes: 3, pooling: .mean, dropout: .none,
                                              headWeight: try file.floatTensor("param.classifier.weight"),
                                              headBias: try file.floatTensor("param.classifier.bias"))
        let ids = try file.floatTensor("input_ids")
        func ints(_ n: String) throws -> [Int32] { try file.floatTensor(n).storage.map { Int32($0) } }
        let batch = EncoderBatch(batch: ids.shape[0], length: ids.shape[1], ids: try ints("input_ids"),
                                 typeIDs: try ints("token_type_ids"), attentionMask: try ints("attention_mask"))
        var gradients: [String: Tensor] = [:]
        for name in file.names where name.hasPrefix("grad.") { gradients[String(name.dropFirst(5))] = try file.floatTensor(name) }
        return Fixture(training: training, batch: batch, labels: try file.floatTensor("labels").storage.map { Int($0) },
                       loss: try file.floatTensor("loss").storage[0], logits: try file.floatTensor("logits"), gradients: gradients)
    }

    @Test func lossAndEveryGradientMatchPyTorchAutogradWithin1e4() throws {
        let f = try Self.load()
        let loss = try f.training.forward(f.batch, labels: f.labels, training: false)
        #expect(abs(loss - f.loss) <= 1e-4 * abs(f.loss), "loss \(loss), PyTorch \(f.loss)")
        #expect(Self.relative(f.training.logits, f.logits) <= 1e-4)
        f.training.backward()
        let ours = f.training.namedGradients()
        #expect(Set(ours.keys) == Set(f.gradients.keys))
        var worst = (name: "", error: 0.0)
        for (name, reference) in f.gradients.sorted(by: { $0.key < $1.key }) {
            guard let g = ours[name] else { Issue.record("no gradient for \(name)"); continue }
            #expect(g.shape == reference.shape, "\(name): \(g.shape) vs \(reference.shape)")
            if Self.norm(reference) < 1e-9 {
                // The key bias: it shifts each score row by a constant, which softmax ignores, so its
                // gradient is 0 analytically (PyTorch's is rounding noise, ~1e-17): compare absolutely.
                #expect(Self.norm(g) <= 1e-6, "\(name): ‖gradient‖ \(Self.norm(g)), 0 analytically")
                continue
            }
            let e = Self.relative(g, reference)
            if e > worst.error { worst = (name, e) }
            #expect(e <= 1e-4, "\(name): relative error \(e)")
        }
        print("bert gradients vs PyTorch: worst relative error \(worst.error) (\(worst.name))")
    }

    @Test func aSecondStepOnTheSameBatchGivesTheSameGradients() throws {
        // Buffers are reused: the embedding rows of one step are zeroed before the next scatters.
        let f = try Self.load()
        try f.training.forward(f.batch, labels: f.labels, training: false)
        f.training.backward()
        let first = f.training.namedGradients()
        let other = EncoderBatch(batch: 1, length: 3, ids: [2, 50, 3])
        try f.training.forward(other, labels: [1], training: false)
        f.training.backward()
        try f.training.forward(f.batch, labels: f.labels, training: false)
        f.training.backward()
        for (name, g) in f.training.namedGradients() { #expect(g == first[name], "\(name)") }
    }
}
