#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A source of time in seconds. Injected so latency windows and alert rules are deterministic in tests.
public protocol TendClock: Sendable {
    /// Wall-clock seconds since the Unix epoch.
    func now() -> Double
    /// Monotonic seconds from an arbitrary origin; use for durations.
    func monotonic() -> Double
}

/// The real clocks: `CLOCK_REALTIME` and `CLOCK_MONOTONIC`.
public struct SystemClock: TendClock {
    public init() {}
    public func now() -> Double {
        var ts = timespec(); clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
    public func monotonic() -> Double {
        var ts = timespec(); clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
    /// Monotonic nanoseconds, for timing short sections.
    public static func nanos() -> UInt64 {
        var ts = timespec(); clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}

/// A clock that only moves when told to. Both readings share one value.
public final class ManualClock: TendClock {
    private let t: Mutex<Double>
    public init(_ start: Double = 0) { t = Mutex(start) }
    public func now() -> Double { t.withLock { $0 } }
    public func monotonic() -> Double { t.withLock { $0 } }
    public func advance(by seconds: Double) { t.withLock { $0 += seconds } }
    public func set(_ seconds: Double) { t.withLock { $0 = seconds } }
}
