/// The six panels of the live dashboard, in reading order (the order of `tab` and of the keys `1`–`6`).
public enum DashboardPanel: Int, Sendable, CaseIterable, Hashable {
    case loss, accuracy, latency, memory, layers, events

    /// The title on the panel's border.
    public var title: String {
        switch self {
        case .loss: return "Loss"
        case .accuracy: return "Accuracy"
        case .latency: return "Latency"
        case .memory: return "Memory & CPU"
        case .layers: return "Layers"
        case .events: return "Events"
        }
    }

    /// The digit that zooms this panel (`1`–`6`).
    public var number: Int { rawValue + 1 }

    /// The panel zoomed by digit `n` (1–6), or nil.
    public init?(number n: Int) { self.init(rawValue: n - 1) }
}
