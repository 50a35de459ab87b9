import TendCore
import TendMetrics

/// The quantization screen's toggles and selection. `layers` mirrors the newest published preview's layer
/// names and worst SQNR (the executable copies them in with `syncLayers(from:)` so `k` knows the selection).
public struct QuantizationScreenState: Sendable, Equatable {
    public var perChannel = true
    public var symmetric = true
    /// One of `calibrationMethods`.
    public var calibration = "minmax"
    /// Layers kept in fp32.
    public var keepFP32: [String] = []
    /// Row of the layer table that `↑/↓` moves and `k` acts on.
    public var selected = 0
    public var layers: [QuantizationPreview.Layer.Summary] = []
    /// `k` keeps a layer in fp32 only when its worst SQNR (weights or activations) is below this (dB); a kept layer can always go back.
    public var sqnrThresholdDB = 30.0

    public static let calibrationMethods = ["minmax", "percentile", "mse"]

    public init() {}

    /// The scheme as the engine command wants it.
    var previewCommand: EngineCommand {
        .previewQuantize(perChannel: perChannel, symmetric: symmetric, calibration: calibration, keepFP32: keepFP32)
    }
    var serveCommand: EngineCommand {
        .serveQuantized(perChannel: perChannel, symmetric: symmetric, calibration: calibration, keepFP32: keepFP32)
    }

    /// Whether `k` does something on the selected row.
    public var canToggleKeep: Bool {
        guard layers.indices.contains(selected) else { return false }
        let l = layers[selected]
        return keepFP32.contains(l.name) || l.sqnrDB < sqnrThresholdDB
    }

    /// Copies layer names and SQNR from `preview` (keeps the selection in range).
    public mutating func syncLayers(from preview: QuantizationPreview?) {
        guard let preview else { return }
        let summary = preview.layers.map(\.summary)
        if summary != layers { layers = summary }
        if !layers.isEmpty { selected = min(selected, layers.count - 1) }
    }
}
