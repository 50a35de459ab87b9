#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A line chart of several series on a braille canvas (one point per cell with ASCII glyphs), with a y-axis
/// showing the min/max labels, an x-axis with round step labels, an optional legend line, optional log-y and
/// an optional vertical marker. Non-finite points (and y ≤ 0 in log mode) are skipped.
public struct LineChart: Widget {
    /// One line. `color` nil takes the theme's series colour by position; `dimmed` draws it faintly behind
    /// the others (e.g. raw values under a smoothed line).
    public struct Series {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var color: Color?
        public var dimmed: Bool
        public var inLegend: Bool
        public init(name: String, points: [(x: Double, y: Double)], color: Color? = nil, dimmed: Bool = false,
                    inLegend: Bool? = nil) {
            self.name = name; self.points = points; self.color = color; self.dimmed = dimmed
            self.inLegend = inLegend ?? !dimmed
        }
    }

    public var series: [Series]
    public var logY: Bool
    /// Draw a vertical marker at this x (e.g. where older points were downsampled).
    public var markerX: Double?
    public var showLegend: Bool
    /// Fixed ranges; nil fits the data.
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    public var formatX: (Double) -> String
    public var formatY: (Double) -> String

    public init(series: [Series], logY: Bool = false, markerX: Double? = nil, showLegend: Bool = true,
                xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                formatX: @escaping (Double) -> String = { NumberFormat.compact($0) },
                formatY: @escaping (Double) -> String = { NumberFormat.compact($0) }) {
        self.series = series; self.logY = logY; self.markerX = markerX; self.showLegend = showLegend
        self.xRange = xRange; self.yRange = yRange; self.formatX = formatX; self.formatY = formatY
    }

    func transformY(_ y: Double) -> Double {
        guard logY else { return y }
        return y > 0 ? log10(y) : .nan
    }

    public func render(into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        let clip = rect.intersection(buffer.bounds)
        guard !clip.isEmpty else { return }
        var top = rect.y
        let legendItems = series.enumerated().filter { $0.element.inLegend }
        if showLegend, !legendItems.isEmpty, rect.height >= 4 {
            drawLegend(legendItems, into: &buffer, x: rect.x, y: top, theme: theme, glyphs: glyphs, clip: clip)
            top += 1
        }
        let xAxisRows = rect.maxY - top >= 5 ? 2 : 0
        let plotHeight = rect.maxY - top - xAxisRows
        guard plotHeight >= 1 else { return }

        // Transform once: finite points only (y > 0 in log mode), then fit the scales.
        let prepared = series.map { s -> (xs: [Double], ys: [Double]) in
            var xs: [Double] = [], ys: [Double] = []
            xs.reserveCapacity(s.points.count); ys.reserveCapacity(s.points.count)
            for p in s.points {
                let ty = transformY(p.y)
                if p.x.isFinite && ty.isFinite { xs.append(p.x); ys.append(ty) }
            }
            return (xs, ys)
        }
        let xScale = xRange.map { ChartScale(lower: $0.lowerBound, upper: $0.upperBound) }
            ?? ChartScale(arrays: prepared.map(\.xs))
        let yScale = yRange.map { ChartScale(lower: transformY($0.lowerBound), upper: transformY($0.upperBound)) }
            ?? ChartScale(arrays: prepared.map(\.ys))
        let untransform: (Double) -> Double = logY ? { pow(10, $0) } : { $0 }
        let topLabel = formatY(untransform(yScale.upper)), bottomLabel = formatY(untransform(yScale.lower))
        var labelWidth = max(topLabel.count, bottomLabel.count)
        if rect.width < labelWidth + 5 { labelWidth = -1 }   // too narrow: no y-axis at all
        let axisX = rect.x + labelWidth
        let plotX = axisX + 1
        let plotWidth = rect.maxX - plotX
        guard plotWidth >= 1 else { return }

        // Y axis.
        let text = theme.dimText
        if labelWidth >= 0 {
            for y in top..<(top + plotHeight) { buffer.put(glyphs.vertical, x: axisX, y: y, style: text, clip: clip) }
            buffer.put(TextFit.pad(topLabel, to: labelWidth, right: true, ellipsis: glyphs.ellipsis), x: rect.x, y: top,
                       style: theme.text, clip: clip)
            buffer.put(glyphs.yTick, x: axisX, y: top, style: text, clip: clip)
            if plotHeight > 1 {
                let by = top + plotHeight - 1
                buffer.put(TextFit.pad(bottomLabel, to: labelWidth, right: true, ellipsis: glyphs.ellipsis), x: rect.x,
                           y: by, style: theme.text, clip: clip)
                buffer.put(glyphs.yTick, x: axisX, y: by, style: text, clip: clip)
            }
        }

        var canvas = BrailleCanvas(width: plotWidth, height: plotHeight, braille: glyphs.braille)
        let dw = canvas.dotWidth, dh = canvas.dotHeight
        // Dimmed series first so the others draw over them.
        let order = series.indices.filter { series[$0].dimmed } + series.indices.filter { !series[$0].dimmed }
        let mapX = xScale.mapper(steps: dw), mapY = yScale.mapper(steps: dh)
        for i in order {
            let s = series[i]
            let style = s.dimmed ? theme.dimText.with(foreground: s.color ?? theme.dim)
                : Style(foreground: s.color ?? theme.seriesColor(i), background: theme.background)
            let (xs, ys) = prepared[i]
            var previous: (x: Int, y: Int)?
            for k in xs.indices where xs[k] >= xScale.lower && xs[k] <= xScale.upper {
                let dot = (x: mapX(xs[k]), y: dh - 1 - mapY(ys[k]))
                if let prev = previous {
                    if prev != dot { canvas.line(from: prev, to: dot, style: style, faint: s.dimmed) }
                } else {
                    canvas.set(x: dot.x, y: dot.y, style: style, faint: s.dimmed)
                }
                previous = dot
            }
        }

        // Marker behind the lines.
        if let m = markerX, m.isFinite, m >= xScale.lower, m <= xScale.upper {
            let cx = xScale.position(m, steps: dw) / canvas.dotsPerCellX
            for cy in 0..<plotHeight where !canvas.isMarked(cellX: cx, cellY: cy) {
                buffer.put(glyphs.marker, x: plotX + cx, y: top + cy, style: text, clip: clip)
            }
        }
        canvas.render(into: &buffer, x: plotX, y: top, background: theme.background,
                      faintPoint: glyphs.faintPoint, point: glyphs.point, clip: clip)

        // X axis: a rule with ticks, then labels under the ticks.
        guard xAxisRows == 2 else { return }
        let axisY = top + plotHeight
        if labelWidth >= 0 { buffer.put(glyphs.axisCorner, x: axisX, y: axisY, style: text, clip: clip) }
        for x in plotX..<rect.maxX { buffer.put(glyphs.horizontal, x: x, y: axisY, style: text, clip: clip) }
        var nextFree = rect.x
        for t in xScale.niceTicks(maxCount: max(2, plotWidth / 7)) {
            let cx = plotX + xScale.position(t, steps: dw) / canvas.dotsPerCellX
            let label = formatX(t)
            let lx = min(cx, rect.maxX - label.count)
            guard lx >= nextFree, lx >= rect.x else { continue }
            buffer.put(glyphs.xTick, x: cx, y: axisY, style: text, clip: clip)
            buffer.put(label, x: lx, y: axisY + 1, style: text, clip: clip)
            nextFree = lx + label.count + 1
        }
    }

    func drawLegend(_ items: [(offset: Int, element: Series)], into buffer: inout CellBuffer, x: Int, y: Int,
                    theme: Theme, glyphs: Glyphs, clip: Rect) {
        var cx = x
        for (i, s) in items {
            if cx >= clip.maxX { break }
            buffer.put(glyphs.point, x: cx, y: y, style: Style(foreground: s.color ?? theme.seriesColor(i),
                                                                background: theme.background, attributes: .bold), clip: clip)
            cx = buffer.put(" " + s.name + "  ", x: cx + 1, y: y, style: theme.text, clip: clip)
        }
        if logY { buffer.put("log", x: clip.maxX - 3, y: y, style: theme.dimText, clip: clip) }
    }
}
