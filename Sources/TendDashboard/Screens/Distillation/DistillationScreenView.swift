import TendCore
import TendMetrics
import TendUI

/// Draws the distillation screen: progress, teacher and student side by side (layout, parameters, bytes,
/// validation accuracy and loss, measured batch-1 latency p50/p99, agreement), then validation accuracy and loss
/// per epoch with the teacher's curve (the live run's validation points, one per epoch) and the student's overlaid. Pure.
public enum DistillationScreenView {
    public static func render(_ progress: DistillationProgress?, snapshot: MetricsSnapshot, state: DashboardState,
                              into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        let ascii = glyphs.textIsASCII
        var right = "starting" + glyphs.ellipsis.description
        if let p = progress {
            right = "T " + NumberFormat.compact(p.temperature) + (ascii ? ", alpha " : ", α ") + NumberFormat.compact(p.alpha)
                + ", serving " + p.serving
        }
        let top = Rect(x: rect.x, y: rect.y, width: rect.width, height: min(rect.height, 8))
        let inner = Panel(title: "Distillation", focused: true, rightTitle: right).render(into: &buffer, rect: top, theme: theme, glyphs: glyphs)
        let content = Rect(x: inner.x + 1, y: inner.y, width: max(0, inner.width - 2), height: inner.height)
        guard let p = progress else {
            putLines([("copying the teacher and starting the student" + glyphs.ellipsis.description, theme.dimText)],
                     into: &buffer, rect: content, glyphs: glyphs)
            return
        }
        let phase: String
        switch p.phase {
        case .training: phase = "epoch " + String(min(p.epochs.count + 1, p.epochsTotal)) + "/" + String(p.epochsTotal)
        case .finished: phase = "done, " + String(p.epochs.count) + " epochs"
        case .stopped: phase = "stopped after " + String(p.epochs.count) + " epochs"
        }
        if content.height > 0 {
            Gauge(label: p.generation > 1 ? "student " + String(p.generation) : "student", fraction: p.fractionDone, valueText: phase, tone: p.phase == .stopped ? .warning : .accent)
                .render(into: &buffer, rect: Rect(x: content.x, y: content.y, width: content.width, height: 1), theme: theme, glyphs: glyphs)
        }
        func cells(_ name: String, _ m: DistillationProgress.Model) -> [String] {
            [name, m.layout.map(String.init).joined(separator: "-"), DashboardFormat.grouped(m.parameters), CompressionFormat.bytes(m.bytes),
             m.validationAccuracy.map { CompressionFormat.fixed($0, 4) } ?? "-", m.validationLoss.map { CompressionFormat.fixed($0, 4) } ?? "-",
             m.latencyP50Microseconds.map(micros) ?? "-", m.latencyP99Microseconds.map(micros) ?? "-"]
        }
        let columns: [Table.Column] = [.init(""), .init("layout"), .init("params"), .init("bytes"), .init("val acc"), .init("val loss"),
                                       .init("p50"), .init("p99")]
        Table(columns: columns, rows: [cells("teacher", p.teacher), cells("student", p.student)])
            .render(into: &buffer, rect: Rect(x: content.x, y: content.y + 1, width: content.width, height: min(3, max(0, content.height - 1))),
                    theme: theme, glyphs: glyphs)
        var ratio = "student/teacher " + NumberFormat.fixed(Double(p.student.parameters) / Double(max(1, p.teacher.parameters)), decimals: 2)
            + (ascii ? "x" : "×") + " params"
        if let a = p.student.latencyP50Microseconds, let b = p.teacher.latencyP50Microseconds, b > 0 {
            ratio += ", " + NumberFormat.fixed(a / b, decimals: 2) + (ascii ? "x" : "×") + " p50"
        }
        if let agree = p.agreement { ratio += "; agrees with the teacher on " + DashboardFormat.percent(agree) }
        putLines([(ratio, theme.text),
                  ("teacher copied at step " + DashboardFormat.grouped(p.teacherStep) + "; latency: single-row forwards, " + (ascii ? "us" : "µs"),
                   theme.dimText)],
                 into: &buffer, rect: Rect(x: content.x, y: content.y + 4, width: content.width, height: max(0, content.height - 4)), glyphs: glyphs)

        let rest = Rect(x: rect.x, y: top.y + top.height, width: rect.width, height: rect.height - top.height)
        guard rest.height >= 4 else { return }
        let half = rest.width / 2
        let teacherAcc = curve(snapshot, .valAccuracy), teacherLoss = curve(snapshot, .valLoss)
        let studentAcc = p.epochs.compactMap { e in e.validationAccuracy.map { (x: Double(e.epoch + 1), y: $0) } }
        let studentLoss = p.epochs.compactMap { e in e.validationLoss.map { (x: Double(e.epoch + 1), y: $0) } }
        chart("Validation accuracy", teacherAcc, studentAcc, decimals: 2, into: &buffer,
              rect: Rect(x: rest.x, y: rest.y, width: half, height: rest.height), theme: theme, glyphs: glyphs)
        chart("Validation loss", teacherLoss, studentLoss, decimals: 2, into: &buffer,
              rect: Rect(x: rest.x + half, y: rest.y, width: rest.width - half, height: rest.height), theme: theme, glyphs: glyphs)
    }

    /// The teacher's validation points of the live run, numbered 1, 2, … (one per epoch).
    static func curve(_ snapshot: MetricsSnapshot, _ key: MetricKey) -> [(x: Double, y: Double)] {
        (snapshot.series[key]?.points ?? []).enumerated().map { (x: Double($0.offset + 1), y: $0.element.y) }
    }

    static func micros(_ v: Double) -> String { NumberFormat.compact(v, significant: 3) }

    static func chart(_ title: String, _ teacher: [(x: Double, y: Double)], _ student: [(x: Double, y: Double)], decimals: Int,
                      into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        let inner = Panel(title: title, rightTitle: "per epoch").render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        LineChart(series: [.init(name: "teacher", points: teacher, color: theme.seriesColor(0)),
                           .init(name: "student", points: student, color: theme.seriesColor(1))],
                  formatX: { NumberFormat.compact($0, significant: 2) }, formatY: { NumberFormat.fixed($0, decimals: decimals) })
            .render(into: &buffer, rect: Rect(x: inner.x + 1, y: inner.y, width: max(0, inner.width - 2), height: inner.height),
                    theme: theme, glyphs: glyphs)
    }
}
