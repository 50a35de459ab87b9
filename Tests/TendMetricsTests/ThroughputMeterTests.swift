import Testing
import TendMetrics

@Suite struct ThroughputMeterTests {
    @Test func rateSpansTheSlidingWindow() {
        var m = ThroughputMeter(window: 10)
        #expect(m.rate == nil)
        m.add(0, at: 0)
        #expect(m.rate == nil)
        for t in 1...5 { m.add(100, at: Double(t)) }       // 100/s
        #expect(m.rate == 100)
        for t in 6...30 { m.add(10, at: Double(t)) }       // slows to 10/s
        #expect(m.rate == 10)
        #expect(m.total == 750)
    }

    @Test func etaFromRemainingWork() {
        var m = ThroughputMeter(window: 5)
        m.observe(total: 0, at: 0)
        m.observe(total: 40, at: 2)
        #expect(m.eta(toReach: 100) == 3)
        #expect(m.eta(toReach: 40) == 0)
        var idle = ThroughputMeter()
        idle.observe(total: 1, at: 0)
        #expect(idle.eta(toReach: 2) == nil)
    }

    @Test func keepsBoundedHistory() {
        var m = ThroughputMeter(window: 1)
        for i in 0..<1_000_000 { m.add(1, at: Double(i) * 1e-4) }
        #expect(abs((m.rate ?? 0) - 10_000) < 1)
    }
}
