import TendMetrics
import TendUI

/// Draws the `tend inspect` screen: file line, scan progress, the tensor table (stats filled in as the scan
/// reaches each tensor), the selected tensor's |w| histogram (log-y) with the cut, the what-if summary for the
/// whole file and a status line. Pure: a function of (snapshot, state).
public enum InspectView {
    /// Rows of the tensor table that fit at `height` (for paging and scrolling).
    public static func tableRows(height: Int) -> Int { max(1, tableHeight(height) - 3) }

    static func bottomHeight(_ height: Int) -> Int { height >= 36 ? 13 : (height >= 20 ? 9 : 0) }
    static func tableHeight(_ height: Int) -> Int { max(3, height - 3 - bottomHeight(height)) }

    public static func render(_ snap: InspectSnapshot, state: InspectState, into buffer: inout CellBuffer, rect: Rect,
                              theme: Theme, glyphs: Glyphs) {
        let vm = InspectViewModel.make(snap, state)
        let ascii = glyphs.textIsASCII
        let tau = ascii ? "tau" : "τ"
        // File line.
        let title = snap.path + "  " + DashboardFormat.grouped(snap.tensors.count) + " tensors, "
            + NumberFormat.compact(Double(vm.totalParameters)) + " params, " + DashboardFormat.bytes(Double(snap.fileBytes))
            + ", header " + NumberFormat.compact(snap.headerMilliseconds, significant: 2) + " ms"
        buffer.put(TextFit.truncate(title, to: rect.width, ellipsis: glyphs.ellipsis), x: rect.x, y: rect.y, style: theme.titleText, clip: rect)
        // Scan progress.
        let p = snap.scan
        let gb = { (b: Int) in b >= 100_000_000 ? NumberFormat.fixed(Double(b) / 1e9, decimals: 2) + " GB" : DashboardFormat.bytes(Double(b)) }
        let rate = p.bytesPerSecond >= 1e8 ? NumberFormat.fixed(p.bytesPerSecond / 1e9, decimals: 2) + " GB/s"
            : NumberFormat.compact(p.bytesPerSecond / 1e6, significant: 3) + " MB/s"
        let scanText: String
        if let failure = p.failure { scanText = "scan failed: " + failure }
        else if p.done { scanText = "scanned " + gb(p.totalBytes) + " in " + NumberFormat.compact(p.seconds, significant: 2) + " s, " + rate }
        else { scanText = "scanned " + gb(p.scannedBytes) + " of " + gb(p.totalBytes) + ", " + rate }
        Gauge(label: "scan", fraction: p.fraction, valueText: scanText, tone: p.failure != nil ? .critical : (p.done ? .good : .accent))
            .render(into: &buffer, rect: Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: 1), theme: theme, glyphs: glyphs)

        // Tensor table.
        let tableRect = Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: min(tableHeight(rect.height), rect.height - 3))
        renderTable(vm, snap: snap, state: state, rect: tableRect, theme: theme, glyphs: glyphs, tau: tau, buffer: &buffer)

        // Histogram and what-if.
        let bottom = Rect(x: rect.x, y: tableRect.maxY, width: rect.width, height: max(0, rect.maxY - 1 - tableRect.maxY))
        if bottom.height >= 4 {
            let summaryWidth = min(46, max(37, rect.width * 2 / 5))
            let histRect = Rect(x: bottom.x, y: bottom.y, width: bottom.width - summaryWidth, height: bottom.height)
            let sumRect = Rect(x: histRect.maxX, y: bottom.y, width: summaryWidth, height: bottom.height)
            let focused = vm.rows.indices.contains(state.selected) ? vm.rows[state.selected] : nil
            renderHistogram(focused, vm: vm, rect: histRect, theme: theme, glyphs: glyphs, tau: tau, buffer: &buffer)
            let inner = Panel(title: "What-if, whole file", rightTitle: vm.whatIf.complete ? "" : "scanned so far")
                .render(into: &buffer, rect: sumRect, theme: theme, glyphs: glyphs)
            putLines(summaryLines(vm, state: state, theme: theme, tau: tau, ascii: ascii), into: &buffer,
                     rect: Rect(x: inner.x + 1, y: inner.y, width: max(0, inner.width - 2), height: inner.height), glyphs: glyphs)
        }

        // Status line: the newest event, then the keys.
        let status = Rect(x: rect.x, y: rect.maxY - 1, width: rect.width, height: 1)
        var left: [StatusLine.Segment] = []
        if state.editingFilter { left.append(.init("filter: " + state.filter + "_", tone: .accent)) }
        else if let e = snap.events.last { left.append(.init(e, tone: e.hasPrefix("error") ? .critical : .good)) }
        // An event (a write's outcome) takes the room of the key hints but "? help" and "q quit".
        let hints = left.isEmpty || state.editingFilter ? InspectKeymap.hints(state) : ["? help", "q quit"]
        StatusLine(left: left, right: [.init(hints.joined(separator: "  "), tone: .dim)])
            .render(into: &buffer, rect: status, theme: theme, glyphs: glyphs)

        if state.overlay == .help {
            HelpOverlay(title: "tend inspect keys", entries: InspectKeymap.bindings(state).map { ($0.label, $0.description) },
                        footer: "any key closes this help")
                .render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        }
    }

    static func renderTable(_ vm: InspectViewModel, snap: InspectSnapshot, state: InspectState, rect: Rect, theme: Theme,
                            glyphs: Glyphs, tau: String, buffer: inout CellBuffer) {
        let shown = vm.rows.count == snap.tensors.count ? "" : " (\(vm.rows.count) of \(snap.tensors.count))"
        let filter = state.filter.isEmpty ? "" : " /" + state.filter
        let inner = Panel(title: "Tensors" + shown + filter, focused: true, rightTitle: "sort " + state.sort.rawValue)
            .render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        let wide = rect.width >= 110
        let quant = state.showInt4 ? "int4 dB" : "int8 dB"
        let cutTitle = (state.prune ? "<" + tau : "sparse")
        var columns: [Table.Column] = [.init("tensor"), .init("dtype"), .init("shape"), .init("params", alignment: .right)]
        columns += [.init("mean", alignment: .right), .init("std", alignment: .right)]
        if wide { columns += [.init("min", alignment: .right), .init("max", alignment: .right)] }
        columns += [.init(cutTitle, alignment: .right), .init(quant, alignment: .right)]
        let dash = "-"
        let rows: [[String]] = vm.rows.map { r in
            let t = r.tensor
            var cells = [t.name, t.dtype, "[" + t.shape.map(String.init).joined(separator: ",") + "]", NumberFormat.compact(Double(t.parameters))]
            if let s = t.stats {
                let g = { (v: Double) in NumberFormat.compact(v, significant: 3) }
                cells += [g(s.mean), g(s.std)]
                if wide { cells += [g(s.min), g(s.max)] }
                let q = state.showInt4 ? s.int4SQNR : s.int8SQNR
                cells += [r.sparsity.map(DashboardFormat.percent) ?? dash, CompressionFormat.decibels(q, ascii: glyphs.textIsASCII)]
            } else {
                let pending = t.isFloat ? glyphs.ellipsis.description : dash
                cells += Array(repeating: pending, count: wide ? 6 : 4)
            }
            return cells
        }
        let visible = max(1, inner.height - 1)
        let scroll = Table.scrollOffset(keeping: state.selected, current: max(0, state.selected - visible + 1), visibleRows: visible, rowCount: rows.count)
        Table(columns: columns, rows: rows, selectedRow: rows.isEmpty ? nil : state.selected, scrollOffset: scroll)
            .render(into: &buffer, rect: Rect(x: inner.x + 1, y: inner.y, width: max(0, inner.width - 2), height: inner.height),
                    theme: theme, glyphs: glyphs)
    }

    static func renderHistogram(_ row: InspectViewModel.Row?, vm: InspectViewModel, rect: Rect, theme: Theme, glyphs: Glyphs,
                                tau: String, buffer: inout CellBuffer) {
        let name = row?.tensor.name ?? "no tensor"
        let inner = Panel(title: "|w| of " + name, rightTitle: "log-y, cut " + tau + " " + NumberFormat.compact(vm.cut, significant: 3))
            .render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        let plot = Rect(x: inner.x + 1, y: inner.y, width: max(0, inner.width - 2), height: inner.height)
        guard let row else { return }
        guard let s = row.tensor.stats else {
            let why = row.tensor.isFloat ? "waiting for the scan" + glyphs.ellipsis.description : row.tensor.dtype + " tensor: no magnitudes"
            putLines([(why, theme.dimText)], into: &buffer, rect: plot, glyphs: glyphs)
            return
        }
        let buckets = InspectViewModel.magnitudeBuckets(s, maxBuckets: max(4, min(24, plot.width / 3)))
        guard !buckets.isEmpty else {
            putLines([("no finite weights", theme.dimText)], into: &buffer, rect: plot, glyphs: glyphs)
            return
        }
        var extra = "zeros " + DashboardFormat.grouped(s.zeros)
        if s.nonFinite > 0 { extra += ", NaN/Inf " + DashboardFormat.grouped(s.nonFinite) }
        if row.tensor.isFloat, let sp = row.sparsity { extra += ", below cut " + DashboardFormat.percent(sp) }
        buffer.put(TextFit.truncate(extra, to: plot.width, ellipsis: glyphs.ellipsis), x: plot.x, y: plot.y, style: theme.dimText, clip: plot)
        Histogram(buckets: buckets, logY: true, cut: vm.prunes ? vm.cut : nil, dimBelowCut: vm.prunes, color: theme.accent,
                  formatEdge: { NumberFormat.compact($0, significant: 2) })
            .render(into: &buffer, rect: Rect(x: plot.x, y: plot.y + 1, width: plot.width, height: max(0, plot.height - 1)),
                    theme: theme, glyphs: glyphs)
    }

    static func summaryLines(_ vm: InspectViewModel, state: InspectState, theme: Theme, tau: String, ascii: Bool) -> [(String, Style)] {
        let w = vm.whatIf
        let b = { (n: Int) in DashboardFormat.bytes(Double(n)) }
        var lines: [(String, Style)] = []
        let position = state.mode == .threshold ? tau + " " + NumberFormat.compact(vm.cut, significant: 4)
            : "target " + DashboardFormat.percent(state.targetSparsity) + ", " + tau + " " + NumberFormat.compact(vm.cut, significant: 4)
        lines.append(((state.prune ? "prune " : "no pruning; ") + position, state.prune ? theme.accentText : theme.dimText))
        lines.append(("sparsity " + DashboardFormat.percent(w.sparsity) + ", kept " + NumberFormat.compact(Double(w.kept))
                      + "/" + NumberFormat.compact(Double(w.scannedParameters)), theme.text))
        lines.append(("dense " + b(w.denseBytes) + (ascii ? " -> " : " → ") + "sparse " + b(w.sparseBytes), theme.text))
        let quantBytes = state.showInt4 ? w.int4Bytes : w.int8Bytes
        let sqnr = state.showInt4 ? w.int4SQNR : w.int8SQNR
        let label = state.showInt4 ? "int4/32 " : "int8/ch "
        lines.append((label + b(quantBytes) + ", SQNR " + CompressionFormat.decibels(sqnr, ascii: ascii) + " dB",
                      state.quantize && !state.showInt4 ? theme.accentText : theme.text))
        if let out = vm.outputPath {
            let name = out.split(separator: "/").last.map(String.init) ?? out
            lines.append(("w writes " + name, theme.dimText))
        } else {
            lines.append(("w: turn on p (prune) or i (int8)", theme.dimText))
        }
        return lines
    }
}
