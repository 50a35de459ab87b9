import TendCore
import TendDashboard
import TendMetrics
import TendUI

/// Times a whole dashboard frame — view model from a snapshot (thinning, smoothing, formatting) plus every
/// widget into a reused `CellBuffer` — for `tend bench ui`. The snapshot is built once, outside the timing.
public enum DashboardBenchmark {
    public struct Result: Sendable, CustomStringConvertible {
        public let width: Int, height: Int, frames: Int
        /// Per-frame times in microseconds, sorted ascending.
        public let micros: [Double]
        public var median: Double { percentile(0.5) }
        public var p99: Double { percentile(0.99) }
        public var max: Double { micros.last ?? 0 }
        /// The `q` quantile (0…1) by nearest rank.
        public func percentile(_ q: Double) -> Double {
            guard !micros.isEmpty else { return 0 }
            let rank = Int((q * Double(micros.count)).rounded(.up)) - 1
            return micros[Swift.min(micros.count - 1, Swift.max(0, rank))]
        }
        public var description: String {
            "dashboard frame \(width)x\(height) (\(frames) frames): median " + DashboardFormat.micros(median, ascii: true)
                + ", p99 " + DashboardFormat.micros(p99, ascii: true) + ", max " + DashboardFormat.micros(max, ascii: true)
        }
    }

    /// Per-frame render times in microseconds (unsorted, in frame order) for a `width` × `height` screen, after
    /// one untimed warm-up frame (first-touch page faults and lazy globals are not what a running UI pays).
    public static func renderMicros(width: Int = 200, height: Int = 60, frames: Int = 300, glyphs: Glyphs = .unicode,
                                    snapshot: MetricsSnapshot? = nil) -> [Double] {
        let snap = snapshot ?? SyntheticRun.snapshot(steps: 3000, seriesCapacity: 4096)
        let state = DashboardState(themeNames: ["default"], columns: width)
        var buffer = CellBuffer(width: width, height: height)
        let clock = ContinuousClock()
        var times: [Double] = []
        times.reserveCapacity(Swift.max(1, frames))
        DashboardView.render(snapshot: snap, state: state, into: &buffer, theme: .default, glyphs: glyphs)
        for _ in 0..<Swift.max(1, frames) {
            let start = clock.now
            DashboardView.render(snapshot: snap, state: state, into: &buffer, theme: .default, glyphs: glyphs)
            let d = start.duration(to: clock.now)
            times.append(Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) * 1e-12)
        }
        return times
    }

    /// `renderMicros` summarised.
    public static func run(width: Int = 200, height: Int = 60, frames: Int = 300, glyphs: Glyphs = .unicode) -> Result {
        Result(width: width, height: height, frames: Swift.max(1, frames),
               micros: renderMicros(width: width, height: height, frames: frames, glyphs: glyphs).sorted())
    }
}
