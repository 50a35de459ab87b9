/// One run of a watched logdir as the watch screen sees it: its scalar tags as chart-ready tracks and
/// the health verdicts of the scalar rules that fired on it. `name` is the run's directory relative to
/// the logdir ("." for the logdir itself).
public struct WatchedRun: Sendable, Equatable {
    public var name: String
    public var tracks: [String: ScalarTrack]
    /// Tags holding only histograms, text or plugins Tend does not chart.
    public var otherTags: Int
    /// Firing alerts of the scalar rules (NaN/Inf, divergence, plateau, overfitting), most severe first.
    public var alerts: [AlertEvaluation]
    /// True once every byte known of the run's files has been read.
    public var isLoaded: Bool

    public init(name: String, tracks: [String: ScalarTrack] = [:], otherTags: Int = 0, alerts: [AlertEvaluation] = [],
                isLoaded: Bool = false) {
        self.name = name; self.tracks = tracks; self.otherTags = otherTags; self.alerts = alerts; self.isLoaded = isLoaded
    }

    /// The worst severity firing, nil when healthy.
    public var worstAlert: Severity? { alerts.map(\.severity).max() }
}

/// How far loading a logdir has got: runs found and fully read, bytes read of the bytes known.
public struct WatchProgress: Sendable, Equatable {
    public var runs: Int
    public var runsLoaded: Int
    public var bytesRead: Int
    public var bytesKnown: Int
    public init(runs: Int = 0, runsLoaded: Int = 0, bytesRead: Int = 0, bytesKnown: Int = 0) {
        self.runs = runs; self.runsLoaded = runsLoaded; self.bytesRead = bytesRead; self.bytesKnown = bytesKnown
    }
    /// True when every known run is read to its end.
    public var isComplete: Bool { runsLoaded >= runs && bytesRead >= bytesKnown }
}

/// A value copy of a watched logdir, taken by the watch screen once per frame: runs sorted by name, the
/// union of their scalar tags, loading progress and the tailing warnings (bad CRCs, undecodable records).
/// `version` grows with every change, so equal versions mean nothing to redraw.
public struct RunsSnapshot: Sendable {
    public var root: String
    public var version: UInt64
    public var runs: [WatchedRun]
    /// Every scalar tag of any run, sorted.
    public var tags: [String]
    public var progress: WatchProgress
    /// Newest warnings, oldest first (bounded), and how many there were in all.
    public var warnings: [String]
    public var warningsTotal: Int

    public init(root: String, version: UInt64 = 0, runs: [WatchedRun] = [], tags: [String]? = nil,
                progress: WatchProgress = WatchProgress(), warnings: [String] = [], warningsTotal: Int? = nil) {
        self.root = root; self.version = version; self.runs = runs
        self.tags = tags ?? Array(Set(runs.flatMap { $0.tracks.keys })).sorted()
        self.progress = progress; self.warnings = warnings; self.warningsTotal = warningsTotal ?? warnings.count
    }

    public func run(_ name: String) -> WatchedRun? { runs.first { $0.name == name } }
}
