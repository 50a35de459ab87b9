import Testing
@testable import TendUI

@Suite struct LineChartTests {
    @Test func brailleDiagonalHitsKnownDots() {
        // Plot area 4×2 cells = 8×8 dots; (0,0)→(3,1) maps to dots (0,7)…(7,0), one per column.
        let chart = LineChart(series: [.init(name: "loss", points: [(0, 0), (3, 1)])], showLegend: false, yRange: 0...1)
        #expect(picture(chart, width: 6, height: 2) == [
            "1┤··⡠⠊",
            "0┤⡠⠊··",
        ])
    }

    @Test func asciiChartWithLegendAxesAndLabels() {
        let chart = LineChart(series: [.init(name: "loss", points: [(0, 0), (9, 1)])])
        #expect(picture(chart, width: 12, height: 7, glyphs: .ascii) == [
            "* loss  ····",
            "1+········**",
            "·|·····***··",
            "·|··***·····",
            "0+**········",
            "·++---------",
            "··0·········",
        ])
    }

    @Test func constantSeriesDrawsAFlatLineInTheMiddle() {
        let chart = LineChart(series: [.init(name: "acc", points: [(0, 0.5), (1, 0.5), (2, 0.5)])], showLegend: false)
        let rows = picture(chart, width: 8, height: 3, glyphs: .ascii)
        #expect(rows[1].hasSuffix("*****"))
        #expect(!rows[0].contains("*") && !rows[2].contains("*"))
    }

    @Test func nonFinitePointsAreSkipped() {
        let points: [(x: Double, y: Double)] = [(0, 0), (1, .nan), (2, .infinity), (3, 1)]
        let chart = LineChart(series: [.init(name: "s", points: points)], showLegend: false, yRange: 0...1)
        #expect(picture(chart, width: 6, height: 2) == ["1┤··⡠⠊", "0┤⡠⠊··"])
    }

    @Test func logScaleLabelsShowRealValuesAndSkipNonPositive() {
        let chart = LineChart(series: [.init(name: "s", points: [(0, 1000), (1, 0), (2, 10)])], logY: true, showLegend: false)
        let rows = picture(chart, width: 8, height: 3, glyphs: .ascii)
        #expect(rows[0].hasPrefix("1k+"))
        #expect(rows[2].hasPrefix("10+"))
    }

    @Test func dimmedRawSeriesDrawsBehindAndMarkerFillsEmptyCells() {
        let raw = LineChart.Series(name: "raw", points: [(0, 1), (1, 0), (2, 1), (3, 0)], dimmed: true)
        let smooth = LineChart.Series(name: "loss", points: [(0, 0.5), (3, 0.5)])
        let chart = LineChart(series: [raw, smooth], markerX: 1, showLegend: false)
        let b = rendered(chart, width: 6, height: 3, glyphs: .ascii)
        // Middle row: the smoothed series wins over the raw one.
        #expect(b.lines[1] == "·|****")
        #expect(b[x: 2, y: 1].style.foreground == Theme.default.seriesColor(1))
        // Raw points are faint dots; the marker at x=1 fills the column where nothing was drawn.
        #expect(b.lines[0] == "1+.:.·")
        #expect(b.lines[2] == "0+·.·.")
    }

    @Test func legendListsNonDimmedSeries() {
        let chart = LineChart(series: [.init(name: "raw", points: [(0, 0)], dimmed: true), .init(name: "ema", points: [(0, 0)]),
                                       .init(name: "val", points: [(0, 1)])])
        let rows = picture(chart, width: 20, height: 5, glyphs: .ascii)
        #expect(rows[0] == "* ema  * val  ······")
    }
}
