import Testing
@testable import TendUI

@Suite struct ClippingTests {
    static let widgets: [any Widget] = [
        LineChart(series: [.init(name: "a", points: [(0, 1), (1, 3), (2, 2)]), .init(name: "raw", points: [(0, 0), (2, 5)], dimmed: true)],
                  logY: true, markerX: 1),
        Histogram(buckets: [.init(lower: 0, upper: 1, count: 3), .init(lower: 1, upper: 2, count: 5)], cut: 1.5),
        Sparkline(values: [1, 2, 3]),
        Gauge(label: "cpu", fraction: 0.5, valueText: "50%"),
        Table(columns: [.init("a"), .init("b")], rows: [["x", "1"], ["y", "2"]], selectedRow: 1),
        LogView(lines: [.init(time: "t", text: "hello world")]),
        HelpOverlay(entries: [(key: "q", description: "quit")], footer: "Esc closes"),
        StatusLine(left: [.init("left")], right: [.init("right")]),
        ConfirmDialog(title: "Sure?", message: "Really do it?"),
        PanelWidget(),
    ]

    /// Panel returns a rect, so wrap it to test it with the others.
    struct PanelWidget: Widget {
        func render(into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
            Panel(title: "Title", focused: true, rightTitle: "x").render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        }
    }

    @Test(arguments: [Rect(x: 2, y: 2, width: 1, height: 1), Rect(x: 2, y: 2, width: 0, height: 0),
                      Rect(x: 2, y: 3, width: 3, height: 2), Rect(x: -4, y: -3, width: 9, height: 8),
                      Rect(x: 6, y: 7, width: 40, height: 40), Rect(x: 50, y: 50, width: 5, height: 5)])
    func widgetsNeverDrawOutsideTheirRect(rect: Rect) {
        for glyphs in [Glyphs.unicode, .ascii] {
            for widget in Self.widgets {
                var b = CellBuffer(width: 8, height: 8, fill: Cell(marker))
                widget.render(into: &b, rect: rect, theme: .default, glyphs: glyphs)
                for y in 0..<8 {
                    for x in 0..<8 where !rect.contains(x: x, y: y) {
                        #expect(b[x: x, y: y].grapheme == marker, "\(type(of: widget)) drew at (\(x),\(y)) outside \(rect)")
                    }
                }
            }
        }
    }

    @Test func widgetsAcceptEmptyBuffersAndEmptyData() {
        let empty: [any Widget] = [LineChart(series: []), LineChart(series: [.init(name: "n", points: [(0, .nan)])]),
                                   Histogram(buckets: []), Sparkline(values: []), Table(columns: [], rows: []),
                                   LogView(lines: []), HelpOverlay(entries: [])]
        for widget in Self.widgets + empty {
            var zero = CellBuffer(width: 0, height: 0)
            widget.render(into: &zero, rect: Rect(x: 0, y: 0, width: 10, height: 10), theme: .default, glyphs: .unicode)
            var one = CellBuffer(width: 1, height: 1)
            widget.render(into: &one, rect: one.bounds, theme: .default, glyphs: .unicode)
            var big = CellBuffer(width: 30, height: 12)
            widget.render(into: &big, rect: big.bounds, theme: .default, glyphs: .unicode)
        }
    }
}
