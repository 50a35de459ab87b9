#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Vertical bars over buckets (e.g. latency buckets with edges in ms), with the tallest count on the y-axis,
/// bucket edges under the bars, optional log-y and an optional vertical cut line at a value (e.g. a pruning
/// threshold). When there are more buckets than columns, neighbouring buckets are summed into one column.
public struct Histogram: Widget {
    /// One bucket: `lower..<upper` in data units and how many samples fell in it.
    public struct Bucket: Hashable, Sendable {
        public var lower: Double, upper: Double, count: Double
        public init(lower: Double, upper: Double, count: Double) { self.lower = lower; self.upper = upper; self.count = count }
    }

    public var buckets: [Bucket]
    public var logY: Bool
    /// Draw a vertical line at this value.
    public var cut: Double?
    /// Draw bars entirely below `cut` dimmed (what a threshold would remove).
    public var dimBelowCut: Bool
    public var color: Color?
    public var formatEdge: (Double) -> String

    public init(buckets: [Bucket], logY: Bool = false, cut: Double? = nil, dimBelowCut: Bool = false, color: Color? = nil,
                formatEdge: @escaping (Double) -> String = { NumberFormat.compact($0) }) {
        self.buckets = buckets; self.logY = logY; self.cut = cut; self.dimBelowCut = dimBelowCut; self.color = color
        self.formatEdge = formatEdge
    }

    func height(_ count: Double) -> Double {
        guard count.isFinite, count > 0 else { return 0 }
        return logY ? log10(1 + count) : count
    }

    public func render(into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        let clip = rect.intersection(buffer.bounds)
        guard !clip.isEmpty, !buckets.isEmpty else { return }
        let labelRows = rect.height >= 3 ? 1 : 0
        let plotHeight = rect.height - labelRows
        // The y label shows the tallest column, which depends on the plot width, which depends on the label.
        var topLabel = NumberFormat.compact(buckets.map(\.count).filter(\.isFinite).max() ?? 0)
        var labelWidth = 0, plotX = 0, plotWidth = 0
        var columns: [Column] = []
        for _ in 0..<2 {
            labelWidth = rect.width >= topLabel.count + 4 ? topLabel.count : -1
            plotX = rect.x + labelWidth + 1
            plotWidth = rect.maxX - plotX
            guard plotWidth >= 1, plotHeight >= 1 else { return }
            columns = layoutColumns(plotWidth: plotWidth)
            let label = NumberFormat.compact(columns.map(\.value).max() ?? 0)
            if label.count == topLabel.count { topLabel = label; break }
            topLabel = label
        }
        let axisX = plotX - 1
        let dim = theme.dimText
        if labelWidth >= 0 {
            buffer.put(topLabel, x: rect.x, y: rect.y, style: theme.text,
                       clip: Rect(x: rect.x, y: rect.y, width: labelWidth, height: 1).intersection(clip))
            for y in rect.y..<(rect.y + plotHeight) { buffer.put(glyphs.vertical, x: axisX, y: y, style: dim, clip: clip) }
            buffer.put(glyphs.yTick, x: axisX, y: rect.y, style: dim, clip: clip)
        }

        let peak = columns.map { height($0.value) }.max() ?? 0
        let levels = glyphs.verticalEighths.count
        let barStyle = Style(foreground: color ?? theme.seriesColor(0), background: theme.background)
        for (c, col) in columns.enumerated() where !col.gap && peak > 0 {
            let units = height(col.value) / peak * Double(plotHeight * levels)
            var eighths = Int(units.rounded())
            if col.value > 0 && eighths == 0 { eighths = 1 }
            let below = dimBelowCut && cut.map { buckets[col.end - 1].upper <= $0 } == true
            let style = below ? dim : barStyle
            let x = plotX + c
            var y = rect.y + plotHeight - 1
            while eighths > 0 && y >= rect.y {
                let step = min(levels, eighths)
                buffer.put(glyphs.verticalEighths[step - 1], x: x, y: y, style: style, clip: clip)
                eighths -= step; y -= 1
            }
        }

        if let cut, cut.isFinite, let column = column(of: cut, plotWidth: plotWidth) {
            for y in rect.y..<(rect.y + plotHeight) {
                buffer.put(glyphs.marker, x: plotX + column, y: y, style: theme.criticalText, clip: clip)
            }
        }

        guard labelRows == 1 else { return }
        let labelY = rect.y + plotHeight
        var nextFree = rect.x
        var lastBucket = -1
        for (c, col) in columns.enumerated() where col.first != lastBucket {
            lastBucket = col.first
            let label = formatEdge(buckets[col.first].lower)
            let x = plotX + c
            guard x >= nextFree, x + label.count <= rect.maxX else { continue }
            buffer.put(label, x: x, y: labelY, style: dim, clip: clip)
            nextFree = x + label.count + 1
        }
    }

    typealias Column = (value: Double, first: Int, end: Int, gap: Bool)

    /// Column c shows buckets first..<end summed; with three or more columns per bucket the last is a gap.
    func layoutColumns(plotWidth: Int) -> [Column] {
        let n = buckets.count
        let perBucket = plotWidth / n
        var columns: [Column] = []
        columns.reserveCapacity(plotWidth)
        for c in 0..<plotWidth {
            let first = c * n / plotWidth
            let end = max(first + 1, (c + 1) * n / plotWidth)
            let gap = perBucket >= 3 && (c == plotWidth - 1 || (c + 1) * n / plotWidth != first)
            var sum = 0.0
            for b in first..<end where buckets[b].count.isFinite && buckets[b].count > 0 { sum += buckets[b].count }
            columns.append((sum, first, end, gap))
        }
        return columns
    }

    /// The plot column of value `v`, interpolating inside its bucket; nil when outside all buckets.
    func column(of v: Double, plotWidth: Int) -> Int? {
        guard let first = buckets.first, let last = buckets.last, v >= first.lower, v <= last.upper else { return nil }
        let i = buckets.firstIndex { v < $0.upper } ?? buckets.count - 1
        let b = buckets[i]
        let within = b.upper > b.lower ? (v - b.lower) / (b.upper - b.lower) : 0
        let position = (Double(i) + min(1, max(0, within))) / Double(buckets.count) * Double(plotWidth)
        return min(plotWidth - 1, max(0, Int(position)))
    }
}
