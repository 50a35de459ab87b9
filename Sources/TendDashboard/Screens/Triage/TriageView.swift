import TendCore
import TendMetrics
import TendUI

/// Draws the triage screen into `rect`: the alert list (left), the selected alert's evidence, threshold and
/// suggested action with its key (right), the drift panel (worst features' PSI of served requests, live) when
/// the run publishes drift figures, and the fairness panel (bottom) when the run has a sensitive column.
enum TriageView {
    static func render(_ m: TriageModel, into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        var area = rect
        if m.fairnessTask != nil {
            let h = min(max(6, m.fairness.count + 5), rect.height / 2)
            let fair = Rect(x: rect.x, y: rect.maxY - h, width: rect.width, height: h)
            area.height -= h
            renderFairness(m, into: &buffer, rect: fair, theme: theme, glyphs: glyphs)
        }
        if !m.drift.isEmpty && area.height >= 12 {
            let h = area.height >= 24 ? 7 : 4
            renderDrift(m, into: &buffer, rect: Rect(x: area.x, y: area.maxY - h, width: area.width, height: h), theme: theme, glyphs: glyphs)
            area.height -= h
        }
        let listWidth = max(30, area.width * 9 / 20)
        let list = Rect(x: area.x, y: area.y, width: listWidth, height: area.height)
        let detail = Rect(x: area.x + listWidth, y: area.y, width: area.width - listWidth, height: area.height)
        renderList(m, into: &buffer, rect: list, theme: theme, glyphs: glyphs)
        renderDetail(m, into: &buffer, rect: detail, theme: theme, glyphs: glyphs)
    }

    static func renderList(_ m: TriageModel, into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        let title = "Alerts: \(m.activeCount) active, \(m.rows.count - m.activeCount) resolved"
        let inner = Panel(title: title, focused: true).render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        let content = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        guard !m.rows.isEmpty else {
            buffer.put(TextFit.truncate("no alerts: all health rules pass", to: content.width, ellipsis: glyphs.ellipsis),
                       x: content.x, y: content.y, style: theme.goodText, clip: content)
            return
        }
        // First/last seen only where the list is wide enough to keep the alert ids readable.
        let wide = content.width >= 50
        let rows = m.rows.map { r -> [String] in
            let a = r.alert
            let state = a.isActive ? (r.muted ? "muted" : "active") : "resolved"
            let times = wide ? [DashboardFormat.clockTime(a.firstSeen), DashboardFormat.clockTime(a.resolvedAt ?? a.lastSeen)] : []
            return [a.severity == .critical ? "CRIT" : "warn", a.id] + times + [state]
        }
        let visible = max(1, content.height - 1)
        let scroll = max(0, m.selection - visible + 1)
        let columns: [Table.Column] = wide
            ? [.init("sev"), .init("alert", maxWidth: 28), .init("first"), .init("last"), .init("state")]
            : [.init("sev"), .init("alert"), .init("state")]
        Table(columns: columns,
              rows: rows, selectedRow: m.selection, scrollOffset: scroll)
            .render(into: &buffer, rect: content, theme: theme, glyphs: glyphs)
        // Severity colours over the first column.
        for (i, r) in m.rows.enumerated() where i >= scroll && i - scroll < visible && i != m.selection {
            let style = !r.alert.isActive || r.muted ? theme.dimText
                : r.alert.severity == .critical ? theme.criticalText : theme.warningText
            buffer.put(r.alert.severity == .critical ? "CRIT" : "warn", x: content.x, y: content.y + 1 + i - scroll,
                       style: style, clip: content)
        }
    }

    static func renderDetail(_ m: TriageModel, into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        let inner = Panel(title: "Evidence", rightTitle: m.selected.map { $0.id } ?? "")
            .render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        let c = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        guard let a = m.selected, c.height > 0 else {
            buffer.put("select an alert with up/down", x: c.x, y: c.y, style: theme.dimText, clip: c)
            return
        }
        var lines: [(String, Style)] = []
        let sevStyle = a.severity == .critical ? theme.criticalText : theme.warningText
        for l in TextFit.wrap("\(a.severity.rawValue): \(a.message)", width: c.width) { lines.append((l, sevStyle)) }
        var figures: [String] = []
        if let v = a.value { figures.append("value " + DashboardFormat.value(v)) }
        if let t = a.threshold { figures.append("threshold " + DashboardFormat.value(t)) }
        figures.append("seen \(a.hits)x")
        if let r = a.resolvedAt { figures.append("resolved " + DashboardFormat.clockTime(r)) }
        if m.rows[m.selection].muted, let u = a.mutedUntil { figures.append("muted until " + DashboardFormat.clockTime(u)) }
        lines.append((figures.joined(separator: "  "), theme.text))
        if !a.suggestion.isEmpty {
            for l in TextFit.wrap("suggested: " + a.suggestion, width: c.width) { lines.append((l, theme.accentText)) }
        }
        lines.append(("keys: " + TriageKeymap.actionHints(for: a, run: m.run).joined(separator: "  "), theme.dimText))
        var y = c.y
        for (text, style) in lines where y < c.maxY {
            buffer.put(TextFit.truncate(text, to: c.width, ellipsis: glyphs.ellipsis), x: c.x, y: y, style: style, clip: c)
            y += 1
        }
        let chart = Rect(x: c.x, y: y + 1, width: c.width, height: c.maxY - y - 1)
        guard chart.height >= 3 else { return }
        let finite = m.evidence.filter { $0.y.isFinite }
        guard let key = m.evidenceKey, !finite.isEmpty else {
            buffer.put(m.evidenceKey == nil ? "no metric for this alert" : "no finite values of \(m.evidenceKey!.tag)",
                       x: chart.x, y: chart.y, style: theme.dimText, clip: chart)
            return
        }
        var series = [LineChart.Series(name: key.tag, points: finite)]
        if let t = a.threshold, t.isFinite, let lo = finite.first?.x, let hi = finite.last?.x {
            series.append(LineChart.Series(name: "threshold", points: [(lo, t), (max(hi, lo + 1), t)],
                                           color: theme.critical))
        }
        LineChart(series: series).render(into: &buffer, rect: chart, theme: theme, glyphs: glyphs)
    }

    /// `Drift PSI`: the worst features as gauges (full bar = twice the threshold), the threshold, the
    /// prediction PSI, and a sparkline of the worst PSI per check.
    static func renderDrift(_ m: TriageModel, into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        let threshold = m.driftThreshold ?? 0.25
        let drifted = m.drift.filter { $0.psi > threshold }.count
        let inner = Panel(title: "Drift PSI (served vs training)", rightTitle: "\(drifted) of \(m.drift.count) features > \(NumberFormat.fixed(threshold, decimals: 2))")
            .render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        let c = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        guard c.height >= 1, c.width >= 20 else { return }
        func f(_ v: Double?) -> String { v.map { NumberFormat.fixed($0, decimals: 3) } ?? "-" }
        let sparkWidth = min(30, c.width / 3)
        let summary = "worst \(f(m.drift.first?.psi))  prediction \(f(m.driftPrediction))  "
        buffer.put(TextFit.truncate(summary, to: c.width - sparkWidth, ellipsis: glyphs.ellipsis), x: c.x, y: c.y, style: theme.text, clip: c)
        let top = m.driftHistory.filter(\.isFinite).max() ?? 0
        Sparkline(values: m.driftHistory, range: 0...max(threshold * 2, top))
            .render(into: &buffer, rect: Rect(x: c.maxX - sparkWidth, y: c.y, width: sparkWidth, height: 1), theme: theme, glyphs: glyphs)
        let rows = c.height - 1
        guard rows > 0 else { return }
        let columns = c.width >= 70 ? 2 : 1
        let colWidth = (c.width - (columns - 1) * 2) / columns
        let nameWidth = min(14, max(4, m.drift.prefix(rows * columns).map(\.name.count).max() ?? 4))
        let full = max(threshold * 2, m.drift.first?.psi ?? 0)
        for (i, feature) in m.drift.prefix(rows * columns).enumerated() {
            let col = i / rows, row = i % rows
            let name = TextFit.truncate(feature.name, to: nameWidth, ellipsis: glyphs.ellipsis)
            Gauge(label: name + String(repeating: " ", count: max(0, nameWidth - name.count)),
                  fraction: full > 0 ? feature.psi / full : 0, valueText: f(feature.psi),
                  tone: feature.psi > threshold ? .warning : .good)
                .render(into: &buffer, rect: Rect(x: c.x + col * (colWidth + 2), y: c.y + 1 + row, width: colWidth, height: 1),
                        theme: theme, glyphs: glyphs)
        }
    }

    static func renderFairness(_ m: TriageModel, into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        let inner = Panel(title: "Fairness (\(m.fairnessTask ?? ""))", rightTitle: "validation split")
            .render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        let c = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        let gapsWidth = min(36, c.width / 3)
        let table = Rect(x: c.x, y: c.y, width: c.width - gapsWidth - 1, height: c.height)
        func f(_ v: Double?) -> String { v.map { NumberFormat.fixed($0, decimals: 3) } ?? "-" }
        Table(columns: [.init("group"), .init("selection"), .init("TPR"), .init("FPR"), .init("accuracy")],
              rows: m.fairness.map { [$0.group, f($0.selectionRate), f($0.tpr), f($0.fpr), f($0.accuracy)] })
            .render(into: &buffer, rect: table, theme: theme, glyphs: glyphs)
        let gaps = Rect(x: table.maxX + 1, y: c.y, width: gapsWidth, height: c.height)
        var y = gaps.y
        for (name, values) in [("parity gap", m.dpGap), ("odds gap", m.eoGap)] where y + 1 < gaps.maxY {
            buffer.put(TextFit.truncate("\(name) \(f(values.last))", to: gaps.width, ellipsis: glyphs.ellipsis),
                       x: gaps.x, y: y, style: theme.text, clip: gaps)
            Sparkline(values: values, range: 0...max(0.05, values.filter(\.isFinite).max() ?? 0))
                .render(into: &buffer, rect: Rect(x: gaps.x, y: y + 1, width: gaps.width, height: 1), theme: theme, glyphs: glyphs)
            y += 3
        }
    }
}
