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
    /// Bytes of the weight files (mapped for the encoder's life; f32 tensors are read in place).
    public var weightFileBytes: Int
    /// The mapped weight files (kept open: the encoder's f32 weights live in them).
    public var shards: SafetensorsShards
    /// The dtype the weights were stored in (the encoder computes in f32).
    public var storedDType: String

    /// The encoder as a `Model` (the bert family), sharing its weights.
    public func model() -> BertModel { BertModel(encoder: encoder) }

    /// Mapped, resident and copied weight bytes now.
    public func memory() -> ModelMemory {
        let m = encoder.weightMemory
        return ModelMemory(mappedBytes: shards.mappedBytes, residentMappedBytes: shards.files.reduce(0) { $0 + $1.residentMappedBytes },
                           borrowedBytes: m.borrowedBytes, copiedBytes: m.ownedBytes + m.packedBytes)
    }
}

/// Loads Hugging Face model directories into engine models.
public enum HuggingFaceModel {
    /// Element types of weights that load (converted to f32 when not f32).
    public static let supportedDTypes: [SafetensorsDType] = [.f32, .f16, .bf16]

    /// Reads `config.json`, the safetensors weights (names with or without `bert.`), and the
    /// sentence-transformers pooling files of `directory`. The weight files are memory-mapped for the encoder's
    /// life: f32 embedding tables and linear weights are read in place (no copy); f16/bf16 are converted once
    /// into the encoder's own storage, as are biases and LayerNorm parameters. Checks shapes against the config and, when
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
        /// Borrowed tensors of each encoder layer (file, name in file), to release after packing.
        var borrowedByLayer: [Int: [(SafetensorsFile, String)]] = [:]
        for (name, shape) in encoder.expectedShapes {
            guard let (file, info) = shards.locate(name) ?? shards.locate("bert." + name) else {
                throw .missingWeight(path: shards.files.count == 1 ? shards.files[0].path : dir + "/model.safetensors.index.json", tensor: name)
            }
            guard supportedDTypes.contains(info.dtype) else {
                throw .unsupportedDType(path: file.path, tensor: info.name, dtype: info.dtype.rawValue, supported: supportedDTypes.map(\.rawValue))
            }
            guard info.shape == shape else { throw .wrongShape(path: file.path, tensor: info.name, expected: shape, found: info.shape) }
            do {
                if let borrowed = try file.borrowedFloats(info.name) {
                    // f32 little-endian, aligned: read in place from the mapping, no copy.
                    guard borrowed.withUnsafeBufferPointer({ $0.allSatisfy { $0.isFinite } }) else {
                        throw HuggingFaceModelError.invalidConfig(path: file.path, reason: "weight \"\(info.name)\" holds NaN or infinite values")
                    }
                    encoder.setParameter(name, storage: borrowed)
                    // Validation read its pages: drop them (they stay in the page cache) so loading never holds the
                    // whole file resident.
                    file.releaseResidentPages(of: info.name)
                    if let layer = BertModel.layerIndex(name) { borrowedByLayer[layer, default: []].append((file, info.name)) }
                } else {
                    // Another dtype (or unaligned data): converted once into the encoder's own storage.
                    let tensor = try file.floatTensor(info.name)
                    if !tensor.storage.allSatisfy({ $0.isFinite }) {
                        throw HuggingFaceModelError.invalidConfig(path: file.path, reason: "weight \"\(info.name)\" holds NaN or infinite values")
                    }
                    encoder.setParameter(name, tensor)
                }
            }
            catch let error as HuggingFaceModelError { throw error }
            catch let error as SafetensorsError { throw .corruptWeights(error) }
            catch { throw .unreadable(path: file.path, reason: "\(error)") }
            dtypes.insert(info.dtype.rawValue)
        }
        // Packing reads a layer's weights; drop their pages after each layer (they stay in the page cache):
        // serving touches only what it reads (the embedding rows of its tokens, above 64 rows sgemm's weights).
        for layer in 0..<config.layers {
            encoder.weightsDidChange(layer: layer)
            for (file, name) in borrowedByLayer[layer] ?? [] { file.releaseResidentPages(of: name) }
        }
        for file in shards.files { file.releaseResidentPages() }
        return LoadedEncoder(directory: dir, encoder: encoder, pipeline: pipeline, weightFiles: shards.files.map(\.path),
                             weightFileBytes: shards.mappedBytes, shards: shards, storedDType: dtypes.sorted().joined(separator: "+"))
    }
}
