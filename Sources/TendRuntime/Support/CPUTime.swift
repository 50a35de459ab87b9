#if canImport(Glibc)
import Glibc
#endif

/// CPU nanoseconds used so far by the calling thread (`CLOCK_THREAD_CPUTIME_ID`).
public func threadCPUNanos() -> UInt64 { cpuNanos(CLOCK_THREAD_CPUTIME_ID) }

/// CPU seconds used so far by the calling thread.
public func threadCPUSeconds() -> Double { Double(threadCPUNanos()) / 1e9 }

/// CPU seconds the calling thread spends in `body`.
public func threadCPUSeconds(_ body: () -> Void) -> Double {
    let t0 = threadCPUNanos()
    body()
    return Double(threadCPUNanos() - t0) / 1e9
}

/// CPU seconds used so far by the whole process (all threads).
public func processCPUSeconds() -> Double { Double(cpuNanos(CLOCK_PROCESS_CPUTIME_ID)) / 1e9 }

private func cpuNanos(_ clock: clockid_t) -> UInt64 {
    var ts = timespec()
    clock_gettime(clock, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}
