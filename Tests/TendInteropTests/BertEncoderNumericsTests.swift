import Foundation
import Testing
import TendEngine
import TendInterop
import TendTensor

/// The encoder against transformers' `AutoModel` fp32 (fixtures from `Fixtures/make_bert_fixture.py`):
/// hidden states within 1e-4 on every real token, pooled embeddings with cosine ≥ 0.99999.
@Suite struct BertEncoderNumericsTests {
    func check(model: String, reference: String) throws {
        let loaded = try HuggingFaceModel.loadEncoder(directory: model)
        let ref = try BertFixtures.reference(reference)
        let states = try loaded.encoder.hiddenStates(ref.batch)
        let diff = BertFixtures.maxDifference(states, ref.lastHiddenState, mask: ref.batch.attentionMask)
        #expect(diff <= 1e-4, "largest |Δ| of the last hidden state is \(diff)")
        let pooled = try loaded.encoder.encode(ref.batch)
        #expect(pooled.shape == ref.pooled.shape)
        for b in 0..<ref.batch.batch {
            let c = BertFixtures.cosine(pooled.row(b), ref.pooled.row(b))
            #expect(c >= 0.99999, "sequence \(b): cosine \(c)")
            for j in 0..<pooled.cols { #expect(abs(pooled[b, j] - ref.pooled[b, j]) <= 1e-4) }
        }
    }

    @Test func tinyRandomBertMatchesTransformersOnAPaddedBatchWithAPair() throws {
        try check(model: BertFixtures.tinyModel, reference: "tiny-bert-reference.safetensors")
    }

    @Test func allMiniLML6v2MatchesTransformers() throws {
        let dir = BertFixtures.miniLMModel
        guard FileManager.default.fileExists(atPath: dir + "/model.safetensors") else {
            Issue.record("all-MiniLM-L6-v2 is not in \(dir): run make models")
            return
        }
        try check(model: dir, reference: "minilm-reference.safetensors")
    }

    @Test func encodingTwiceReusesTheWorkspaceAndGivesTheSameBits() throws {
        let encoder = try HuggingFaceModel.loadEncoder(directory: BertFixtures.tinyModel).encoder
        let ref = try BertFixtures.reference("tiny-bert-reference.safetensors")
        let first = try encoder.encode(ref.batch)
        let single = EncoderBatch(batch: 1, length: 2, ids: [101, 102])
        _ = try encoder.encode(single)
        #expect(try encoder.encode(ref.batch) == first)
    }

    @Test func eachSequenceIsEncodedAsIfAlone() throws {
        // Padding costs nothing and changes nothing: a sequence padded in a batch equals it on its own.
        let encoder = try HuggingFaceModel.loadEncoder(directory: BertFixtures.tinyModel).encoder
        let ref = try BertFixtures.reference("tiny-bert-reference.safetensors")
        let batched = try encoder.encode(ref.batch)
        let l = ref.batch.length
        let n = ref.batch.realLength(2)
        let alone = try encoder.encode(EncoderBatch(batch: 1, length: n, ids: Array(ref.batch.ids[(2 * l)..<(2 * l + n)])))
        for j in 0..<batched.cols { #expect(abs(alone[0, j] - batched[2, j]) <= 1e-6) }
    }

    @Test func poolingModesFollowTheirDefinitions() throws {
        let encoder = try HuggingFaceModel.loadEncoder(directory: BertFixtures.tinyModel).encoder
        let batch = EncoderBatch(batch: 1, length: 4, ids: [101, 110, 111, 102])
        let states = try encoder.hiddenStates(batch)
        encoder.normalize = false
        encoder.pooling = .cls
        #expect(try encoder.encode(batch).row(0) == states.row(0))
        encoder.pooling = .max
        let mx = try encoder.encode(batch)
        for j in 0..<states.cols { #expect(mx[0, j] == (0..<4).map { states[$0, j] }.max()!) }
        encoder.pooling = .mean
        let mean = try encoder.encode(batch)
        for j in 0..<states.cols { #expect(abs(mean[0, j] - (0..<4).map { states[$0, j] }.reduce(0, +) / 4) <= 1e-6) }
    }

    @Test func badTokenIdsAreTypedErrors() throws {
        let encoder = try HuggingFaceModel.loadEncoder(directory: BertFixtures.tinyModel).encoder
        #expect(throws: EncoderInputError.tokenOutOfRange(sequence: 0, position: 1, id: 500, vocabularySize: 128)) {
            try encoder.encode(EncoderBatch(batch: 1, length: 2, ids: [101, 500]))
        }
        #expect(throws: EncoderInputError.emptySequence(sequence: 0)) {
            try encoder.encode(EncoderBatch(batch: 1, length: 2, ids: [101, 102], attentionMask: [0, 0]))
        }
        #expect(throws: EncoderInputError.self) {
            try encoder.encode(EncoderBatch(batch: 1, length: 65, ids: [Int32](repeating: 105, count: 65)))
        }
    }
}
