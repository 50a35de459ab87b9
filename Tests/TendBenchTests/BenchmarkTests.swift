import Testing
import TendUI
import TendDashboard
import TendBench

/// The benchmark is a command (`tend bench ui`); here it only has to run and report one time per frame.
@Suite struct BenchmarkTests {
    @Test func reportsOneTimePerFrame() {
        let r = DashboardBenchmark.run(width: 120, height: 40, frames: 5)
        #expect(r.micros.count == 5 && r.micros.allSatisfy { $0 > 0 })
        #expect(r.median <= r.p99 && r.p99 <= r.max)
        print(r)
        let big = DashboardBenchmark.run(width: 200, height: 60, frames: 400)
        print(big)
        print(DashboardBenchmark.run(width: 80, height: 24, frames: 50, glyphs: .ascii))
    }
}
