import Testing
import TendCore
import TendMetrics
import TendUI
@testable import TendDashboard

@Suite struct LayoutSweepTests {
    static let snapshot = SyntheticRun.snapshot()

    func render(_ w: Int, _ h: Int, _ state: DashboardState, glyphs: Glyphs = .unicode,
                snapshot: MetricsSnapshot = Self.snapshot) -> CellBuffer {
        var buffer = CellBuffer(width: w, height: h)
        DashboardView.render(snapshot: snapshot, state: state, into: &buffer, theme: .default, glyphs: glyphs)
        return buffer
    }

    @Test func everySizeFromTinyToHugeRendersWithTheStatusLineAtTheBottom() {
        let sizes = [(0, 0), (1, 1), (10, 3), (79, 24), (80, 23), (80, 24), (81, 25), (100, 30), (119, 40), (120, 40),
                     (160, 50), (200, 60), (300, 90)]
        for (w, h) in sizes {
            var s = DashboardState(columns: w)
            for zoom in [nil] + DashboardPanel.allCases.map(Optional.some) {
                s.zoomed = zoom
                let b = render(w, h, s)
                guard w >= 80, h >= 24 else {
                    if w >= 40 && h >= 3 { #expect(b.lines.joined().contains("terminal too small")) }
                    continue
                }
                #expect(b.lines[h - 1].contains("digits-mlp"), "status line at \(w)x\(h)")
                if let zoom { #expect(b.lines[0].contains(zoom.title), "zoomed \(zoom) at \(w)x\(h)") }
            }
        }
    }

    @Test func asciiGlyphsGiveAnAllASCIIScreenIncludingOverlays() {
        var s = DashboardState(themeNames: ["default", "mono"], columns: 120)
        for overlay in [DashboardOverlay.none, .help, .confirmQuit, .fineTune(FineTuneForm(dataPath: "d.csv"))] {
            s.overlay = overlay
            for (w, h) in [(80, 24), (120, 40)] {
                let text = render(w, h, s, glyphs: .ascii).lines.joined(separator: "\n")
                let bad = text.unicodeScalars.filter { !$0.isASCII }
                #expect(bad.isEmpty, "non-ASCII \(String(String.UnicodeScalarView(bad.prefix(5)))) at \(w)x\(h) with \(overlay)")
            }
        }
    }

    @Test func overlaysHideTheFocusHighlight() {
        var s = DashboardState(columns: 120)
        s.overlay = .help
        let b = render(120, 40, s)
        let rect = DashboardLayout(width: 120, height: 40, zoomed: nil, hasAlert: true).rect(of: .loss)!
        #expect(b[x: rect.x, y: rect.y].style.foreground == Theme.default.border)
    }

    @Test func numbersAreNotInventedWhenOnlyPartOfTheRunIsKnown() {
        let clock = ManualClock(SyntheticRun.startTime)
        let store = MetricsStore(clock: clock, runName: "partial")
        store.record(.trainLoss, step: 1, epoch: 0, wallTime: clock.now(), value: 2.25)
        let text = render(120, 40, DashboardState(columns: 120), snapshot: store.snapshot()).lines.joined(separator: "\n")
        #expect(text.contains("train 2.25") && text.contains("val –"))
        #expect(text.contains("no requests yet") && text.contains("waiting for first process sample"))
        #expect(text.contains("no model yet") && text.contains("no events yet"))
        #expect(!text.contains("ETA") && !text.contains("samples/s"))
    }
}
