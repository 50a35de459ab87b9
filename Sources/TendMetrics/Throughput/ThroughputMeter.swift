/// Rate of a growing counter (samples, steps, requests) over a sliding time window, and the time left
/// to reach a target. Times are seconds on one clock (monotonic recommended).
/// Memory is bounded: at most about 64 anchor observations are kept per window.
public struct ThroughputMeter: Sendable, Equatable {
    /// Width of the sliding window in seconds.
    public let window: Double
    /// Counter value at the latest observation.
    public private(set) var total: Double = 0
    /// Time of the latest observation; nil before any.
    public private(set) var lastTime: Double?
    private var anchors: [Observation] = []
    private var head = 0

    private struct Observation: Sendable, Equatable { var time: Double; var total: Double }

    public init(window: Double = 10) {
        precondition(window > 0, "ThroughputMeter window must be positive")
        self.window = window
    }

    /// Adds `amount` to the counter at `time`.
    public mutating func add(_ amount: Double, at time: Double) { observe(total: total + amount, at: time) }

    /// Records that the counter reads `total` at `time`.
    public mutating func observe(total: Double, at time: Double) {
        self.total = total
        lastTime = time
        if head == anchors.count || time - anchors[anchors.count - 1].time >= window / 64 {
            anchors.append(Observation(time: time, total: total))
        }
        // Keep exactly one anchor at or before the window start so the rate spans the whole window.
        while anchors.count - head >= 2 && anchors[head + 1].time <= time - window { head += 1 }
        if head > 64 && head * 2 > anchors.count { anchors.removeFirst(head); head = 0 }
    }

    /// Units per second over the window ending at the latest observation; nil until two observations
    /// at different times exist.
    public var rate: Double? {
        guard let lastTime, head < anchors.count else { return nil }
        let a = anchors[head]
        guard lastTime > a.time else { return nil }
        return (total - a.total) / (lastTime - a.time)
    }

    /// Seconds until the counter reaches `target` at the current rate; 0 when reached, nil when unknown.
    public func eta(toReach target: Double) -> Double? {
        if total >= target { return 0 }
        guard let r = rate, r > 0 else { return nil }
        return (target - total) / r
    }
}
