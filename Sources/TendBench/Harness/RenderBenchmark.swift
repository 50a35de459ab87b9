#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TendUI

/// Times the drawing layer alone: six panels with line charts (a dimmed raw series, a smoothed series and a
/// validation series of `pointsPerSeries` points each, plus a marker) rendered into a `width` × `height`
/// buffer (the data is built once, outside the timing). For `tend bench`; reports the median over `frames`.
public enum RenderBenchmark {
    public struct Result: Sendable, CustomStringConvertible {
        public let width: Int, height: Int, pointsPerSeries: Int, frames: Int
        /// Median and fastest time per full frame, in milliseconds.
        public let medianMs: Double, minMs: Double
        public var description: String {
            "render \(width)x\(height), 6 line charts × 3 series × \(pointsPerSeries) points: median "
                + NumberFormat.fixed(medianMs, decimals: 3) + " ms/frame, best " + NumberFormat.fixed(minMs, decimals: 3)
                + " ms (\(frames) frames)"
        }
    }

    /// The six charts' data: a dimmed raw series, its moving average and a validation series per chart.
    public static func charts(pointsPerSeries: Int) -> [LineChart] {
        (0..<6).map { i in
            var raw: [(x: Double, y: Double)] = [], smooth = raw, val = raw
            raw.reserveCapacity(pointsPerSeries); smooth.reserveCapacity(pointsPerSeries); val.reserveCapacity(pointsPerSeries)
            var ema = 0.0
            for k in 0..<pointsPerSeries {
                let x = Double(k)
                let y = 2 * exp(-x / Double(pointsPerSeries) * 3) + 0.2 * sin(x * 0.7 + Double(i)) + 0.1
                ema = k == 0 ? y : 0.9 * ema + 0.1 * y
                raw.append((x, y)); smooth.append((x, ema)); val.append((x, ema * 1.1 + 0.05))
            }
            return LineChart(series: [.init(name: "raw", points: raw, dimmed: true), .init(name: "loss", points: smooth),
                                      .init(name: "val", points: val)],
                             logY: i % 2 == 1, markerX: Double(pointsPerSeries / 2))
        }
    }

    /// One frame: six panels in a 3 × 2 grid, each with its chart.
    public static func frame(_ charts: [LineChart], width: Int, height: Int, glyphs: Glyphs = .unicode) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        let theme = Theme.default
        for (i, rect) in Layout.grid(buffer.bounds, columns: 3, rows: 2).enumerated() where i < charts.count {
            let inner = Panel(title: "chart \(i + 1)", focused: i == 0).render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
            charts[i].render(into: &buffer, rect: inner, theme: theme, glyphs: glyphs)
        }
        return buffer
    }

    public static func run(width: Int = 200, height: Int = 60, pointsPerSeries: Int = 500, frames: Int = 200) -> Result {
        var times: [Double] = []
        times.reserveCapacity(frames)
        let clock = ContinuousClock()
        var checksum = 0
        let data = charts(pointsPerSeries: pointsPerSeries)
        for _ in 0..<max(1, frames) {
            let start = clock.now
            let buffer = frame(data, width: width, height: height)
            let d = start.duration(to: clock.now)
            checksum &+= buffer.cells.count
            times.append(Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15)
        }
        times.sort()
        precondition(checksum > 0)
        return Result(width: width, height: height, pointsPerSeries: pointsPerSeries, frames: times.count,
                      medianMs: times[times.count / 2], minMs: times[0])
    }
}
