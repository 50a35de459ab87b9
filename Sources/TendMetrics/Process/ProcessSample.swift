/// One reading of this process's resource use.
/// `cpuPercent` is CPU time over wall time since the previous sample, ×100 (can exceed 100 with several
/// busy threads); nil for the first sample.
public struct ProcessSample: Sendable, Equatable {
    /// Monotonic seconds of the reading (from the sampler's clock).
    public var time: Double
    public var rssBytes: UInt64
    public var peakRSSBytes: UInt64
    public var threads: Int
    /// utime + stime in seconds.
    public var cpuSeconds: Double
    public var cpuPercent: Double?

    public init(time: Double, rssBytes: UInt64, peakRSSBytes: UInt64, threads: Int, cpuSeconds: Double,
                cpuPercent: Double?) {
        self.time = time; self.rssBytes = rssBytes; self.peakRSSBytes = peakRSSBytes; self.threads = threads
        self.cpuSeconds = cpuSeconds; self.cpuPercent = cpuPercent
    }
}
