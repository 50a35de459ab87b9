import TendEngine
import TendTensor

/// A BERT-family encoder loaded from a Hugging Face model directory, with what was read to build it.
public struct LoadedEncoder {
    public var directory: String
    public var encoder: BertEncoder
    /// sentence-transformers pooling / normalisation (mean, no normalisation without modules.json).
    public var pipeline: SentenceTransformersConfig
    /// Weight files as read (one, or the shards).
    public var weightFiles: [String]
    /// Bytes of the weight files (mapped while loading; the encoder keeps Float copies, see `loadEncoder`).
    public var weightFileBytes: Int
    /// The dtype the weights were stored in (the encoder computes in f32).
    public var storedDType: String

    /// The encoder as a `Model` (the bert family), sharing its weights.
    public func model() -> BertModel { BertModel(encoder: encoder) }
}

/// Loads Hugging Face model directories into engine models.
public enum HuggingFaceModel {
    /// Element types of weights that load (converted to f32 when not f32).
    public static let supportedDTypes: [SafetensorsDType] = [.f32, .f16, .bf16]

    /// Reads `config.json`, the safetensors weights (names with or without `bert.`), and the
    /// sentence-transformers pooling files of `directory`. The weight files are memory-mapped and each
    /// tensor is copied once into the encoder's Float storage (`Tensor` owns an `Array`), f16/bf16
    /// converted on that copy; nothing else is read. Checks shapes against the config and, when
    /// `vocab.txt` exists, its entry count against `vocab_size`.
    public static func loadEncoder(directory: String) throws(HuggingFaceModelError) -> LoadedEncoder {
        var dir = directory
        while dir.count > 1 && dir.hasSuffix("/") { dir.removeLast() }
        guard ModelDirectoryFiles.isDirectory(dir) else {
            if ModelDirectoryFiles.exists(dir) { throw .notADirectory(path: dir) }
            throw .unreadable(path: dir, reason: "no such directory")
        }
        let configPath = dir + "/config.json"
        guard ModelDirectoryFiles.exists(configPath) else { throw .noConfig(directory: dir) }
        let config = try BertConfigFile.load(configPath)
        let vocabPath = dir + "/vocab.txt"
        if ModelDirectoryFiles.exists(vocabPath) {
            let n = try ModelDirectoryFiles.lines(vocabPath).count
            if n != config.vocabularySize {
                throw .vocabularyMismatch(path: vocabPath, entries: n, configPath: configPath, vocabularySize: config.vocabularySize)
            }
        }
        let pipeline = try SentenceTransformersConfig.load(directory: dir)
        let shards = try SafetensorsShards(directory: dir)
        let encoder = BertEncoder(config: config, pooling: pipeline.pooling, normalize: pipeline.normalize)
        var dtypes = Set<String>()
        for (name, shape) in encoder.expectedShapes {
            guard let (file, info) = shards.locate(name) ?? shards.locate("bert." + name) else {
                throw .missingWeight(path: shards.files.count == 1 ? shards.files[0].path : dir + "/model.safetensors.index.json", tensor: name)
            }
            guard supportedDTypes.contains(info.dtype) else {
                throw .unsupportedDType(path: file.path, tensor: info.name, dtype: info.dtype.rawValue, supported: supportedDTypes.map(\.rawValue))
            }
            guard info.shape == shape else { throw .wrongShape(path: file.path, tensor: info.name, expected: shape, found: info.shape) }
            let tensor: Tensor
            do { tensor = try file.floatTensor(info.name) }
            catch let error as SafetensorsError { throw .corruptWeights(error) }
            catch { throw .unreadable(path: file.path, reason: "\(error)") }
            if !tensor.storage.allSatisfy({ $0.isFinite }) {
                throw .invalidConfig(path: file.path, reason: "weight \"\(info.name)\" holds NaN or infinite values")
            }
            encoder.setParameter(name, tensor)
            dtypes.insert(info.dtype.rawValue)
        }
        encoder.weightsDidChange()
        return LoadedEncoder(directory: dir, encoder: encoder, pipeline: pipeline, weightFiles: shards.files.map(\.path),
                             weightFileBytes: shards.mappedBytes, storedDType: dtypes.sorted().joined(separator: "+"))
    }
}
