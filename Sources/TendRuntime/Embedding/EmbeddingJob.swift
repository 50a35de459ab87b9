import Foundation
import TendEngine
import TendInterop
import TendMetrics

/// One `tend embed` run: texts (given, or a CSV column) through a Hugging Face BERT-family directory's
/// tokenizer, encoder, pooling and normalisation. Plain values in, an `EmbeddingReport` out.
public struct EmbeddingJob: Sendable {
    public var model: String
    public var texts: [String]
    /// A CSV file whose `textColumn` holds the texts (instead of `texts`).
    public var data: String?
    public var textColumn = "text"
    /// Tokens per text with [CLS] and [SEP]; nil: the model's max_seq_length, else its positions.
    public var maxLength: Int?
    public var similarity = false
    /// A dynamic int8 file of this model (`tend quantize --model DIR`): its linear layers run on int8 kernels.
    public var int8: String?
    /// `TEND_INT8_KERNEL`'s value (nil: the best kernel).
    public var kernelOverride: String?

    public init(model: String, texts: [String], data: String? = nil, textColumn: String = "text",
                maxLength: Int? = nil, similarity: Bool = false, int8: String? = nil, kernelOverride: String? = nil) {
        self.model = model; self.texts = texts; self.data = data; self.textColumn = textColumn
        self.maxLength = maxLength; self.similarity = similarity; self.int8 = int8; self.kernelOverride = kernelOverride
    }

    /// Loads the model and the texts and embeds them. Errors name the file, column or text.
    public func run() throws -> EmbeddingReport {
        var inputs = texts
        if let data {
            inputs = try CSVTextTable.load(path: data).column(named: textColumn, allowEmpty: false)
        } else if let i = inputs.firstIndex(where: { $0.allSatisfy(\.isWhitespace) }) {
            throw OptionError.emptyText(index: i)
        }
        let loaded = try HuggingFaceModel.loadEncoder(directory: model)
        let tokenizer = try TokenizerFiles.load(directory: loaded.directory)
        let kernel = try int8.map { path in try Self.installInt8(path, on: loaded.encoder, kernelOverride: kernelOverride) }
        let config = loaded.encoder.config
        let length = min(maxLength ?? loaded.pipeline.maxSequenceLength ?? config.maxPositions, config.maxPositions)
        let result = try SentenceEmbedder(tokenizer: tokenizer, encoder: loaded.encoder).embed(inputs, maxLength: length)
        return EmbeddingReport(model: loaded.directory, dimension: config.hiddenSize, pooling: loaded.encoder.pooling.rawValue,
                               normalized: loaded.encoder.normalize, max_length: length, truncated: result.truncatedCount,
                               items: inputs.indices.map {
                                   .init(text: inputs[$0], token_ids: result.tokenIDs[$0], embedding: result.vectors.row($0))
                               },
                               similarity: similarity ? SentenceEmbedder.cosineMatrix(result.vectors) : nil,
                               memory: EmbeddingReport.Memory(loaded.memory()), int8: int8, kernel: kernel?.description)
    }

    /// Runs `encoder`'s linear layers on the int8 layers stored at `path` (checked against it), on the kernel
    /// `kernelOverride` (`TEND_INT8_KERNEL`) forces or the best one; returns that kernel.
    public static func installInt8(_ path: String, on encoder: BertEncoder, kernelOverride: String?) throws -> Int8Kernel {
        let kernel: Int8Kernel
        kernel = try Int8Kernel.forcedOrBest(kernelOverride)
        let model = BertModel(encoder: encoder)
        model.installInt8(try DynamicInt8File.load(path, for: model, kernel: kernel))
        return kernel
    }
}

/// What `tend embed --json` prints: the model, and per text its token ids and embedding.
public struct EmbeddingReport: Encodable, Sendable {
    public struct Item: Encodable, Sendable { public var text: String; public var token_ids: [Int32]; public var embedding: [Float] }
    public var model: String
    public var dimension: Int
    public var pooling: String
    public var normalized: Bool
    public var max_length: Int
    public var truncated: Int
    public var items: [Item]
    /// Cosine similarity between every pair of texts, when asked for.
    public var similarity: [[Double]]?
    /// Where the weights live after embedding, and the process's RSS then.
    public var memory: Memory?
    /// The int8 file whose layers ran, and the CInt8 kernel (nil for fp32).
    public var int8: String? = nil
    public var kernel: String? = nil

    /// `ModelMemory` in bytes plus `/proc/self/status` VmRSS / VmHWM (nil where not readable).
    public struct Memory: Encodable, Sendable {
        public var mapped_bytes: Int
        public var resident_mapped_bytes: Int
        public var borrowed_bytes: Int
        public var copied_bytes: Int
        public var process_rss_bytes: UInt64?
        public var process_peak_rss_bytes: UInt64?

        public init(_ m: ModelMemory) {
            mapped_bytes = m.mappedBytes; resident_mapped_bytes = m.residentMappedBytes
            borrowed_bytes = m.borrowedBytes; copied_bytes = m.copiedBytes
            let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)).flatMap { try? ProcessSampler.parseStatus($0) }
            process_rss_bytes = status?.rssBytes
            process_peak_rss_bytes = status?.peakRSSBytes
        }
    }

    /// The human listing: one line per text (token count, the embedding's first values), then the matrix.
    public var table: String {
        let precision = int8.map { " (linear layers int8 from \($0), kernel \(kernel ?? "?"))" } ?? ""
        var lines = ["\(model)\(precision): dimension \(dimension), \(pooling) pooling\(normalized ? ", L2-normalised" : "")"]
        for (i, item) in items.enumerated() {
            let head = item.embedding.prefix(6).map { String(format: "%+.4f", $0) }.joined(separator: " ")
            lines.append("\(i + 1)\t\(item.token_ids.count) tokens\t[\(head) …]\t\(item.text.prefix(60))")
        }
        if let similarity {
            lines.append("cosine similarity:")
            for (i, row) in similarity.enumerated() { lines.append("\(i + 1)\t" + row.map { String(format: "%.4f", $0) }.joined(separator: "  ")) }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
