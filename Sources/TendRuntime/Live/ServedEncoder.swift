import Foundation
import TendCore
import TendEngine
import TendInterop
import TendMetrics
import TendTensor

/// One request's work apart from its wall time: what the serving loop reports besides latency.
public struct TextRequestWork: Sendable, Equatable {
    /// Time spent turning the texts into token ids, nanoseconds (part of the request's latency).
    public var tokenizeNanos: UInt64
    /// Real tokens encoded, [CLS] and [SEP] included, padding not.
    public var tokens: Int
    /// Texts cut to the maximum length.
    public var truncated: Int
    public init(tokenizeNanos: UInt64, tokens: Int, truncated: Int) {
        self.tokenizeNanos = tokenizeNanos; self.tokens = tokens; self.truncated = truncated
    }
}

/// What the text-serving loop serves: texts in, one request at a time, on the serving thread only.
public protocol TextRequestModel: AnyObject {
    /// Tokenizes and encodes `texts` as one request (padded to its longest). Throws when the request fails.
    func serve(_ texts: [String]) throws -> TextRequestWork
}

/// The transformer as the dashboard serves it: a Hugging Face BERT-family directory's tokenizer, encoder,
/// pooling and normalisation. The one place the serving wiring calls the encoder (through its public
/// `encode` and listings), so a change to the encoder's API (the `Model` protocol, memory-mapped weights)
/// touches only this file. Owns the encoder's workspaces: one thread at a time.
public final class ServedEncoder: TextRequestModel {
    public let directory: String
    /// The directory's last component, e.g. `all-MiniLM-L6-v2`.
    public let name: String
    /// Tokens per text, [CLS] and [SEP] included.
    public let maxLength: Int
    /// The embeddings and the linear layers with shapes, parameters, sparsity and bits per weight.
    public let layers: [LayerStat]
    /// Where the weights live now (resident pages of the mapping change as requests touch them).
    public var memory: ServedModelMemory { ServedModelMemory(loaded) }
    public let parameterCount: Int
    /// e.g. `BERT 6 layers, hidden 384, 12 heads`.
    public let summary: String
    /// How the weights were stored (`F32`, `F16+F32`, …).
    public let storedDType: String
    private let tokenizer: WordPieceTokenizer
    private let encoder: BertEncoder
    private let loaded: LoadedEncoder
    private var output = Tensor.empty

    /// Longest sequence served by default: the model's limit capped at 128 tokens.
    public static let defaultServingLength = 128

    /// Loads `directory`; `maxLength` nil: the model's max_seq_length (else its positions) capped at 128.
    /// Errors are the loader's typed ones (`HuggingFaceModelError`), naming the file and tensor.
    public init(directory: String, maxLength: Int? = nil) throws {
        let loaded = try HuggingFaceModel.loadEncoder(directory: directory)
        tokenizer = try TokenizerFiles.load(directory: loaded.directory)
        encoder = loaded.encoder
        self.loaded = loaded
        self.directory = loaded.directory
        name = (loaded.directory as NSString).lastPathComponent
        let config = loaded.encoder.config
        let modelLimit = min(loaded.pipeline.maxSequenceLength ?? config.maxPositions, config.maxPositions)
        self.maxLength = min(maxLength ?? min(modelLimit, Self.defaultServingLength), config.maxPositions)
        parameterCount = loaded.encoder.parameterCount
        layers = Self.layerStats(loaded.encoder)
        storedDType = loaded.storedDType.uppercased()
        summary = "BERT \(config.layers) layers, hidden \(config.hiddenSize), \(config.attentionHeads) heads, "
            + "\(loaded.encoder.pooling.rawValue) pooling"
    }

    public func serve(_ texts: [String]) throws -> TextRequestWork {
        let start = SystemClock.nanos()
        let tokens = tokenizer.encodeBatch(texts, maxLength: maxLength)
        let tokenized = SystemClock.nanos()
        try encoder.encode(EncoderBatch(tokens), into: &output)
        return TextRequestWork(tokenizeNanos: tokenized - start, tokens: tokens.lengths.reduce(0, +), truncated: tokens.truncatedCount)
    }

    /// The layers panel's rows: each embedding table (its weight) and each linear layer (weight and bias),
    /// in model order; sparsity counts exact zeros; 32 bits per weight (the encoder computes in f32).
    static func layerStats(_ encoder: BertEncoder) -> [LayerStat] {
        var tensors: [String: Tensor] = [:]
        for p in encoder.namedParameters { tensors[p.name] = p.tensor }
        return encoder.layerListing.map { l in
            let parts = [tensors[l.name + ".weight"], tensors[l.name + ".bias"]].compactMap { $0 }
            let zeros = parts.reduce(0) { n, t in n + t.storage.withUnsafeBufferPointer { b in b.reduce(0) { $0 + ($1 == 0 ? 1 : 0) } } }
            return LayerStat(name: l.name, shape: l.shape, parameters: l.parameters,
                             sparsity: Double(zeros) / Double(max(l.parameters, 1)), bitsPerWeight: 32)
        }
    }
}

/// Where the served model's weights live, in bytes: resident in the process (copies, packed panels and the
/// mapping's resident pages) and memory-mapped from the weight files (`ModelMemory` of the loader).
public struct ServedModelMemory: Sendable, Equatable {
    public var residentBytes: Int
    public var mappedBytes: Int
    /// Bytes of the weight files on disk.
    public var fileBytes: Int

    public init(residentBytes: Int, mappedBytes: Int, fileBytes: Int) {
        self.residentBytes = residentBytes; self.mappedBytes = mappedBytes; self.fileBytes = fileBytes
    }

    init(_ loaded: LoadedEncoder) {
        let m = loaded.memory()
        self.init(residentBytes: m.residentBytes, mappedBytes: m.mappedBytes, fileBytes: loaded.weightFileBytes)
    }
}
