import TendMetrics
import TendUI

/// Draws the what-if pruning screen: the |w| histogram (log-y) with the cut, the candidate's figures against
/// the unpruned model, the per-layer table and (after `w`) accuracy against sparsity. Pure.
public enum PruningScreenView {
    public static func render(_ preview: PruningPreview?, state: DashboardState, into buffer: inout CellBuffer, rect: Rect,
                              theme: Theme, glyphs: Glyphs) {
        let p = state.pruning
        let pending = preview.map { $0.request != p.request } ?? true
        let topHeight = max(7, rect.height * 9 / 20)
        let top = Rect(x: rect.x, y: rect.y, width: rect.width, height: min(rect.height, topHeight))
        let scope = p.global ? "global" : "per layer"
        let inner = Panel(title: "What-if pruning", focused: true,
                          rightTitle: (p.mode == .threshold ? (glyphs.textIsASCII ? "threshold" : "threshold τ") : "target sparsity") + ", " + scope
                            + (pending ? " " + glyphs.ellipsis.description : ""))
            .render(into: &buffer, rect: top, theme: theme, glyphs: glyphs)
        let content = Rect(x: inner.x + 1, y: inner.y, width: max(0, inner.width - 2), height: inner.height)
        let summaryWidth = min(42, max(28, content.width * 2 / 5))
        let histRect = Rect(x: content.x, y: content.y, width: max(0, content.width - summaryWidth - 2), height: content.height)
        let summaryRect = Rect(x: content.x + content.width - summaryWidth, y: content.y, width: summaryWidth, height: content.height)
        if let preview, !preview.histogram.isEmpty {
            Histogram(buckets: preview.histogram.map { .init(lower: $0.lower, upper: $0.upper, count: $0.count) },
                      logY: true, cut: preview.cut, dimBelowCut: true, color: theme.accent,
                      formatEdge: { NumberFormat.compact($0, significant: 2) })
                .render(into: &buffer, rect: histRect, theme: theme, glyphs: glyphs)
        } else {
            putLines([("computing the candidate" + glyphs.ellipsis.description, theme.dimText)], into: &buffer, rect: histRect, glyphs: glyphs)
        }
        putLines(summaryLines(preview, state: p, theme: theme, ascii: glyphs.textIsASCII), into: &buffer, rect: summaryRect, glyphs: glyphs)

        let rest = Rect(x: rect.x, y: top.y + top.height, width: rect.width, height: rect.height - top.height)
        guard rest.height >= 3 else { return }
        var tableRect = rest
        if let sweep = preview?.sweep, !sweep.isEmpty {
            let chartWidth = rest.width >= 100 ? rest.width / 2 : rest.width
            let stacked = chartWidth == rest.width
            let chartRect = stacked ? Rect(x: rest.x, y: rest.y, width: rest.width, height: rest.height / 2)
                : Rect(x: rest.x + rest.width - chartWidth, y: rest.y, width: chartWidth, height: rest.height)
            tableRect = stacked ? Rect(x: rest.x, y: chartRect.y + chartRect.height, width: rest.width, height: rest.height - chartRect.height)
                : Rect(x: rest.x, y: rest.y, width: rest.width - chartWidth, height: rest.height)
            renderSweep(sweep, current: preview?.sparsity ?? 0, into: &buffer, rect: chartRect, theme: theme, glyphs: glyphs)
        }
        let tableInner = Panel(title: "Layers under the candidate", rightTitle: preview.map { "snapshot at step \(DashboardFormat.grouped($0.snapshotStep))" } ?? "")
            .render(into: &buffer, rect: tableRect, theme: theme, glyphs: glyphs)
        let rows = (preview?.rows ?? []).map { r in
            [r.name, DashboardFormat.percent(r.sparsity), DashboardFormat.grouped(r.kept) + "/" + DashboardFormat.grouped(r.count),
             CompressionFormat.bytes(r.denseBytes), CompressionFormat.bytes(r.storedBytes)]
        }
        Table(columns: [.init("tensor"), .init("sparsity"), .init("kept"), .init("dense"), .init("stored")], rows: rows)
            .render(into: &buffer, rect: Rect(x: tableInner.x + 1, y: tableInner.y, width: max(0, tableInner.width - 2),
                                             height: tableInner.height), theme: theme, glyphs: glyphs)
    }

    static func summaryLines(_ preview: PruningPreview?, state p: PruningScreenState, theme: Theme, ascii: Bool) -> [(String, Style)] {
        let position = p.mode == .threshold ? (ascii ? "tau " : "τ ") + CompressionFormat.fixed(p.threshold, 4)
            : "target " + DashboardFormat.percent(p.sparsity)
        var lines: [(String, Style)] = [(position, theme.accentText)]
        guard let v = preview else { return lines + [("no figures yet", theme.dimText)] }
        let accTone = v.deltaAccuracy < -0.01 ? theme.warningText : theme.text
        lines += [
            ("sparsity " + DashboardFormat.percent(v.sparsity) + (v.cut.map { " (cut |w| " + NumberFormat.compact($0, significant: 3) + ")" } ?? ""), theme.text),
            ("kept     " + DashboardFormat.grouped(v.parametersKept) + " of " + DashboardFormat.grouped(v.parameterCount), theme.text),
            ("size     " + CompressionFormat.bytes(v.denseBytes) + " dense, " + CompressionFormat.bytes(v.storedBytes) + " stored", theme.text),
            ("         " + CompressionFormat.signedBytes(v.storedBytes - v.baselineStoredBytes) + " vs unpruned", theme.dimText),
            ("val acc  " + CompressionFormat.fixed(v.accuracy, 4) + " (" + CompressionFormat.signed(v.deltaAccuracy) + ")", accTone),
            ("val loss " + CompressionFormat.fixed(v.loss, 4) + " (" + CompressionFormat.signed(v.deltaLoss) + ")", theme.text),
            ("unpruned " + CompressionFormat.fixed(v.baselineAccuracy, 4) + " acc, " + CompressionFormat.fixed(v.baselineLoss, 4) + " loss", theme.dimText),
            ("computed in " + NumberFormat.compact(v.computeMilliseconds, significant: 2) + " ms", theme.dimText),
        ]
        return lines
    }

    static func renderSweep(_ sweep: [PruningPreview.SweepPoint], current: Double, into buffer: inout CellBuffer, rect: Rect,
                            theme: Theme, glyphs: Glyphs) {
        let inner = Panel(title: "Accuracy vs sparsity", rightTitle: "now " + DashboardFormat.percent(current))
            .render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        let chart = LineChart(series: [.init(name: "val acc", points: sweep.map { (x: $0.sparsity * 100, y: $0.accuracy) },
                                             color: theme.series.first)],
                              markerX: current * 100, showLegend: false, xRange: 0...100,
                              formatX: { NumberFormat.compact($0, significant: 2) + "%" },
                              formatY: { NumberFormat.fixed($0, decimals: 2) })
        chart.render(into: &buffer, rect: Rect(x: inner.x + 1, y: inner.y, width: max(0, inner.width - 2), height: inner.height),
                     theme: theme, glyphs: glyphs)
    }
}
