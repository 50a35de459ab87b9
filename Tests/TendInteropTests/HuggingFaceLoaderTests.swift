import Foundation
import Testing
import TendEngine
import TendInterop
import TendTensor

/// Loading Hugging Face directories: layouts that must load the same model, and bad directories that
/// must fail with one error naming the file and the tensor.
@Suite struct HuggingFaceLoaderTests {
    /// A copy of the tiny fixture model in a temporary directory, weights as (name, tensor).
    struct Copy {
        let dir = TempDir()
        let weights: [(name: String, tensor: Tensor)]
        init() throws {
            for name in ["config.json", "vocab.txt", "modules.json"] {
                try FileManager.default.copyItem(atPath: BertFixtures.tinyModel + "/" + name, toPath: dir.file(name))
            }
            try FileManager.default.createDirectory(atPath: dir.file("1_Pooling"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: BertFixtures.tinyModel + "/1_Pooling/config.json", toPath: dir.file("1_Pooling/config.json"))
            weights = try SafetensorsFile(path: BertFixtures.tinyModel + "/model.safetensors").floatTensors()
        }
        func write(_ tensors: [(String, Tensor)], file: String = "model.safetensors") throws {
            try SafetensorsWriter.write(tensors: tensors, to: dir.file(file))
        }
        func writeEntries(_ entries: [SafetensorsEntry]) throws {
            try SafetensorsWriter.write(entries: entries, to: dir.file("model.safetensors"))
        }
        func editConfig(_ edit: (String) -> String) throws {
            let text = try String(contentsOfFile: dir.file("config.json"), encoding: .utf8)
            dir.write("config.json", edit(text))
        }
        func load() throws(HuggingFaceModelError) -> LoadedEncoder { try HuggingFaceModel.loadEncoder(directory: dir.path) }
    }

    func loadError(_ body: () throws -> LoadedEncoder) -> HuggingFaceModelError? {
        do { _ = try body(); return nil } catch let e as HuggingFaceModelError { return e } catch { return nil }
    }

    func referencePooled(_ loaded: LoadedEncoder) throws -> Tensor {
        try loaded.encoder.encode(BertFixtures.reference("tiny-bert-reference.safetensors").batch)
    }

    @Test func readsConfigPoolingAndNormalizeOfTheTinyModel() throws {
        let loaded = try HuggingFaceModel.loadEncoder(directory: BertFixtures.tinyModel)
        let c = loaded.encoder.config
        #expect(c == BertConfig(vocabularySize: 128, hiddenSize: 32, layers: 2, attentionHeads: 4, intermediateSize: 64,
                                hiddenActivation: .gelu, layerNormEpsilon: 1e-12, maxPositions: 64, typeVocabularySize: 2))
        #expect(loaded.pipeline == SentenceTransformersConfig(pooling: .mean, normalize: true, fromModules: true))
        #expect(loaded.storedDType == "F32")
        #expect(loaded.encoder.layerListing.count == 3 + 6 * 2)
        #expect(loaded.encoder.layerListing[3].name == "encoder.layer.0.attention.self.query")
        #expect(loaded.encoder.layerListing[3].shape == [32, 32])
        #expect(loaded.encoder.namedParameters.first?.name == "embeddings.word_embeddings.weight")
        #expect(loaded.encoder.parameterCount == loaded.encoder.namedParameters.reduce(0) { $0 + $1.tensor.count })
    }

    @Test func namesWithoutTheBertPrefixLoadTheSameModel() throws {
        let copy = try Copy(); defer { copy.dir.cleanup() }
        try copy.write(copy.weights.map { (String($0.name.dropFirst("bert.".count)), $0.tensor) })
        let a = try referencePooled(copy.load())
        let b = try referencePooled(HuggingFaceModel.loadEncoder(directory: BertFixtures.tinyModel))
        #expect(a == b)
    }

    @Test func shardedWeightsLoadThroughTheIndex() throws {
        let copy = try Copy(); defer { copy.dir.cleanup() }
        let half = copy.weights.count / 2
        try copy.write(Array(copy.weights[..<half]).map { ($0.name, $0.tensor) }, file: "model-00001-of-00002.safetensors")
        try copy.write(Array(copy.weights[half...]).map { ($0.name, $0.tensor) }, file: "model-00002-of-00002.safetensors")
        let map = copy.weights.enumerated().map { "\"\($1.name)\": \"model-0000\($0 < half ? 1 : 2)-of-00002.safetensors\"" }
        copy.dir.write("model.safetensors.index.json", "{\"metadata\": {}, \"weight_map\": {\(map.joined(separator: ", "))}}")
        let loaded = try copy.load()
        #expect(loaded.weightFiles.count == 2)
        #expect(try referencePooled(loaded) == referencePooled(HuggingFaceModel.loadEncoder(directory: BertFixtures.tinyModel)))
    }

    @Test func halfAndBFloat16WeightsLoadConverted() throws {
        for dtype in [SafetensorsDType.f16, .bf16] {
            let copy = try Copy(); defer { copy.dir.cleanup() }
            try copy.writeEntries(copy.weights.map { w in
                let bits: [UInt16] = w.tensor.storage.map { dtype == .f16 ? Float16($0).bitPattern : UInt16($0.bitPattern >> 16) }
                return SafetensorsEntry(name: w.name, dtype: dtype, shape: w.tensor.shape.dims,
                                        bytes: bits.withUnsafeBytes { Array($0) })
            })
            let loaded = try copy.load()
            #expect(loaded.storedDType == dtype.rawValue)
            #expect(loaded.memory().borrowedBytes == 0, "converted weights are copies, not views of the file")
            let a = try referencePooled(loaded), b = try BertFixtures.reference("tiny-bert-reference.safetensors").pooled
            for r in 0..<a.rows { #expect(BertFixtures.cosine(a.row(r), b.row(r)) > 0.99) }
        }
    }

    @Test func aDirectoryWithoutConfigSaysSo() throws {
        let copy = try Copy(); defer { copy.dir.cleanup() }
        try FileManager.default.removeItem(atPath: copy.dir.file("config.json"))
        let e = loadError { try copy.load() }
        #expect(e == .noConfig(directory: copy.dir.path))
        #expect(e?.description.contains("no config.json") == true)
    }

    @Test func anUnsupportedModelTypeListsTheSupportedOnes() throws {
        let copy = try Copy(); defer { copy.dir.cleanup() }
        try copy.editConfig { $0.replacingOccurrences(of: "\"model_type\": \"bert\"", with: "\"model_type\": \"gpt2\"") }
        let e = loadError { try copy.load() }
        #expect(e == .unsupportedModelType(path: copy.dir.file("config.json"), found: "gpt2", supported: ["bert"]))
        #expect(e?.description.contains("supported: bert") == true)
    }

    @Test func aMissingWeightIsNamed() throws {
        let copy = try Copy(); defer { copy.dir.cleanup() }
        try copy.write(copy.weights.filter { $0.name != "bert.encoder.layer.1.output.dense.bias" }.map { ($0.name, $0.tensor) })
        #expect(loadError { try copy.load() } == .missingWeight(path: copy.dir.file("model.safetensors"), tensor: "encoder.layer.1.output.dense.bias"))
    }

    @Test func aWrongShapeGivesExpectedAndFound() throws {
        let copy = try Copy(); defer { copy.dir.cleanup() }
        try copy.write(copy.weights.map { w in
            w.name == "bert.encoder.layer.0.intermediate.dense.weight" ? (w.name, Tensor(shape: Shape([63, 32]))) : (w.name, w.tensor)
        })
        let e = loadError { try copy.load() }
        #expect(e == .wrongShape(path: copy.dir.file("model.safetensors"), tensor: "bert.encoder.layer.0.intermediate.dense.weight",
                                 expected: [64, 32], found: [63, 32]))
        #expect(e?.description.contains("[63, 32], expected [64, 32]") == true)
    }

    @Test func anIntegerWeightIsAnUnsupportedDType() throws {
        let copy = try Copy(); defer { copy.dir.cleanup() }
        try copy.writeEntries(copy.weights.map { w in
            w.name == "bert.embeddings.LayerNorm.bias"
                ? SafetensorsEntry(name: w.name, dtype: .i32, shape: [32], bytes: [UInt8](repeating: 0, count: 128))
                : SafetensorsEntry(name: w.name, tensor: w.tensor)
        })
        #expect(loadError { try copy.load() } == .unsupportedDType(path: copy.dir.file("model.safetensors"), tensor: "bert.embeddings.LayerNorm.bias",
                                                                    dtype: "I32", supported: ["F32", "F16", "BF16"]))
    }

    @Test func aVocabularyOfTheWrongSizeIsRefused() throws {
        let copy = try Copy(); defer { copy.dir.cleanup() }
        copy.dir.write("vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\n")
        #expect(loadError { try copy.load() } == .vocabularyMismatch(path: copy.dir.file("vocab.txt"), entries: 4,
                                                                      configPath: copy.dir.file("config.json"), vocabularySize: 128))
    }

    @Test func aTruncatedSafetensorsFileIsCorrupt() throws {
        let copy = try Copy(); defer { copy.dir.cleanup() }
        let bytes = [UInt8](FileManager.default.contents(atPath: BertFixtures.tinyModel + "/model.safetensors")!)
        copy.dir.write("model.safetensors", bytes: Array(bytes.prefix(bytes.count - 100)))
        let e = loadError { try copy.load() }
        guard case let .corruptWeights(inner)? = e else { Issue.record("expected corruptWeights, got \(String(describing: e))"); return }
        #expect(inner.description.contains(copy.dir.file("model.safetensors")))
        #expect(inner.description.contains("truncated"))
        #expect(inner.description.contains("tensor \""), "names the tensor cut short: \(inner)")
    }

    @Test func noWeightFileAndAMissingDirectoryAreNamed() throws {
        let copy = try Copy(); defer { copy.dir.cleanup() }
        #expect(loadError { try copy.load() } == .noWeights(directory: copy.dir.path))
        #expect(loadError { try HuggingFaceModel.loadEncoder(directory: copy.dir.file("nope")) } == .unreadable(path: copy.dir.file("nope"), reason: "no such directory"))
    }

    @Test func clsPoolingFromSentenceTransformersConfig() throws {
        let copy = try Copy(); defer { copy.dir.cleanup() }
        try copy.write(copy.weights.map { ($0.name, $0.tensor) })
        copy.dir.write("1_Pooling/config.json", "{\"pooling_mode_cls_token\": true, \"pooling_mode_mean_tokens\": false}")
        copy.dir.write("modules.json", "[{\"idx\": 1, \"name\": \"1\", \"path\": \"1_Pooling\", \"type\": \"sentence_transformers.models.Pooling\"}]")
        #expect(try copy.load().pipeline == SentenceTransformersConfig(pooling: .cls, normalize: false, fromModules: true))
    }

    @Test func f32WeightsAreReadInPlaceFromTheMappingAndCountedAsMapped() throws {
        let loaded = try HuggingFaceModel.loadEncoder(directory: BertFixtures.tinyModel)
        let memory = loaded.memory()
        let tables = loaded.encoder.layerListing.reduce(0) { $0 + 4 * $1.shape.reduce(1, *) }
        #expect(memory.borrowedBytes == tables, "embedding tables and linear weights are views of the file")
        #expect(memory.mappedBytes == loaded.weightFileBytes && memory.mappedBytes > memory.borrowedBytes)
        let packed = loaded.encoder.weightMemory.packedBytes
        #expect(packed > 0 && memory.copiedBytes >= packed)
        #expect(memory.residentMappedBytes < memory.mappedBytes, "loading leaves the validated pages out of the resident set")
        // Reading the weights in place gives the reference embeddings, and pages them in.
        let a = try referencePooled(loaded), b = try BertFixtures.reference("tiny-bert-reference.safetensors").pooled
        for r in 0..<a.rows { #expect(BertFixtures.cosine(a.row(r), b.row(r)) > 0.99999) }
        let after = loaded.memory().residentMappedBytes
        #expect(after > 0 && after <= memory.mappedBytes)
    }
}
