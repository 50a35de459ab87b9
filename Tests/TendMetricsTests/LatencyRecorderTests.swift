import Testing
import TendCore
import TendMetrics
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

@Suite struct LatencyRecorderTests {
    @Test func percentilesMatchSortedReferenceWithinHDRPrecision() {
        let clock = ManualClock(1000)
        var rec = LatencyRecorder(clock: clock)
        var rng = SeededGenerator(seed: 7)
        var micros: [UInt64] = []
        for _ in 0..<100_000 {
            // log-normal-ish: 2 µs .. several seconds
            let e = Double(rng.nextGaussian()) * 2.0 + 7.0
            let us = UInt64(max(2, min(5_000_000, pow(2, e))))
            micros.append(us)
            rec.record(nanos: us * 1000)
        }
        micros.sort()
        let report = rec.report()
        for window in LatencyWindow.allCases {
            let st = report[window]
            #expect(st.count == micros.count)
            func ref(_ p: Double) -> Double {
                // Smallest value with at least p% of the data at or below it (p nudged down 1 ulp, as HdrHistogram does).
                let rank = Int((p.nextDown * Double(micros.count) / 100).rounded(.up))
                return Double(micros[max(0, rank - 1)])
            }
            for (got, p) in [(st.p50Micros, 50.0), (st.p90Micros, 90), (st.p99Micros, 99), (st.p999Micros, 99.9)] {
                let want = ref(p)
                #expect(abs(got - want) <= want * 0.001 + 1, "p\(p): \(got) vs \(want)")
            }
            #expect(st.maxMicros == Double(micros.last!))
            let exactMean = Double(micros.reduce(0, +)) / Double(micros.count)
            #expect(abs(st.meanMicros - exactMean) <= exactMean * 0.001)
            #expect(st.distribution.reduce(0) { $0 + $1.count } == micros.count)
            #expect(st.distribution.count == 30)
            #expect(zip(st.distribution, st.distribution.dropFirst()).allSatisfy { $0.upperMicros == $1.lowerMicros })
        }
    }

    @Test func windowsExpireWithManualClock() {
        let clock = ManualClock(1000.2)
        var rec = LatencyRecorder(clock: clock)
        for _ in 0..<10 { rec.record(nanos: 1_000_000) }
        clock.set(1005.5)
        for _ in 0..<20 { rec.record(nanos: 2_000_000) }
        func counts() -> [Int] { LatencyWindow.allCases.map { rec.report()[$0].count } }
        clock.set(1009.9); #expect(counts() == [30, 30, 30])
        clock.set(1010.0); #expect(counts() == [20, 30, 30])
        clock.set(1015.0); #expect(counts() == [0, 30, 30])
        clock.set(1059.9); #expect(counts() == [0, 30, 30])
        clock.set(1060.0); #expect(counts() == [0, 20, 30])
        clock.set(1065.0); #expect(counts() == [0, 0, 30])
        #expect(rec.report()[.last10Seconds] == .empty(.last10Seconds))
    }

    @Test func ringSlotIsReusedAfterWrapAround() {
        let clock = ManualClock(0.5)
        var rec = LatencyRecorder(clock: clock)
        rec.record(nanos: 5_000)
        clock.set(60.5)          // same ring position as second 0
        rec.record(nanos: 7_000)
        let st = rec.report()[.last60Seconds]
        #expect(st.count == 1)
        #expect(st.p50Micros == 7)
        #expect(rec.report()[.all].count == 2)
    }

    @Test func throughputIsCountOverElapsedWindow() {
        let clock = ManualClock(1000)
        var rec = LatencyRecorder(clock: clock)
        for _ in 0..<50 { rec.record(nanos: 10_000) }
        clock.set(1002)
        for _ in 0..<50 { rec.record(nanos: 10_000) }
        clock.set(1004)
        #expect(rec.report()[.all].throughput == 25)        // 100 over 4 s
        #expect(rec.report()[.last10Seconds].throughput == 25)
        clock.set(1013)                                     // 10 s window now starts at 1004: nothing left
        #expect(rec.report()[.last10Seconds].throughput == 0)
        #expect(abs(rec.report()[.last60Seconds].throughput - 100.0 / 13) < 1e-9)
    }

    @Test func p99SeriesHasOnePointPerSecond() {
        let clock = ManualClock(100.0)
        var rec = LatencyRecorder(clock: clock)
        for i in 1...100 { rec.record(nanos: UInt64(i) * 1_000) }   // p99 = 99 µs
        clock.set(102.3)
        rec.record(nanos: 500_000)
        let series = rec.report().p99Series
        #expect(series.map(\.time) == [100, 101, 102])
        #expect(series.map(\.count) == [100, 0, 1])
        #expect(series.map(\.p99Micros) == [99, 0, 500])
    }

    @Test func valuesBeyondSixtySecondsAreClamped() {
        var rec = LatencyRecorder(clock: ManualClock(0))
        rec.record(nanos: 120_000_000_000)
        #expect(rec.report()[.all].maxMicros == Double(LatencyRecorder.highestMicros))
    }
}
