/// A one-row trend: the newest `rect.width` values, oldest left, as ▁…█ levels (ASCII `.-=#`).
/// Scaled to the shown values' min…max unless `range` is fixed; non-finite values leave a gap.
public struct Sparkline: Widget {
    public var values: [Double]
    public var range: ClosedRange<Double>?
    public var color: Color?

    public init(values: [Double], range: ClosedRange<Double>? = nil, color: Color? = nil) {
        self.values = values; self.range = range; self.color = color
    }

    public func render(into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        let clip = rect.intersection(buffer.bounds)
        guard !clip.isEmpty, !values.isEmpty else { return }
        let shown = values.suffix(rect.width)
        let scale = range.map { ChartScale(lower: $0.lowerBound, upper: $0.upperBound) } ?? ChartScale(values: shown)
        let levels = glyphs.sparkLevels
        let style = Style(foreground: color ?? theme.seriesColor(0), background: theme.background)
        let y = rect.y + rect.height - 1
        var x = rect.x + rect.width - shown.count
        for v in shown {
            if v.isFinite {
                buffer.put(levels[scale.position(v, steps: levels.count)], x: x, y: y, style: style, clip: clip)
            }
            x += 1
        }
    }
}
