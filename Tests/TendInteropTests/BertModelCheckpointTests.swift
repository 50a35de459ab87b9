import Foundation
import Testing
import TendEngine
import TendInterop
import TendTensor

/// A loaded Hugging Face encoder seen as `any Model`: its forward is the encoder's, and a tend.format 2
/// checkpoint file of it (tagged architecture) rebuilds the same model.
@Suite struct BertModelCheckpointTests {
    @Test func aLoadedEncoderAsAModelForwardsLikeTheEncoderAndSurvivesACheckpointFile() throws {
        let loaded = try HuggingFaceModel.loadEncoder(directory: BertFixtures.tinyModel)
        let ref = try BertFixtures.reference("tiny-bert-reference.safetensors")
        let tokens = TokenBatch(batch: ref.batch.batch, length: ref.batch.length, ids: ref.batch.ids, typeIDs: ref.batch.typeIDs,
                                attentionMask: ref.batch.attentionMask,
                                lengths: (0..<ref.batch.batch).map { ref.batch.realLength($0) }, truncatedCount: 0)
        let model: any Model = loaded.model()
        let expected = try loaded.encoder.encode(ref.batch)
        #expect(model.predict(.tokens(tokens)) == expected)

        let files = TempDir()
        defer { files.cleanup() }
        let path = files.file("bert.safetensors")
        try SafetensorsWriter.write(tensors: model.namedTensors(),
                                    metadata: [Checkpoint.Key.format: Checkpoint.formatVersion, Checkpoint.Key.arch: model.architecture.json],
                                    to: path)
        let file = try SafetensorsFile(path: path)
        #expect(try Checkpoint.architecture(file.metadata) == model.architecture)
        let restored = try Checkpoint(tensors: file.floatTensors().map { ($0.name, $0.tensor) }, metadata: file.metadata).model()
        #expect(restored.architecture.family == "bert")
        #expect(restored.predict(.tokens(tokens)) == expected)
    }
}
