import TendMetrics
import TendUI

/// Draws the watch screen: run list, chart panels, events strip, status line, and the help or tag-picker
/// overlay. Pure: the same snapshot, state, size, theme and glyphs always give the same cells.
public enum WatchView {
    /// Renders one frame into `buffer` (its size is the screen size).
    public static func render(snapshot: RunsSnapshot, state: WatchState, into buffer: inout CellBuffer, theme: Theme,
                              glyphs: Glyphs) {
        let model = WatchViewModel(snapshot: snapshot, state: state, width: buffer.width, height: buffer.height,
                                   braille: glyphs.braille)
        render(model, state: state, into: &buffer, theme: theme, glyphs: glyphs)
    }

    public static func render(_ model: WatchViewModel, state: WatchState, into buffer: inout CellBuffer, theme: Theme,
                              glyphs: Glyphs) {
        buffer.fill(rect: buffer.bounds, cell: Cell(" ", style: theme.text))
        let layout = model.layout
        if layout.tooSmall {
            DashboardView.renderTooSmall(into: &buffer, theme: theme, glyphs: glyphs)
            return
        }
        renderRunList(model, state: state, into: &buffer, rect: layout.runList, theme: theme, glyphs: glyphs)
        for (i, rect) in layout.panels.enumerated() {
            renderChart(model.charts[i], number: i + 1, into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        }
        renderEvents(model, into: &buffer, rect: layout.events, theme: theme, glyphs: glyphs)
        renderStatus(model, into: &buffer, rect: layout.status, theme: theme, glyphs: glyphs)
        let area = Rect(x: 0, y: 0, width: buffer.width, height: layout.status.y)
        switch state.overlay {
        case .none: break
        case .help:
            let entries = WatchKeymap.bindings(state, context: model.context).map { (key: $0.label, description: $0.description) }
            HelpOverlay(title: "Keys", entries: entries, footer: "esc or ? closes this help")
                .render(into: &buffer, rect: area, theme: theme, glyphs: glyphs)
        case .tagPicker:
            if let picker = model.picker { renderPicker(picker, into: &buffer, rect: area, theme: theme, glyphs: glyphs) }
        }
    }

    // MARK: Run list

    static func renderRunList(_ m: WatchViewModel, state: WatchState, into buffer: inout CellBuffer, rect: Rect,
                              theme: Theme, glyphs: Glyphs) {
        let title = m.listed == m.progress.runs ? "Runs \(m.progress.runs)" : "Runs \(m.listed)/\(m.progress.runs)"
        let inner = Panel(title: title, focused: false, rightTitle: "\(m.shown) shown")
            .render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        let content = Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height)
        var y = content.y
        if state.editingFilter || !state.filter.isEmpty {
            let text = "/" + state.filter + (state.editingFilter ? "_" : "")
            let style = state.editingFilter ? theme.selected : theme.accentText
            if state.editingFilter {
                buffer.fill(rect: Rect(x: content.x, y: y, width: content.width, height: 1), cell: Cell(" ", style: style))
            }
            var shown = text
            if shown.count > content.width { shown = String(glyphs.ellipsis) + String(shown.suffix(max(0, content.width - 1))) }
            buffer.put(shown, x: content.x, y: y, style: style, clip: content)
            y += 1
        }
        guard !m.rows.isEmpty else {
            let text = m.progress.runs == 0 ? "no runs yet" : "no run matches"
            buffer.put(TextFit.truncate(text, to: content.width, ellipsis: glyphs.ellipsis), x: content.x + 1, y: y,
                       style: theme.dimText, clip: content)
            return
        }
        let valueWidth = content.width >= 28 ? 8 : 0
        for row in m.rows where y < content.maxY {
            let rowRect = Rect(x: content.x, y: y, width: content.width, height: 1)
            let base = row.isCursor ? theme.selected : theme.text
            if row.isCursor { buffer.fill(rect: rowRect, cell: Cell(" ", style: base)) }
            let color = theme.seriesColor(row.colorIndex)
            let dot = row.shown ? Style(foreground: color, background: base.background, attributes: .bold)
                : theme.dimText.with(background: base.background)
            buffer.put(row.shown ? glyphs.point : glyphs.faintPoint, x: content.x, y: y, style: dot, clip: content)
            // Right side: badges, then the latest value of the focused chart's tag (or a loading mark).
            var right = content.maxX
            let value = row.isLoaded ? (row.latest ?? "") : String(glyphs.ellipsis)
            if valueWidth > 0 {
                right -= valueWidth
                buffer.put(TextFit.pad(value, to: valueWidth, right: true, ellipsis: glyphs.ellipsis), x: right, y: y,
                           style: (row.isCursor ? base : theme.dimText), clip: content)
            }
            if !row.badges.isEmpty {
                let text = row.badges.prefix(2).joined(separator: " ")
                right -= text.count + 1
                let style = (row.severity == .critical ? theme.criticalText : theme.warningText).with(background: base.background)
                buffer.put(text, x: right + 1, y: y, style: style, clip: content)
            }
            let nameWidth = max(0, right - (content.x + 2))
            let nameStyle = row.shown || row.isCursor ? base : theme.dimText
            buffer.put(TextFit.truncate(row.name, to: nameWidth, ellipsis: glyphs.ellipsis), x: content.x + 2, y: y,
                       style: nameStyle, clip: content)
            y += 1
        }
        // A scroll hint when rows are hidden above or below.
        if m.scroll > 0 || m.scroll + m.rows.count < m.listed {
            let text = "\(m.scroll + 1)-\(m.scroll + m.rows.count) of \(m.listed)"
            if text.count + 4 <= rect.width {
                buffer.put(text, x: rect.maxX - 2 - text.count, y: rect.maxY - 1, style: theme.dimText, clip: rect)
            }
        }
    }

    // MARK: Charts

    static func renderChart(_ m: WatchChartModel, number: Int, into buffer: inout CellBuffer, rect: Rect, theme: Theme,
                            glyphs: Glyphs) {
        var right = "smooth " + DashboardFormat.weight(m.smoothing)
        if m.logY { right = "log, " + right }
        let title = "\(number) " + (m.tag ?? "no tag")
        let inner = Panel(title: title, focused: m.focused, rightTitle: right).render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        let content = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        guard m.tag != nil else {
            return PanelViews.waiting("no scalar tag yet", into: &buffer, rect: content, theme: theme, glyphs: glyphs)
        }
        guard !m.lines.isEmpty else {
            let text = m.runsWithTag == 0 ? "no run has this tag yet" : "no shown run has this tag (space shows a run)"
            return PanelViews.waiting(text, into: &buffer, rect: content, theme: theme, glyphs: glyphs)
        }
        var series: [LineChart.Series] = []
        series.reserveCapacity(m.lines.count * 2)
        let raw = m.showRaw && m.smoothing > 0
        // Few runs: a legend with their latest values; many: the count only (colours match the run list).
        let legend = m.lines.count <= 4
        for line in m.lines {
            let color = theme.seriesColor(line.colorIndex)
            if raw { series.append(LineChart.Series(name: line.run + " raw", points: line.raw, color: color, dimmed: true)) }
            let name = line.run + (line.latest.map { " " + DashboardFormat.value($0) } ?? "")
            series.append(LineChart.Series(name: name, points: line.smoothed, color: color, inLegend: legend))
        }
        var chartRect = content
        if !legend, content.height >= 6 {
            let text = "\(m.lines.count) runs" + (m.downsampledBefore != nil ? ", older points averaged left of " + String(glyphs.marker) : "")
            buffer.put(TextFit.truncate(text, to: content.width, ellipsis: glyphs.ellipsis), x: content.x, y: content.y,
                       style: theme.dimText, clip: content)
            chartRect = Rect(x: content.x, y: content.y + 1, width: content.width, height: content.height - 1)
        }
        LineChart(series: series, logY: m.logY, markerX: m.downsampledBefore, showLegend: legend,
                  formatX: { NumberFormat.compact($0) }, formatY: { NumberFormat.compact($0) })
            .render(into: &buffer, rect: chartRect, theme: theme, glyphs: glyphs)
    }

    // MARK: Events and status

    static func renderEvents(_ m: WatchViewModel, into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        let right = m.warningsTotal > 0 ? "\(m.warningsTotal) warning" + (m.warningsTotal == 1 ? "" : "s") : ""
        let inner = Panel(title: "Events", focused: false, rightTitle: right).render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        let content = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        guard !m.events.isEmpty else {
            buffer.put(TextFit.truncate("no warnings from the event files; no alert on the run under the cursor", to: content.width,
                                        ellipsis: glyphs.ellipsis), x: content.x, y: content.y, style: theme.dimText, clip: content)
            return
        }
        LogView(lines: m.events, wrap: false).render(into: &buffer, rect: content, theme: theme, glyphs: glyphs)
    }

    static func renderStatus(_ m: WatchViewModel, into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        let p = m.progress
        // A long logdir path gives way first: keep its end (the part that names it).
        let maxRoot = max(8, rect.width / 4)
        let root = m.root.count > maxRoot ? String(glyphs.ellipsis) + String(m.root.suffix(maxRoot - 1)) : m.root
        var left = [StatusLine.Segment(" watch " + root, tone: .title)]
        if p.isComplete {
            left.append(.init("\(p.runs) runs", tone: .good))
        } else {
            left.append(.init("loaded \(p.runsLoaded)/\(p.runs) runs", tone: .warning))
        }
        left.append(.init("\(m.context.allTags.count) tags", tone: .dim))
        var right: [StatusLine.Segment] = []
        if m.criticalRuns > 0 { right.append(.init("\(m.criticalRuns) critical", tone: .critical)) }
        if m.warningRuns > 0 { right.append(.init("\(m.warningRuns) warning", tone: .warning)) }
        // Hints give way from the end, "? help" stays.
        let fixed = left.map(\.text.count).reduce(0, +) + 2 * left.count + right.map(\.text.count).reduce(0, +) + 2 * right.count
        var hints = m.hints
        while hints.count > 1 && fixed + hints.joined(separator: "  ").count > rect.width {
            hints.remove(at: hints.count - 2)
        }
        right.append(.init(hints.joined(separator: "  ") + " ", tone: .dim))
        StatusLine(left: left, right: right).render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
    }

    // MARK: Tag picker

    static func renderPicker(_ p: WatchPickerModel, into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        let widest = p.tags.map(\.count).max() ?? 0
        let width = min(rect.width - 4, max(40, widest + 6))
        let height = min(rect.height - 2, max(6, p.tags.count + 4))
        let box = rect.centered(width: width, height: height)
        let inner = Panel(title: "Tag for chart \(p.panel + 1)", focused: true, rightTitle: "\(p.tags.count) tags")
            .render(into: &buffer, rect: box, theme: theme, glyphs: glyphs)
        let clip = inner.intersection(buffer.bounds)
        guard !clip.isEmpty else { return }
        let x = inner.x + 1, w = inner.width - 2
        buffer.put(TextFit.truncate("filter: " + p.query + "_", to: w, ellipsis: glyphs.ellipsis), x: x, y: inner.y,
                   style: theme.accentText, clip: clip)
        let listTop = inner.y + 1
        let rows = max(0, inner.maxY - 1 - listTop)
        if p.tags.isEmpty {
            buffer.put("no tag matches", x: x, y: listTop, style: theme.dimText, clip: clip)
        } else {
            let offset = Table.scrollOffset(keeping: p.selection, current: max(0, p.selection - rows / 2), visibleRows: rows,
                                            rowCount: p.tags.count)
            for (k, tag) in p.tags.dropFirst(offset).prefix(rows).enumerated() {
                let y = listTop + k
                let selected = offset + k == p.selection
                let style = selected ? theme.selected : theme.text
                if selected { buffer.fill(rect: Rect(x: x, y: y, width: w, height: 1).intersection(clip), cell: Cell(" ", style: style)) }
                buffer.put(TextFit.truncate(tag, to: w, ellipsis: glyphs.ellipsis), x: x, y: y, style: style, clip: clip)
            }
        }
        buffer.put(TextFit.truncate("type to filter  up/down  enter: put on chart  esc: cancel", to: w, ellipsis: glyphs.ellipsis),
                   x: x, y: inner.maxY - 1, style: theme.dimText, clip: clip)
    }
}
