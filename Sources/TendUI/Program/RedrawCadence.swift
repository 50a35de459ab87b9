/// What a frame must bring up to date, decided by `RedrawCadence`.
public enum FrameDue: Sendable, Equatable {
    /// Counters only: charts and histograms keep the data of the last `.full` frame (spliced in by the screen).
    case counters
    /// Everything, charts included.
    case full
}

/// When new data makes a frame, for every screen on the program loop: input redraws at once with fresh data
/// (`.full`); otherwise data that changed (`dataChanged`, or the wall-clock second for screens showing an
/// elapsed time) is shown at most every `counterInterval` seconds, or at once while the screen asks for
/// `immediate` data (a preview being waited for), and charts at most every `chartInterval` seconds.
/// A plain value: the loop owns one and records each frame it draws.
public struct RedrawCadence: Sendable, Equatable {
    public var counterInterval: Double
    /// Seconds between chart refreshes; 0 refreshes charts with every frame.
    public var chartInterval: Double
    /// Redraw when the whole second of elapsed time changes (a status line with a running clock).
    public var everySecond: Bool
    public private(set) var lastFrame = -Double.infinity
    public private(set) var lastChart = -Double.infinity
    public private(set) var lastVersion: UInt64? = nil
    public private(set) var lastSecond = -1

    public init(counterInterval: Double = 0.5, chartInterval: Double = 0, everySecond: Bool = false) {
        self.counterInterval = counterInterval; self.chartInterval = chartInterval; self.everySecond = everySecond
    }

    /// The frame due at `now` (monotonic seconds since the loop started) for data at `version`; nil when none.
    public func due(now: Double, version: UInt64, interactive: Bool, immediate: Bool = false) -> FrameDue? {
        if interactive { return .full }
        let changed = version != lastVersion || (everySecond && Int(now) != lastSecond)
        guard changed, immediate || now - lastFrame >= counterInterval else { return nil }
        return now - lastChart >= chartInterval ? .full : .counters
    }

    /// Notes a frame drawn at `now` showing data at `version`.
    public mutating func drew(_ due: FrameDue, now: Double, version: UInt64) {
        lastFrame = now
        lastVersion = version
        lastSecond = Int(now)
        if due == .full { lastChart = now }
    }
}
