#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TendRuntime
import TendCore
import TendDashboard
import TendMetrics
import TendTerminal
import TendUI

/// The dashboard's whole frame, timed in process the way the UI loop times it: snapshot of a live
/// `MetricsStore` → view into the cell buffer → `NCursesBackend.draw` (diff, encode, one write), on a real ncurses
/// screen (a pseudo-terminal of the given size, TERM=xterm-256color, 256 colours, UTF-8 glyphs). Between frames
/// (untimed) a synthetic run records `stepsPerFrame` more steps, so counters, charts and the log change every
/// frame like a chart refresh of a live run (the worst case: the dashboard refreshes charts every 2 s).
enum FullFrameBenchmark {
    struct Figures: Encodable {
        var width: Int, height: Int, frames: Int
        /// Wall-clock time per frame (what a user waits; includes preemption on a busy machine).
        var p50_ms: Double, p99_ms: Double, max_ms: Double
        /// CPU time of the drawing thread per frame (the work itself, without time spent preempted).
        var cpu_p50_ms: Double, cpu_p99_ms: Double
        /// The first frame (every cell written, screen cleared).
        var first_paint_ms: Double
        /// Median per stage (wall), in milliseconds: snapshot + clear, view into the buffer, backend draw (diff, encode, write).
        var snapshot_ms: Double, render_ms: Double, draw_ms: Double
        /// Mean bytes sent to the terminal per frame (after the first).
        var bytes_per_frame: Double
    }

    static func run(width: Int, height: Int, frames: Int = 600, stepsPerFrame: Int = 5) throws -> Figures {
        // Unicode glyphs need a UTF-8 character type for ncurses and wcwidth; restore the caller's afterwards.
        let saved = setlocale(LC_CTYPE, nil).map { String(cString: $0) }
        if setlocale(LC_CTYPE, "C.UTF-8") == nil { _ = setlocale(LC_CTYPE, "en_US.UTF-8") }
        defer { if let saved { setlocale(LC_CTYPE, saved) } }

        let pty: PseudoTerminal
        let backend: NCursesBackend
        do {
            pty = try PseudoTerminal(width: width, height: height)
            backend = try NCursesBackend(pseudoTerminal: pty, colorDepth: .xterm256)
        } catch { throw BenchError.terminal(bench: "full-frame benchmark", reason: "\(error)") }
        defer { backend.shutdown() }
        guard backend.size() == (width, height) else {
            throw BenchError.terminal(bench: "full-frame benchmark", reason: "the pseudo-terminal is \(backend.size().width)x\(backend.size().height), not \(width)x\(height) (LINES/COLUMNS set?)")
        }
        let feed = SyntheticRun.Feed(seriesCapacity: 4096, plannedSteps: 100_000)
        feed.advance(steps: 3000)
        feed.serve(requests: 1500, over: 30)
        feed.store.refreshLatencyReport()
        let state = DashboardState(themeNames: ["default"], columns: width)
        let theme = Theme.default
        var buffer = CellBuffer(width: width, height: height)

        var stages: [[UInt64]] = [[], [], []]
        var cpu: [UInt64] = []
        for i in stages.indices { stages[i].reserveCapacity(max(1, frames)) }
        cpu.reserveCapacity(max(1, frames))
        func frame() -> UInt64 {
            let c0 = threadCPUNanos()
            let t0 = SystemClock.nanos()
            let snap = feed.store.snapshot(latency: .cached)
            buffer.fill(rect: buffer.bounds, cell: Cell(" ", style: theme.text))
            let t1 = SystemClock.nanos()
            DashboardView.render(snapshot: snap, state: state, into: &buffer, theme: theme, glyphs: backend.glyphs)
            let t2 = SystemClock.nanos()
            backend.draw(buffer, theme: theme)
            let t3 = SystemClock.nanos()
            cpu.append(threadCPUNanos() - c0)
            stages[0].append(t1 - t0); stages[1].append(t2 - t1); stages[2].append(t3 - t2)
            return t3 - t0
        }
        let first = frame()
        stages = stages.map { s in var s = s; s.removeAll(keepingCapacity: true); return s }
        cpu.removeAll(keepingCapacity: true)
        let bytesAfterFirst = backend.bytesWritten
        var times: [UInt64] = []
        times.reserveCapacity(max(1, frames))
        for i in 0..<max(1, frames) {
            feed.advance(steps: stepsPerFrame)
            if i % 10 == 0 { feed.serve(requests: 100, over: 1); feed.store.refreshLatencyReport() }
            times.append(frame())
        }
        func q(_ values: [UInt64], _ p: Double) -> Double {
            let v = values.sorted()
            return Double(v[min(v.count - 1, max(0, Int((p * Double(v.count)).rounded(.up)) - 1))]) / 1e6
        }
        return Figures(width: width, height: height, frames: times.count, p50_ms: q(times, 0.5), p99_ms: q(times, 0.99),
                       max_ms: q(times, 1), cpu_p50_ms: q(cpu, 0.5), cpu_p99_ms: q(cpu, 0.99),
                       first_paint_ms: Double(first) / 1e6,
                       snapshot_ms: q(stages[0], 0.5), render_ms: q(stages[1], 0.5), draw_ms: q(stages[2], 0.5),
                       bytes_per_frame: Double(backend.bytesWritten - bytesAfterFirst) / Double(times.count))
    }
}
