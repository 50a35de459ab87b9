#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TendCore
import TendMetrics
import TendUI
@testable import TendDashboard

/// Whole-screen text snapshots under `Snapshots/`, compared cell by cell (graphemes only).
/// Re-record with `TEND_RECORD_SNAPSHOTS=1 swift test --filter TendDashboardTests` and review the diff.
@Suite struct ScreenSnapshotTests {
    static let snapshot = SyntheticRun.snapshot()
    static let directory: String = {
        let file = #filePath
        return String(file[..<file.lastIndex(of: "/")!]) + "/Snapshots"
    }()

    func render(_ width: Int, _ height: Int, state: DashboardState? = nil, snapshot: MetricsSnapshot = Self.snapshot,
                glyphs: Glyphs = .unicode) -> String {
        var buffer = CellBuffer(width: width, height: height)
        let s = state ?? DashboardState(themeNames: ["default", "light"], columns: width)
        DashboardView.render(snapshot: snapshot, state: s, into: &buffer, theme: .default, glyphs: glyphs)
        return buffer.lines.joined(separator: "\n") + "\n"
    }

    func assertSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let path = Self.directory + "/" + name + ".txt"
        let record = getenv("TEND_RECORD_SNAPSHOTS").map { String(cString: $0) == "1" } ?? false
        let existing = Self.read(path)
        if record || existing == nil {
            Self.write(text, to: path)
            if !record { Issue.record("recorded missing snapshot \(path); review and commit it", sourceLocation: sourceLocation) }
            return
        }
        guard let existing, existing != text else { return }
        let a = existing.split(separator: "\n", omittingEmptySubsequences: false)
        let b = text.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        Issue.record("""
            screen differs from \(path) at line \(first + 1) (re-record with TEND_RECORD_SNAPSHOTS=1):
            expected: \(first < a.count ? String(a[first]) : "<none>")
            actual:   \(first < b.count ? String(b[first]) : "<none>")
            """, sourceLocation: sourceLocation)
    }

    static func read(_ path: String) -> String? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func write(_ text: String, to path: String) {
        mkdir(directory, 0o755)
        guard let f = fopen(path, "wb") else { Issue.record("cannot write \(path)"); return }
        let bytes = Array(text.utf8)
        _ = fwrite(bytes, 1, bytes.count, f)
        fclose(f)
    }

    @Test func dashboard80x24() { assertSnapshot(render(80, 24), named: "dashboard-80x24") }
    @Test func dashboard120x40() { assertSnapshot(render(120, 40), named: "dashboard-120x40") }
    @Test func dashboard200x60() { assertSnapshot(render(200, 60), named: "dashboard-200x60") }
    @Test func dashboardASCII80x24() { assertSnapshot(render(80, 24, glyphs: .ascii), named: "dashboard-ascii-80x24") }
    @Test func tooSmall() { assertSnapshot(render(70, 20), named: "too-small-70x20") }

    @Test func emptyRunSaysWhatItWaitsFor() {
        var snap = MetricsSnapshot(takenAt: SyntheticRun.startTime)
        snap.run = RunInfo(name: "fresh", state: .starting, startedAt: SyntheticRun.startTime)
        let text = render(80, 24, snapshot: snap)
        #expect(text.contains("waiting for first epoch"))
        #expect(text.contains("no requests yet"))
        assertSnapshot(text, named: "empty-80x24")
    }

    @Test func zoomedLossWithLogScale() {
        var s = DashboardState(columns: 120)
        s.zoomed = .loss; s.logLoss = true
        assertSnapshot(render(120, 40, state: s), named: "zoom-loss-log-120x40")
    }

    @Test func helpOverlay() {
        var s = DashboardState(themeNames: ["default", "light"], columns: 120)
        s.overlay = .help
        assertSnapshot(render(120, 40, state: s), named: "help-120x40")
    }

    @Test func quitDialogAndFineTuneForm() {
        var s = DashboardState(columns: 80)
        s.overlay = .confirmQuit
        assertSnapshot(render(80, 24, state: s), named: "confirm-quit-80x24")
        s.overlay = .fineTune(FineTuneForm(dataPath: "Samples/digits-drift.csv", focusedField: .epochs))
        assertSnapshot(render(80, 24, state: s), named: "fine-tune-80x24")
    }

    @Test func focusedPanelHasTheHighlightedBorder() {
        var buffer = CellBuffer(width: 120, height: 40)
        var s = DashboardState(columns: 120)
        s.focus = .latency
        DashboardView.render(snapshot: Self.snapshot, state: s, into: &buffer, theme: .default, glyphs: .unicode)
        let layout = DashboardLayout(width: 120, height: 40, zoomed: nil, hasAlert: false)
        for (panel, rect) in layout.panels {
            let corner = buffer[x: rect.x, y: rect.y]
            #expect((corner.style.foreground == Theme.default.borderFocused) == (panel == .latency), "\(panel)")
        }
    }

    @Test func everyShownFigureComesFromTheSnapshot() {
        let text = render(200, 60)
        let p = Self.snapshot.process!
        #expect(text.contains(DashboardFormat.bytes(Double(p.rssBytes))))
        #expect(text.contains(DashboardFormat.value(Self.snapshot.series[.trainLoss]!.latest!.y)))
        #expect(text.contains("step " + DashboardFormat.grouped(Self.snapshot.run.step)))
        #expect(text.contains("p99 " + DashboardFormat.micros(Self.snapshot.latency[.last10Seconds].p99Micros)))
    }
}
