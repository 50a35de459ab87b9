import TendCore

/// What the dashboard shows about a model it serves but does not train (a transformer from `--model DIR`):
/// published once by the serving wiring as a snapshot attachment under `ServedModelCard.key`.
public struct ServedModelCard: Sendable, Equatable {
    public static let key = "served-model"
    /// The model directory's name, e.g. `all-MiniLM-L6-v2`.
    public var name: String
    /// Family and size in a few words, e.g. `BERT 6 layers, hidden 384`.
    public var summary: String
    /// The CSV served and its text column.
    public var dataPath: String
    public var textColumn: String
    public var textCount: Int
    /// Texts per request.
    public var batchSize: Int
    /// Requests per second asked for; nil: closed loop.
    public var rate: Double?
    /// Tokens per text, [CLS] and [SEP] included.
    public var maxLength: Int
    /// How the weights were stored on disk (`F32`, `F16`, …); the encoder computes in f32.
    public var storedDType: String
    /// Bytes of the weight files on disk.
    public var fileBytes: Int

    public init(name: String, summary: String, dataPath: String, textColumn: String, textCount: Int, batchSize: Int,
                rate: Double?, maxLength: Int, storedDType: String, fileBytes: Int = 0) {
        self.name = name; self.summary = summary; self.dataPath = dataPath; self.textColumn = textColumn
        self.textCount = textCount; self.batchSize = batchSize; self.rate = rate; self.maxLength = maxLength
        self.storedDType = storedDType; self.fileBytes = fileBytes
    }
}

extension MetricKey {
    /// Gauge: median tokenization time per request over the last 10 s, µs (part of the request latency).
    public static let serveTokenizeP50: MetricKey = "serve/tokenize_p50_us"
    /// Gauge: 99th percentile of the tokenization time per request over the last 10 s, µs.
    public static let serveTokenizeP99: MetricKey = "serve/tokenize_p99_us"
    /// Gauge: fraction (0…1) of the request time spent tokenizing over the last 10 s.
    public static let serveTokenizeShare: MetricKey = "serve/tokenize_share"
    /// Gauge: real tokens (no padding) encoded per second, over the last second.
    public static let serveTokensPerSecond: MetricKey = "serve/tokens_per_s"
    /// Gauge: requests answered per second, over the last second (also a series under the same key).
    public static let serveRequestsPerSecond: MetricKey = "serve/requests_per_s"
    /// Gauge: requests answered and requests failed since the start (counts).
    public static let serveRequests: MetricKey = "serve/requests"
    public static let serveFailed: MetricKey = "serve/failed"
    /// Gauge: texts cut to the maximum length since the start.
    public static let serveTruncated: MetricKey = "serve/truncated"
    /// Gauge: bytes of the weights in the process's own memory (copied or converted from the file).
    public static let modelBytesResident: MetricKey = "model/bytes_resident"
    /// Gauge: bytes of the weights served straight from the memory-mapped file (the page cache's, shared).
    public static let modelBytesMapped: MetricKey = "model/bytes_mapped"
}
