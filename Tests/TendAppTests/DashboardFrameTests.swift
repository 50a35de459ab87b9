import Foundation
import Testing
import TendCore
import TendEngine
import TendDashboard
import TendMetrics
import TendUI
import TendApp
@testable import TendRuntime

/// Drives the real dashboard (a live run on the digits sample) through the recording backend: keys in, frames out.
@Suite(.serialized) struct DashboardFrameTests {
    static func liveRun() throws -> LiveRun {
        var o = RunOptions()
        o.data = "Samples/digits.csv"
        o.hidden = "16"
        o.epochs = 4
        o.threads = 1
        o.out = NSTemporaryDirectory() + "tend-runtime-\(UUID().uuidString)"
        return try LiveRun(options: o, serving: ServingConfig(rate: 50, batchSize: 1))
    }

    static func text(_ frame: CellBuffer) -> String { frame.lines.joined(separator: "\n") }

    static func has(_ s: String) -> (CellBuffer) -> Bool { { text($0).contains(s) } }

    /// The row of `frame` holding `s`, and the style of its first cell there.
    static func style(of s: String, in frame: CellBuffer) -> Style? {
        for (y, line) in frame.lines.enumerated() {
            guard let r = line.range(of: s) else { continue }
            return frame[x: line.distance(from: line.startIndex, to: r.lowerBound), y: y].style
        }
        return nil
    }

    /// The style of the border cell just left of the title `s` (titles sit on the top edge: `┌ title`).
    static func borderStyle(before s: String, in frame: CellBuffer) -> Style? {
        for (y, line) in frame.lines.enumerated() {
            guard let r = line.range(of: s) else { continue }
            let x = line.distance(from: line.startIndex, to: r.lowerBound)
            return x >= 2 ? frame[x: x - 2, y: y].style : nil
        }
        return nil
    }

    @Test func startPauseOpenPruningMoveThresholdCommitQuit() throws {
        let live = try Self.liveRun()
        let backend = RecordingBackend(width: 120, height: 40, glyphs: .unicode, script: [
            .waitFor("training", until: Self.has("training")),
            .event(.key(.char(" "))),
            .waitFor("paused", until: Self.has("paused")),
            .event(.key(.char("x"))),
            .waitFor("the pruning preview", until: Self.has("Layers under the candidate")),
            .waitFor("preview figures", until: Self.has("fc1.weight")),
            .event(.key(.char("L"))), .event(.key(.char("L"))),
            .waitFor("tau 0.1000", until: Self.has("0.1000")),
            .event(.key(.enter)),
            .waitFor("the commit logged", until: Self.has("pruned (")),
            .event(.key(.char("q"))),
            .waitFor("the quit question", until: Self.has("write a checkpoint and quit?")),
            .event(.key(.char("y"))),
        ])
        backend.onIdle = { Thread.sleep(forTimeInterval: 0.01) }   // real time for the trainer and workers
        backend.idleLimit = 3000
        live.start()
        defer { live.session.closeInterop() }
        let catalog = ThemeCatalog.load()
        let (exit, stats) = LiveDashboard.run(live, on: backend, themes: catalog.themes, themeIndex: 0, settings: DashboardSettings(),
                                              clock: backend.now)
        #expect(backend.timedOut == nil)
        #expect(exit == .quit)
        #expect(stats.frameNanos.count == backend.frames.count)
        let frames = backend.frames.map(Self.text)
        let pruning = try #require(backend.frames.last { Self.text($0).contains("Layers under the candidate") && Self.text($0).contains("fc1.weight") })
        #expect(Self.text(pruning).contains("What-if pruning"))
        let committed = try #require(backend.frames.first { Self.text($0).contains("pruned (") })
        #expect(!Self.text(committed).contains("Layers under the candidate"))   // enter commits and goes back to the panels
        #expect(frames.contains { $0.contains("paused") })
        // The what-if panel is focused: its border has the theme's focused style, not the plain one.
        let theme = catalog.themes[0]
        let border = try #require(Self.borderStyle(before: "What-if pruning", in: pruning))
        #expect(border == theme.borderStyle(focused: true))
        #expect(border != theme.borderStyle(focused: false))
        #expect(live.isDone)
    }
}
