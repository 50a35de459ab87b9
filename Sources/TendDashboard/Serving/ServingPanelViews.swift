import TendCore
import TendMetrics
import TendUI

/// Panel contents while the dashboard serves a model it does not train: loss and accuracy say so (no curve
/// pretends to train), latency adds tokenization and token throughput, memory shows where the weights live,
/// layers gets a name column wide enough for `encoder.layer.0.attention.self.query`. Pure.
enum ServingPanelViews {
    /// Draws `panel` for serving; false when the ordinary view draws it (events).
    static func render(_ panel: DashboardPanel, serving s: ServingPanelModel, model: DashboardViewModel,
                       into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) -> Bool {
        switch panel {
        case .loss:
            lines([s.notTrainingText, "loss needs labels and training:", "this dashboard runs inference only",
                   "\(s.card.summary)"], into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        case .accuracy:
            lines([s.notTrainingText, "served: \(s.card.dataPath) (\(DashboardFormat.grouped(s.card.textCount)) texts, column \(s.card.textColumn))",
                   "\(s.loadText), up to \(s.card.maxLength) tokens",
                   "no accuracy: the model embeds texts"], into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        case .latency:
            latency(s, model.latency, into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        case .memory:
            memory(s, model.memory, into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        case .layers:
            layers(model.layers, into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        case .events:
            return false
        }
        return true
    }

    /// Paragraphs from the top, wrapped to the rect's width, the first in normal text, the rest dimmed.
    static func lines(_ text: [String], into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        var y = rect.y
        for (i, paragraph) in text.enumerated() {
            for line in TextFit.wrap(paragraph, width: max(1, rect.width)) where y < rect.maxY {
                buffer.put(TextFit.truncate(line, to: rect.width, ellipsis: glyphs.ellipsis), x: rect.x, y: y,
                           style: i == 0 ? theme.text : theme.dimText, clip: rect)
                y += 1
            }
        }
    }

    static func latency(_ s: ServingPanelModel, _ m: LatencyModel, into buffer: inout CellBuffer, rect: Rect, theme: Theme,
                        glyphs: Glyphs) {
        let ascii = glyphs.textIsASCII
        func t(_ us: Double) -> String { DashboardFormat.micros(us, ascii: ascii) }
        var head: [String] = []
        if let p50 = s.tokenizeP50 {
            head.append("tokenize p50 " + t(p50) + (s.tokenizeP99.map { " p99 " + t($0) } ?? "")
                        + (s.tokenizeShare.map { " (" + DashboardFormat.percent($0) + ")" } ?? ""))
        }
        if let tps = s.tokensPerSecond { head.append(NumberFormat.compact(tps) + " tok/s") }
        head.append(s.failed > 0 ? "\(DashboardFormat.grouped(s.failed)) failed" : "0 failed")
        let top = PanelViews.flow(head, width: rect.width)
        guard !m.isEmpty else {
            lines(["no requests yet (\(s.loadText))"] + top, into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
            return
        }
        for (i, line) in top.enumerated() where i < rect.height - 1 {
            let style = s.failed > 0 && line.hasSuffix("failed") && !line.hasSuffix(" 0 failed") ? theme.warningText : theme.text
            buffer.put(line, x: rect.x, y: rect.y + i, style: style, clip: rect)
        }
        let used = min(top.count, max(0, rect.height - 1))
        PanelViews.latency(m, into: &buffer, rect: Rect(x: rect.x, y: rect.y + used, width: rect.width, height: rect.height - used),
                           theme: theme, glyphs: glyphs)
    }

    static func memory(_ s: ServingPanelModel, _ m: MemoryModel, into buffer: inout CellBuffer, rect: Rect, theme: Theme,
                       glyphs: Glyphs) {
        var text: [String] = []
        if s.residentBytes != nil || s.mappedBytes != nil {
            text = PanelViews.flow(["model " + DashboardFormat.bytes(s.residentBytes ?? 0) + " resident",
                                    DashboardFormat.bytes(s.mappedBytes ?? 0) + " mapped",
                                    "of a " + (s.card.fileBytes > 0 ? DashboardFormat.bytes(Double(s.card.fileBytes)) + " " : "")
                                        + s.card.storedDType + " file"],
                                   width: rect.width)
        }
        for (i, line) in text.enumerated() where i < rect.height {
            buffer.put(TextFit.truncate(line, to: rect.width, ellipsis: glyphs.ellipsis), x: rect.x, y: rect.y + i,
                       style: theme.text, clip: rect)
        }
        var rest = m
        rest.modelBytesDense = nil; rest.modelBytesStored = nil   // shown above as resident / mapped
        let used = min(text.count, rect.height)
        PanelViews.memory(rest, into: &buffer, rect: Rect(x: rect.x, y: rect.y + used, width: rect.width, height: rect.height - used),
                          theme: theme, glyphs: glyphs)
    }

    static func layers(_ m: LayersModel, into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        guard !m.rows.isEmpty else { return PanelViews.waiting("no model yet", into: &buffer, rect: rect, theme: theme, glyphs: glyphs) }
        var tableRect = rect
        if rect.height >= 3 {
            tableRect.height -= 1
            let bits = Set(m.rows.map { $0[4] })
            let params = rect.width >= 60 ? DashboardFormat.grouped(m.totalParameters) : NumberFormat.compact(Double(m.totalParameters))
            var summary = params + " params, \(m.rows.count) layers"
                + (bits.count == 1 ? ", \(bits.first!) bits" : "")
            if let s = m.overallSparsity { summary += ", " + DashboardFormat.percent(s) + " zero" }
            buffer.put(TextFit.truncate(summary, to: rect.width, ellipsis: glyphs.ellipsis), x: rect.x, y: rect.maxY - 1,
                       style: theme.dimText, clip: rect)
        }
        // No SQNR column (nothing is quantized). Full Hugging Face names when they fit (zoomed, wide screens);
        // else short names, compact counts and no bits column (all 32 bits: said in the summary line).
        let longest = m.rows.map { $0[0].count }.max() ?? 0
        let figures = 9 + 11 + 7 + 5 + 4
        if rect.width >= longest + figures {
            let columns = LayersModel.columns.prefix(5).enumerated().map { i, title in
                Table.Column(title, alignment: i <= 1 ? .left : .right, maxWidth: i == 0 ? longest : nil)
            }
            Table(columns: Array(columns), rows: m.rows.map { Array($0.prefix(5)) })
                .render(into: &buffer, rect: tableRect, theme: theme, glyphs: glyphs)
        } else {
            let columns = [Table.Column("layer", alignment: .left), Table.Column("shape", alignment: .left),
                           Table.Column("params", alignment: .right), Table.Column("zero", alignment: .right)]
            let rows = m.rows.map { r in
                [shortName(r[0]), r[1], Int(r[2].filter(\.isNumber)).map { NumberFormat.compact(Double($0)) } ?? r[2], r[3]]
            }
            Table(columns: columns, rows: rows).render(into: &buffer, rect: tableRect, theme: theme, glyphs: glyphs)
        }
    }

    /// `encoder.layer.3.attention.self.query` as `L3.q`, `…intermediate.dense` as `L3.ffn.in`, `embeddings.word_embeddings`
    /// as `emb.word`: the layers panel's names when the full ones do not fit.
    static func shortName(_ name: String) -> String {
        var n = name
        for (long, short) in [("encoder.layer.", "L"), ("attention.self.query", "q"), ("attention.self.key", "k"),
                              ("attention.self.value", "v"), ("attention.output.dense", "attn.out"),
                              ("intermediate.dense", "ffn.in"), ("output.dense", "ffn.out"),
                              ("embeddings.", "emb."), ("_embeddings", "")] {
            n = n.replacing(long, with: short)
        }
        return n
    }
}
