import TendCore
import TendMetrics
import TendUI

/// Draws the content of each dashboard panel into its inner rect. Every figure comes from the view model;
/// a panel without data says what it is waiting for.
enum PanelViews {
    static func waiting(_ text: String, into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        guard !rect.isEmpty else { return }
        let t = TextFit.truncate(text, to: rect.width, ellipsis: glyphs.ellipsis)
        buffer.put(t, x: rect.x + (rect.width - t.count) / 2, y: rect.y + (rect.height - 1) / 2, style: theme.dimText, clip: rect)
    }

    /// Lays `segments` out left to right with two spaces between, starting a new line when one does not fit.
    static func flow(_ segments: [String], width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for s in segments where !s.isEmpty {
            if line.isEmpty { line = s } else if line.count + 2 + s.count <= width { line += "  " + s } else {
                lines.append(line); line = s
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    // MARK: Charts

    static func chart(_ m: ChartModel, legend: (ChartLine) -> String, formatY: @escaping (Double) -> String,
                      into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        var series: [LineChart.Series] = []
        series.reserveCapacity(m.lines.count * 2)
        let raw = m.showRaw && m.smoothing > 0
        for (i, line) in m.lines.enumerated() {
            if raw && !line.raw.isEmpty {
                series.append(LineChart.Series(name: line.name + " raw", points: line.raw, dimmed: true))
            }
            series.append(LineChart.Series(name: legend(line), points: line.smoothed, color: theme.seriesColor(i)))
        }
        LineChart(series: series, logY: m.logY, markerX: m.downsampledBefore,
                  formatX: { NumberFormat.compact($0) }, formatY: formatY)
            .render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
    }

    static func loss(_ m: ChartModel, into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        guard !m.isEmpty else { return waiting("waiting for first epoch", into: &buffer, rect: rect, theme: theme, glyphs: glyphs) }
        let none = glyphs.textIsASCII ? "-" : "–"
        chart(m, legend: { $0.name + " " + ($0.latest.map(DashboardFormat.value) ?? none) + ($0.note.map { " (" + $0 + ")" } ?? "") },
              formatY: { NumberFormat.compact($0) }, into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
    }

    static func accuracy(_ m: AccuracyModel, into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        guard !m.chart.isEmpty || m.f1 != nil else {
            return waiting("waiting for first epoch", into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        }
        let none = glyphs.textIsASCII ? "-" : "–"
        func pct(_ v: Double?) -> String { v.map(DashboardFormat.percent) ?? none }
        var body = rect
        if rect.height >= 3 {
            let text = "val P " + pct(m.precision) + "  R " + pct(m.recall) + "  F1 " + pct(m.f1)
                + (rect.width >= 44 ? "  (macro)" : "")
            buffer.put(TextFit.truncate(text, to: rect.width, ellipsis: glyphs.ellipsis), x: rect.x, y: rect.y,
                       style: theme.text, clip: rect)
            body = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        }
        guard !m.chart.isEmpty else {
            return waiting("waiting for first epoch", into: &buffer, rect: body, theme: theme, glyphs: glyphs)
        }
        chart(m.chart, legend: { $0.name + " " + pct($0.latest) }, formatY: { NumberFormat.compact($0) },
              into: &buffer, rect: body, theme: theme, glyphs: glyphs)
    }

    // MARK: Latency

    static func latency(_ m: LatencyModel, into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        guard !m.isEmpty else { return waiting("no requests yet", into: &buffer, rect: rect, theme: theme, glyphs: glyphs) }
        let ascii = glyphs.textIsASCII
        func t(_ us: Double) -> String { DashboardFormat.micros(us, ascii: ascii) }
        let lines = flow(["p50 " + t(m.p50), "p90 " + t(m.p90), "p99 " + t(m.p99), "p99.9 " + t(m.p999),
                          "max " + t(m.max), NumberFormat.compact(m.throughput) + " req/s",
                          DashboardFormat.grouped(m.count) + " req"], width: rect.width)
        var y = rect.y
        for (i, line) in lines.enumerated() where y < rect.maxY - 1 || i == 0 {
            buffer.put(line, x: rect.x, y: y, style: i == 0 ? theme.text : theme.dimText, clip: rect)
            y += 1
        }
        var bottom = rect.maxY
        let trend = m.p99Trend.contains { $0.isFinite }
        if trend, bottom - y >= 3 {
            bottom -= 1
            let label = "p99/s "
            buffer.put(label, x: rect.x, y: bottom, style: theme.dimText, clip: rect)
            Sparkline(values: m.p99Trend, color: theme.seriesColor(1))
                .render(into: &buffer, rect: Rect(x: rect.x + label.count, y: bottom, width: rect.width - label.count, height: 1),
                        theme: theme, glyphs: glyphs)
        }
        guard bottom - y >= 2 else { return }
        Histogram(buckets: m.buckets, formatEdge: { t($0) })
            .render(into: &buffer, rect: Rect(x: rect.x, y: y, width: rect.width, height: bottom - y), theme: theme, glyphs: glyphs)
    }

    // MARK: Memory & CPU

    static func memory(_ m: MemoryModel, into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        guard !m.isEmpty else {
            return waiting("waiting for first process sample", into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        }
        var y = rect.y
        func row() -> Rect { Rect(x: rect.x, y: y, width: rect.width, height: 1) }
        if let rss = m.rssBytes {
            let peak = m.peakRSSBytes ?? rss
            Gauge(label: "RSS  ", fraction: peak > 0 ? rss / peak : 0,
                  valueText: DashboardFormat.bytes(rss) + " / peak " + DashboardFormat.bytes(peak), tone: .accent)
                .render(into: &buffer, rect: row(), theme: theme, glyphs: glyphs)
            y += 1
        }
        if y < rect.maxY, let dense = m.modelBytesDense ?? m.modelBytesStored {
            let stored = m.modelBytesStored ?? dense
            Gauge(label: "model", fraction: dense > 0 ? stored / dense : 0,
                  valueText: DashboardFormat.bytes(stored) + " / dense " + DashboardFormat.bytes(dense), tone: .good)
                .render(into: &buffer, rect: row(), theme: theme, glyphs: glyphs)
            y += 1
        }
        if y < rect.maxY, m.cpuPercent != nil || m.threads != nil {
            let text = PanelViews.flow([m.cpuPercent.map { "CPU " + NumberFormat.fixed($0, decimals: 0) + "%" } ?? "",
                                        m.threads.map { "threads \($0)" } ?? ""], width: rect.width).joined(separator: "  ")
            let end = buffer.put(text, x: rect.x, y: y, style: theme.text, clip: rect)
            if m.cpuTrend.count > 1, rect.maxX - end >= 6 {
                Sparkline(values: m.cpuTrend, color: theme.seriesColor(2))
                    .render(into: &buffer, rect: Rect(x: end + 2, y: y, width: rect.maxX - end - 2, height: 1), theme: theme, glyphs: glyphs)
            }
            y += 1
        }
        let rest = Rect(x: rect.x, y: y, width: rect.width, height: rect.maxY - y)
        guard m.rssTrend.count > 1, rest.height >= 1 else { return }
        if rest.height >= 3 {
            LineChart(series: [LineChart.Series(name: "RSS", points: m.rssTrend, color: theme.seriesColor(0))],
                      showLegend: false, formatX: { NumberFormat.compact($0) + "s" }, formatY: { DashboardFormat.bytes($0) })
                .render(into: &buffer, rect: rest, theme: theme, glyphs: glyphs)
        } else {
            let label = "RSS trend "
            buffer.put(label, x: rest.x, y: rest.y, style: theme.dimText, clip: rest)
            Sparkline(values: m.rssTrend.map(\.y), color: theme.seriesColor(0))
                .render(into: &buffer, rect: Rect(x: rest.x + label.count, y: rest.y, width: rest.width - label.count, height: 1),
                        theme: theme, glyphs: glyphs)
        }
    }

    // MARK: Layers

    static func layers(_ m: LayersModel, into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        guard !m.rows.isEmpty else { return waiting("no model yet", into: &buffer, rect: rect, theme: theme, glyphs: glyphs) }
        var tableRect = rect
        if rect.height >= 3 {
            tableRect.height -= 1
            var summary = "total " + DashboardFormat.grouped(m.totalParameters) + " params"
            if let s = m.overallSparsity { summary += ", " + DashboardFormat.percent(s) + " zero" }
            summary += ", SQNR in dB"
            buffer.put(TextFit.truncate(summary, to: rect.width, ellipsis: glyphs.ellipsis), x: rect.x, y: rect.maxY - 1,
                       style: theme.dimText, clip: rect)
        }
        let columns = LayersModel.columns.enumerated().map { i, title in
            Table.Column(title, alignment: i <= 1 ? .left : .right, maxWidth: i == 0 ? 16 : nil)
        }
        Table(columns: columns, rows: m.rows).render(into: &buffer, rect: tableRect, theme: theme, glyphs: glyphs)
    }

    // MARK: Events

    static func events(_ lines: [LogView.Line], scrollBack: Int, into buffer: inout CellBuffer, rect: Rect, theme: Theme,
                       glyphs: Glyphs) {
        guard !lines.isEmpty else { return waiting("no events yet", into: &buffer, rect: rect, theme: theme, glyphs: glyphs) }
        LogView(lines: lines, scrollBack: scrollBack).render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
    }
}
