/// One run of a logdir: a directory holding `events.out.tfevents.*` files. `name` is its path relative
/// to the logdir root ("." for the root itself).
public struct RunData: Sendable {
    public var name: String
    public var path: String
    /// Event files, in name order (the order they are followed).
    public var files: [String]
    public var tags: [String: TagSeries]
    /// Bytes of the run's files read so far, and their total size at the last look.
    public var bytesRead: Int
    public var bytesKnown: Int

    public init(name: String, path: String, files: [String] = [], tags: [String: TagSeries] = [:], bytesRead: Int = 0, bytesKnown: Int = 0) {
        self.name = name; self.path = path; self.files = files; self.tags = tags; self.bytesRead = bytesRead; self.bytesKnown = bytesKnown
    }

    /// Tag names, sorted.
    public var tagNames: [String] { tags.keys.sorted() }
    /// True when every byte known of the run's files has been read.
    public var isLoaded: Bool { bytesRead >= bytesKnown }
}

/// How far a `LogdirWatcher` has got. `bytesKnown` is the size of all event files at the last look.
public struct LoadProgress: Sendable, Equatable {
    public var runs = 0
    public var runsLoaded = 0
    public var files = 0
    public var bytesRead = 0
    public var bytesKnown = 0
    /// Fraction of known bytes read, 0...1 (1 when there is nothing to read).
    public var fraction: Double { bytesKnown == 0 ? 1 : min(1, Double(bytesRead) / Double(bytesKnown)) }
    public init() {}
}

/// A value copy of everything a `LogdirWatcher` has read: runs (sorted by name) → tags → series.
/// `version` grows with every change, so equal versions mean nothing new.
public struct LogdirSnapshot: Sendable {
    public var root: String
    public var version: UInt64
    public var runs: [RunData]
    public var progress: LoadProgress
    /// Problems met so far (bad CRCs, undecodable records), oldest first.
    public var warnings: [TensorBoardWarning]

    public init(root: String, version: UInt64 = 0, runs: [RunData] = [], progress: LoadProgress = LoadProgress(),
                warnings: [TensorBoardWarning] = []) {
        self.root = root; self.version = version; self.runs = runs; self.progress = progress; self.warnings = warnings
    }

    public func run(_ name: String) -> RunData? { runs.first { $0.name == name } }
}
