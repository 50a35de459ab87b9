import Testing
@testable import TendUI

@Suite struct PanelTests {
    @Test func borderTitleAndInnerRect() {
        var b = CellBuffer(width: 10, height: 4, fill: Cell(marker))
        let inner = Panel(title: "Loss", focused: true).render(into: &b, rect: b.bounds, theme: .default, glyphs: .unicode)
        #expect(inner == Rect(x: 1, y: 1, width: 8, height: 2))
        #expect(b.lines == ["┌┤Loss├──┐", "│        │", "│        │", "└────────┘"])
        #expect(b[x: 0, y: 0].style == Theme.default.borderStyle(focused: true))
        #expect(b[x: 2, y: 0].style == Theme.default.accentText)
    }

    @Test func rightTitleAndUnfocusedBorder() {
        var b = CellBuffer(width: 16, height: 3, fill: Cell(marker))
        Panel(title: "Loss", rightTitle: "3/6").render(into: &b, rect: b.bounds, theme: .default, glyphs: .ascii)
        #expect(b.lines == ["+[Loss]---[3/6]+", "|              |", "+--------------+"])
        #expect(b[x: 0, y: 0].style == Theme.default.borderStyle(focused: false))
    }

    @Test func longTitleIsCut() {
        var b = CellBuffer(width: 8, height: 2, fill: Cell(marker))
        Panel(title: "Validation loss").render(into: &b, rect: b.bounds, theme: .default, glyphs: .unicode)
        #expect(b.lines[0] == "┌┤Val…├┐")
    }
}

@Suite struct GaugeTests {
    @Test func unicodeGaugeFillsInEighths() {
        // 8 cells × 8 = 64 units; 0.55 → 35 units = 4 full cells and 3/8.
        #expect(picture(Gauge(label: "cpu", fraction: 0.55, valueText: "55%"), width: 16, height: 1) == ["cpu ████▍░░░ 55%"])
    }

    @Test func asciiGaugeAndClamping() {
        #expect(picture(Gauge(label: "cpu", fraction: 0.55, valueText: "55%"), width: 16, height: 1, glyphs: .ascii) == ["cpu ####---- 55%"])
        #expect(picture(Gauge(label: "mem", fraction: 7, valueText: ""), width: 8, height: 1, glyphs: .ascii) == ["mem ####"])
        #expect(picture(Gauge(label: "x", fraction: .nan, valueText: "?"), width: 6, height: 1, glyphs: .ascii) == ["---- ?"])
    }

    @Test func narrowGaugeDropsTheLabelFirst() {
        #expect(picture(Gauge(label: "cpu", fraction: 0.55, valueText: "55%"), width: 6, height: 1, glyphs: .ascii) == ["#- 55%"])
    }
}

@Suite struct SparklineTests {
    @Test func levelsAcrossTheRange() {
        let values: [Double] = [0, 1, 2, 3, 4, 5, 6, 7]
        #expect(picture(Sparkline(values: values), width: 10, height: 1) == ["··▁▂▃▄▅▆▇█"])
    }

    @Test func showsTheNewestValuesRescaled() {
        let values: [Double] = [0, 1, 2, 3, 4, 5, 6, 7]
        #expect(picture(Sparkline(values: values), width: 4, height: 1) == ["▁▃▆█"])
    }

    @Test func asciiLevelsAndGapsForNonFinite() {
        #expect(picture(Sparkline(values: [0, 1, .nan, 2, 3]), width: 5, height: 1, glyphs: .ascii) == [".-·=#"])
    }
}

@Suite struct TableTests {
    let columns = [Table.Column("name"), Table.Column("loss")]
    let rows = [["alpha", "0.25"], ["beta-long-name", "1.5"]]

    @Test func narrowTableCutsTheWidestColumnAndRightAlignsNumbers() {
        #expect(picture(Table(columns: columns, rows: rows), width: 12, height: 4) == [
            "name   ·loss",
            "alpha  ·0.25",
            "beta-l…· 1.5",
            "············",
        ])
        #expect(picture(Table(columns: columns, rows: rows), width: 12, height: 3, glyphs: .ascii)[2] == "beta-l~· 1.5")
    }

    @Test func selectedRowIsHighlightedAcrossTheWidth() {
        let b = rendered(Table(columns: columns, rows: rows, selectedRow: 1), width: 12, height: 3)
        #expect(b.lines[2] == "beta-l…  1.5")
        #expect(b[x: 7, y: 2].style == Theme.default.selected)
        #expect(b[x: 0, y: 1].style == Theme.default.text)
    }

    @Test func scrollOffsetShowsLaterRows() {
        let many = (0..<5).map { ["r\($0)", "\($0)"] }
        let t = Table(columns: columns, rows: many, scrollOffset: 2)
        #expect(picture(t, width: 9, height: 3) == ["name·loss", "r2  ·   2", "r3  ·   3"])
        #expect(Table.scrollOffset(keeping: 4, current: 0, visibleRows: 2, rowCount: 5) == 3)
        #expect(Table.scrollOffset(keeping: 1, current: 3, visibleRows: 2, rowCount: 5) == 1)
        #expect(Table.scrollOffset(keeping: 2, current: 1, visibleRows: 2, rowCount: 5) == 1)
    }

    @Test func numericDetection() {
        for s in ["12", "-0.5", "3.2e-4", "97.1%", "12 ms", "1,024", "4.5k", ".5"] { #expect(Table.looksNumeric(s), "\(s)") }
        for s in ["loss", "v1.2 beta", "", "-", "e5"] { #expect(!Table.looksNumeric(s), "\(s)") }
    }
}

@Suite struct LogViewTests {
    let lines = [LogView.Line(time: "10:00", text: "started"), .init(time: "10:01", level: .warning, text: "loss is rising fast"),
                 .init(time: "10:02", level: .error, text: "NaN")]

    @Test func wrapsWithNewestAtTheBottom() {
        let b = rendered(LogView(lines: lines), width: 16, height: 4)
        #expect(b.lines == ["10:01 loss is···", "      rising····", "      fast······", "10:02 NaN·······"])
        #expect(b[x: 6, y: 3].style == Theme.default.criticalText)
        #expect(b[x: 6, y: 0].style == Theme.default.warningText)
        #expect(b[x: 0, y: 3].style == Theme.default.dimText)
    }

    @Test func truncatesWhenNotWrapping() {
        #expect(picture(LogView(lines: lines, wrap: false), width: 16, height: 4) == [
            "················", "10:00 started···", "10:01 loss is r…", "10:02 NaN·······",
        ])
    }

    @Test func scrollBackShowsOlderRows() {
        #expect(picture(LogView(lines: lines, scrollBack: 1), width: 16, height: 2) == ["      rising····", "      fast······"])
        // Scrolling past the oldest line stops at it.
        #expect(picture(LogView(lines: lines, scrollBack: 99), width: 16, height: 2)[0] == "10:00 started···")
    }
}

@Suite struct OverlayTests {
    @Test func helpOverlayIsCentred() {
        let help = HelpOverlay(entries: [(key: "q", description: "quit"), (key: "?", description: "help")])
        #expect(picture(help, width: 20, height: 6, glyphs: .ascii) == [
            "····················",
            "····+[Keys]---+·····",
            "····| q  quit |·····",
            "····| ?  help |·····",
            "····+---------+·····",
            "····················",
        ])
    }

    @Test func confirmDialogHighlightsTheSelectedButton() {
        let dialog = ConfirmDialog(title: "Prune?", message: "Remove 40% of weights?", options: ["Cancel", "Prune"], selected: 1)
        let b = rendered(dialog, width: 34, height: 7, glyphs: .ascii)
        #expect(b.lines == [
            "····+[Prune?]----------------+····",
            "····|                        |····",
            "····| Remove 40% of weights? |····",
            "····|                        |····",
            "····| [ Cancel ]  [ Prune ]  |····",
            "····+------------------------+····",
            "··································",
        ])
        #expect(b[x: 18, y: 4].style == Theme.default.selected)
        #expect(b[x: 6, y: 4].style == Theme.default.text)
    }

    @Test func statusLineKeepsRightSegmentsWhenNarrow() {
        let status = StatusLine(left: [.init("train", tone: .accent), .init("epoch 3")], right: [.init("12.0 it/s")])
        #expect(picture(status, width: 30, height: 1) == ["train  epoch 3       12.0 it/s"])
        #expect(picture(status, width: 16, height: 1) == ["train… 12.0 it/s"])
    }
}
