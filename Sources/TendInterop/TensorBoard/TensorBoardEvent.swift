/// One decoded `Event` record of a TensorBoard event file.
/// `wallTime` is Unix seconds; `fileVersion` is set only on a file's first record ("brain.Event:2").
public struct TensorBoardEvent: Sendable, Equatable {
    public var wallTime: Double
    public var step: Int64
    public var fileVersion: String?
    /// The summary values; empty for non-summary events (graphs, session logs, ...).
    public var values: [SummaryValue]

    public init(wallTime: Double, step: Int64, fileVersion: String? = nil, values: [SummaryValue] = []) {
        self.wallTime = wallTime; self.step = step; self.fileVersion = fileVersion; self.values = values
    }
}

/// One `Summary.Value`: a tag and what it holds.
/// `plugin` is `metadata.plugin_data.plugin_name` when the writer included it (often only on a tag's first value).
public struct SummaryValue: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        case scalar(Double)
        case histogram(TensorBoardHistogram)
        /// A text summary (DT_STRING tensor), one string per element.
        case text([String])
        /// Data of a plugin Tend does not read (images, audio, graphs, PR curves, ...); `kind` says which.
        case skipped(kind: String)
    }

    public var tag: String
    public var plugin: String?
    public var content: Content

    public init(tag: String, plugin: String? = nil, content: Content) {
        self.tag = tag; self.plugin = plugin; self.content = content
    }
}
