import TendCore
import TendMetrics
import TendUI

/// The panels' figures while the dashboard serves a model without training it: the served model and data,
/// tokenization's part of the latency, throughput in tokens and requests, failures, and where the weights
/// live. Built from a snapshot's `ServedModelCard` attachment and the serving gauges; nil without the card.
public struct ServingPanelModel: Sendable, Equatable {
    public var card: ServedModelCard
    /// Tokenization per request (µs), nil until the first report.
    public var tokenizeP50: Double?, tokenizeP99: Double?
    /// Fraction 0…1 of the request time spent tokenizing.
    public var tokenizeShare: Double?
    public var tokensPerSecond: Double?
    public var requestsPerSecond: Double?
    public var requests: Int
    public var failed: Int
    public var truncated: Int
    /// Bytes of weights: in the process's memory, and mapped from the file.
    public var residentBytes: Double?
    public var mappedBytes: Double?

    public init?(_ snapshot: MetricsSnapshot) {
        guard let card = snapshot.attachment(ServedModelCard.key, as: ServedModelCard.self) else { return nil }
        self.card = card
        let g = snapshot.gauges
        tokenizeP50 = g[.serveTokenizeP50]; tokenizeP99 = g[.serveTokenizeP99]; tokenizeShare = g[.serveTokenizeShare]
        tokensPerSecond = g[.serveTokensPerSecond]; requestsPerSecond = g[.serveRequestsPerSecond]
        requests = Int(g[.serveRequests] ?? 0); failed = Int(g[.serveFailed] ?? 0); truncated = Int(g[.serveTruncated] ?? 0)
        residentBytes = g[.modelBytesResident]; mappedBytes = g[.modelBytesMapped]
    }

    /// The line the loss and accuracy panels show instead of curves: nothing is trained.
    public var notTrainingText: String { "serving \(card.name), not training" }

    /// How requests are generated, e.g. `batch 1, closed loop` or `batch 4, 20 req/s`.
    public var loadText: String {
        "batch \(card.batchSize), " + (card.rate.map { NumberFormat.compact($0) + " req/s asked" } ?? "closed loop")
    }
}
