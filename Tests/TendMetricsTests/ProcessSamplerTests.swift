import Testing
import TendCore
import TendMetrics

@Suite struct ProcessSamplerTests {
    static let status = """
    Name:\ttend
    Umask:\t0022
    State:\tR (running)
    Tgid:\t4242
    Pid:\t4242
    VmPeak:\t  812344 kB
    VmSize:\t  812340 kB
    VmHWM:\t   98304 kB
    VmRSS:\t   65536 kB
    RssAnon:\t   40000 kB
    Threads:\t7
    voluntary_ctxt_switches:\t12
    """

    static func stat(utime: Int, stime: Int) -> String {
        "4242 (tend (worker) x) R 1 4242 4242 34816 4242 4194304 1234 0 0 0 \(utime) \(stime) 0 0 20 0 7 0 12345 831834112 16384 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"
    }

    @Test func parsesCapturedStatusAndStat() throws {
        var sampler = ProcessSampler(clock: ManualClock(0), ticksPerSecond: 100)
        let a = try sampler.sample(status: Self.status, stat: Self.stat(utime: 70, stime: 30), at: 10)
        #expect(a.rssBytes == 65536 * 1024)
        #expect(a.peakRSSBytes == 98304 * 1024)
        #expect(a.threads == 7)
        #expect(a.cpuSeconds == 1.0)
        #expect(a.cpuPercent == nil)
        let b = try sampler.sample(status: Self.status, stat: Self.stat(utime: 110, stime: 40), at: 12)
        #expect(b.cpuSeconds == 1.5)
        #expect(b.cpuPercent == 25)     // 0.5 s of CPU over 2 s of wall time
    }

    @Test func reportsMalformedFieldWithLineAndColumn() {
        let bad = Self.status.replacingFirst("VmRSS:\t   65536 kB", with: "VmRSS:\t   lots kB")
        #expect(throws: ProcessSamplerError.malformedField(path: "/proc/self/status", field: "VmRSS", line: 9,
                                                           column: 7, text: "lots kB")) {
            _ = try ProcessSampler.parseStatus(bad)
        }
    }

    @Test func reportsMissingFields() {
        #expect(throws: ProcessSamplerError.missingField(path: "/proc/self/status", field: "Threads")) {
            _ = try ProcessSampler.parseStatus("VmRSS:\t1 kB\nVmHWM:\t2 kB\n")
        }
        #expect(throws: ProcessSamplerError.missingField(path: "/proc/self/stat", field: "comm")) {
            _ = try ProcessSampler.parseStatCPUTicks("4242 tend R 1")
        }
        #expect(throws: ProcessSamplerError.missingField(path: "/proc/self/stat", field: "utime")) {
            _ = try ProcessSampler.parseStatCPUTicks("4242 (tend) R 1 2 3")
        }
    }

    @Test func reportsMalformedTicks() {
        let text = "1 (a) R 1 1 1 0 1 0 0 0 0 0 x9 5 0"
        #expect(throws: ProcessSamplerError.malformedField(path: "/proc/self/stat", field: "utime", line: 1,
                                                           column: 29, text: "x9")) {
            _ = try ProcessSampler.parseStatCPUTicks(text)
        }
    }

    @Test func readsThisProcessLive() throws {
        var sampler = ProcessSampler()
        let a = try sampler.sample()
        var x = 0.0
        for i in 0..<2_000_000 { x += Double(i & 7) }
        let b = try sampler.sample()
        #expect(x > 0)
        #expect(a.rssBytes > 0 && a.peakRSSBytes >= a.rssBytes)
        #expect(a.threads >= 1)
        #expect(b.cpuSeconds >= a.cpuSeconds)
        #expect((b.cpuPercent ?? -1) >= 0)
    }
}

private extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let r = firstRange(of: target) else { return self }
        return String(self[..<r.lowerBound]) + replacement + String(self[r.upperBound...])
    }
}
