import TendMetrics

/// One scalar of a tag: `step` as written, `wallTime` Unix seconds.
public struct ScalarPoint: Sendable, Equatable {
    public var step: Int64
    public var wallTime: Double
    public var value: Double
    public init(step: Int64, wallTime: Double, value: Double) { self.step = step; self.wallTime = wallTime; self.value = value }
}

/// One histogram of a tag at a step.
public struct HistogramPoint: Sendable, Equatable {
    public var step: Int64
    public var wallTime: Double
    public var histogram: TensorBoardHistogram
}

/// One text summary of a tag at a step.
public struct TextPoint: Sendable, Equatable {
    public var step: Int64
    public var wallTime: Double
    public var text: [String]
}

/// Everything read for one tag of one run, in file order. When more than `capacity` points of a kind
/// arrive, every other stored point is dropped and only every `stride`-th new one is kept (uniform
/// thinning, like a RingSeries' history); `latestScalar` and `scalarCount` always reflect every point.
public struct TagSeries: Sendable {
    public let tag: String
    /// The plugin named in the tag's metadata ("scalars", "histograms", "text", ...), if any writer gave one.
    public internal(set) var plugin: String?
    public private(set) var scalars: [ScalarPoint] = []
    public private(set) var histograms: [HistogramPoint] = []
    public private(set) var texts: [TextPoint] = []
    /// The newest scalar read (even if thinned out of `scalars`).
    public private(set) var latestScalar: ScalarPoint?
    /// Scalars read in all.
    public private(set) var scalarCount = 0
    /// Values of plugins Tend does not read (images, audio, ...).
    public internal(set) var skippedCount = 0
    public let capacity: Int
    private var scalarStride = 1
    private var histogramStride = 1
    private var histogramCount = 0

    public init(tag: String, capacity: Int = 4096) {
        precondition(capacity >= 2, "TagSeries capacity must be at least 2")
        self.tag = tag
        self.capacity = capacity
    }

    public mutating func append(_ p: ScalarPoint) {
        latestScalar = p
        defer { scalarCount += 1 }
        guard scalarCount % scalarStride == 0 else { return }
        scalars.append(p)
        if scalars.count >= capacity {
            scalars = stride(from: 0, to: scalars.count, by: 2).map { scalars[$0] }
            scalarStride *= 2
        }
    }

    public mutating func append(_ h: HistogramPoint) {
        defer { histogramCount += 1 }
        guard histogramCount % histogramStride == 0 else { return }
        histograms.append(h)
        if histograms.count >= capacity {
            histograms = stride(from: 0, to: histograms.count, by: 2).map { histograms[$0] }
            histogramStride *= 2
        }
    }

    public mutating func append(_ t: TextPoint) {
        texts.append(t)
        if texts.count > capacity { texts.removeFirst(texts.count - capacity) }
    }

    /// Appends everything of `newer` (the same tag, read later).
    mutating func merge(_ newer: TagSeries) {
        if plugin == nil { plugin = newer.plugin }
        skippedCount += newer.skippedCount
        if scalarStride == 1 && scalars.count + newer.scalars.count < capacity && newer.scalarCount == newer.scalars.count {
            scalars.append(contentsOf: newer.scalars)
            scalarCount += newer.scalarCount
            if let l = newer.latestScalar { latestScalar = l }
        } else {
            for p in newer.scalars { append(p) }
        }
        for h in newer.histograms { append(h) }
        for t in newer.texts { append(t) }
    }

    /// The scalars as chart points (x = step, y = value).
    public var seriesPoints: [SeriesPoint] {
        scalars.map { SeriesPoint(x: Double($0.step), y: $0.value, wallTime: $0.wallTime) }
    }

    /// The scalars in a `RingSeries` of `capacity` points, for TendMetrics/TendDashboard charts.
    public func ringSeries(capacity: Int = 4096) -> RingSeries {
        var r = RingSeries(capacity: capacity)
        for p in scalars { r.append(step: Int(p.step), value: p.value, wallTime: p.wallTime) }
        return r
    }
}
