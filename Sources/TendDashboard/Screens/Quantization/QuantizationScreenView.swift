import TendMetrics
import TendUI

/// Draws the quantization screen: scheme and end-to-end figures against fp32, then one row per layer with
/// weight and activation error (MSE, SQNR, cosine, max error, clipped) and the int4 group-32 what-if. Pure.
public enum QuantizationScreenView {
    public static func render(_ preview: QuantizationPreview?, state: DashboardState, into buffer: inout CellBuffer, rect: Rect,
                              theme: Theme, glyphs: Glyphs) {
        let q = state.quantization
        let ascii = glyphs.textIsASCII
        let pending = preview.map { $0.perChannel != q.perChannel || $0.symmetric != q.symmetric
            || $0.calibration != q.calibration || $0.keepFP32 != q.keepFP32 } ?? true
        let summary = summaryLines(preview, state: q, theme: theme, ascii: ascii)
        let top = Rect(x: rect.x, y: rect.y, width: rect.width, height: min(rect.height, summary.count + 2))
        let inner = Panel(title: "Quantization int8", focused: true,
                          rightTitle: "serving " + (preview?.serving ?? "fp32") + (pending ? " " + glyphs.ellipsis.description : ""))
            .render(into: &buffer, rect: top, theme: theme, glyphs: glyphs)
        putLines(summary, into: &buffer, rect: Rect(x: inner.x + 1, y: inner.y, width: max(0, inner.width - 2), height: inner.height),
                 glyphs: glyphs)
        let rest = Rect(x: rect.x, y: top.y + top.height, width: rect.width, height: rect.height - top.height)
        guard rest.height >= 3 else { return }
        let tableInner = Panel(title: "Layers (weights; activations on the validation split; int4 g32 what-if)",
                               rightTitle: "SQNR < " + NumberFormat.compact(q.sqnrThresholdDB) + " dB: k keeps fp32")
            .render(into: &buffer, rect: rest, theme: theme, glyphs: glyphs)
        let wide = tableInner.width >= 110
        var columns: [Table.Column] = [.init("layer"), .init("prec")]
        columns += wide ? [.init("W mse"), .init("W dB"), .init("W cos"), .init("W max"), .init("W clip"),
                           .init("A mse"), .init("A dB"), .init("A cos"), .init("A max"), .init("A clip"),
                           .init("i4 dB"), .init("i4 cos")]
            : [.init("W dB"), .init("W cos"), .init("A dB"), .init("A cos"), .init("A clip"), .init("i4 dB")]
        let rows: [[String]] = (preview?.layers ?? []).map { l in
            let low = l.summary.sqnrDB < q.sqnrThresholdDB ? (ascii ? " !" : " ▼") : ""
            var r = [l.name + low, l.precision]
            let a = l.activation
            let dash = "-"
            if wide {
                r += [CompressionFormat.error(l.weight.mse), CompressionFormat.decibels(l.weight.sqnrDB, ascii: ascii),
                      CompressionFormat.fixed(l.weight.cosine, 4), CompressionFormat.error(l.weight.maxAbsError),
                      DashboardFormat.percent(l.weight.clippedFraction),
                      a.map { CompressionFormat.error($0.mse) } ?? dash, a.map { CompressionFormat.decibels($0.sqnrDB, ascii: ascii) } ?? dash,
                      a.map { CompressionFormat.fixed($0.cosine, 4) } ?? dash, a.map { CompressionFormat.error($0.maxAbsError) } ?? dash,
                      a.map { DashboardFormat.percent($0.clippedFraction) } ?? dash,
                      CompressionFormat.decibels(l.int4Weight.sqnrDB, ascii: ascii), CompressionFormat.fixed(l.int4Weight.cosine, 4)]
            } else {
                r += [CompressionFormat.decibels(l.weight.sqnrDB, ascii: ascii), CompressionFormat.fixed(l.weight.cosine, 3),
                      a.map { CompressionFormat.decibels($0.sqnrDB, ascii: ascii) } ?? dash, a.map { CompressionFormat.fixed($0.cosine, 3) } ?? dash,
                      a.map { DashboardFormat.percent($0.clippedFraction) } ?? dash,
                      CompressionFormat.decibels(l.int4Weight.sqnrDB, ascii: ascii)]
            }
            return r
        }
        Table(columns: columns, rows: rows, selectedRow: rows.isEmpty ? nil : min(q.selected, rows.count - 1))
            .render(into: &buffer, rect: Rect(x: tableInner.x + 1, y: tableInner.y, width: max(0, tableInner.width - 2),
                                             height: tableInner.height), theme: theme, glyphs: glyphs)
    }

    static func summaryLines(_ p: QuantizationPreview?, state q: QuantizationScreenState, theme: Theme, ascii: Bool) -> [(String, Style)] {
        let scheme = (q.perChannel ? "per-channel" : "per-tensor") + ", " + (q.symmetric ? "symmetric" : "affine")
            + ", calibration " + q.calibration + (q.keepFP32.isEmpty ? "" : ", fp32: " + q.keepFP32.joined(separator: " "))
        var lines: [(String, Style)] = [("scheme   " + scheme + (p.map { ", kernel " + $0.kernel } ?? ""), theme.accentText)]
        guard let p else { return lines + [("computing" + (ascii ? "..." : "…"), theme.dimText)] }
        func e2e(_ name: String, _ v: QuantizationPreview.EndToEnd?, _ base: QuantizationPreview.EndToEnd?) -> String {
            guard let v else { return name + " -" }
            var s = name + " acc " + CompressionFormat.fixed(v.accuracy, 4) + ", loss " + CompressionFormat.fixed(v.loss, 4)
            if let base, name != "fp32" {
                s += " (" + CompressionFormat.signed(v.accuracy - base.accuracy) + " acc)"
            }
            return s
        }
        let int8Tone = (p.int8?.accuracy ?? 1) < (p.fp32?.accuracy ?? 0) - 0.01 ? theme.warningText : theme.text
        lines += [
            (e2e("fp32", p.fp32, nil) + "   on " + DashboardFormat.grouped(p.validationRows) + " validation rows", theme.text),
            (e2e("int8", p.int8, p.fp32) + (p.agreement.map { ", agreement " + DashboardFormat.percent($0) } ?? ""), int8Tone),
            (e2e("int4 w-only", p.int4, p.fp32), theme.dimText),
            ("size     " + CompressionFormat.bytes(p.fp32Bytes) + " fp32, " + CompressionFormat.bytes(p.int8Bytes) + " int8; computed in "
                + NumberFormat.compact(p.computeMilliseconds, significant: 2) + " ms", theme.dimText),
        ]
        return lines
    }
}
