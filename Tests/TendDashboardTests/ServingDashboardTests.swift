import Testing
import TendCore
import TendMetrics
import TendUI
@testable import TendDashboard

/// The dashboard while it serves a transformer it does not train: panels say so and show serving figures,
/// and keys that need training explain themselves.
@Suite struct ServingDashboardTests {
    static let card = ServedModelCard(name: "all-MiniLM-L6-v2", summary: "BERT 6 layers, hidden 384, 12 heads, mean pooling",
                                      dataPath: "Samples/rt_polarity.csv", textColumn: "text", textCount: 7530, batchSize: 1,
                                      rate: nil, maxLength: 128, storedDType: "F32")

    static func snapshot() -> MetricsSnapshot {
        var snap = MetricsSnapshot(
            gauges: [.serveTokenizeP50: 41, .serveTokenizeP99: 95, .serveTokenizeShare: 0.012, .serveTokensPerSecond: 2345,
                     .serveRequestsPerSecond: 98, .serveRequests: 1234, .serveFailed: 3, .modelBytesResident: 90_261_504,
                     .modelBytesMapped: 0],
            layers: [LayerStat(name: "embeddings.word_embeddings", shape: [30522, 384], parameters: 11_720_448),
                     LayerStat(name: "encoder.layer.0.attention.self.query", shape: [384, 384], parameters: 147_840),
                     LayerStat(name: "encoder.layer.0.intermediate.dense", shape: [1536, 384], parameters: 591_360)],
            run: RunInfo())
        snap.run.name = "serve all-MiniLM-L6-v2"
        snap.run.state = .stopped
        snap.run.step = 1234
        snap.attachments[ServedModelCard.key] = card
        return snap
    }

    static func serving(columns: Int = 120) -> DashboardState {
        var s = DashboardState(columns: columns)
        s.servedModel = card.name
        return s
    }

    func render(_ w: Int, _ h: Int, _ state: DashboardState) -> String {
        var buffer = CellBuffer(width: w, height: h)
        DashboardView.render(snapshot: Self.snapshot(), state: state, into: &buffer, theme: .default, glyphs: .unicode)
        return buffer.lines.joined(separator: "\n")
    }

    @Test func panelsSayServedNotTrainedAndShowServingFigures() {
        for (w, h) in [(80, 24), (120, 40)] {
            let text = render(w, h, Self.serving(columns: w))
            #expect(text.contains("serving all-MiniLM-L6-v2, not"), "\(w)x\(h)")
            #expect(!text.contains("waiting for first epoch"), "\(w)x\(h)")
            #expect(text.contains("tokenize p50 41µs"), "\(w)x\(h)")
            #expect(text.contains("2.35k tok/s") || text.contains("2345 tok/s") || text.contains("tok/s"), "\(w)x\(h)")
            #expect(text.contains("3 failed"), "\(w)x\(h)")
            #expect(text.contains("resident"), "\(w)x\(h)")
            #expect(text.contains(" serving "), "status line at \(w)x\(h)")
            #expect(text.contains("1,234 req"), "requests in the status line at \(w)x\(h)")
        }
    }

    @Test func zoomedLayersPanelShowsTheHuggingFaceNames() {
        var s = Self.serving(columns: 80)
        s.zoomed = .layers; s.focus = .layers
        let text = render(80, 24, s)
        #expect(text.contains("encoder.layer.0.attention.self.query"))
        #expect(text.contains("384×384"))
        #expect(text.contains("147,840"))
    }

    @Test func narrowLayersPanelShortensNames() {
        #expect(ServingPanelViews.shortName("encoder.layer.3.attention.self.query") == "L3.q")
        #expect(ServingPanelViews.shortName("encoder.layer.5.output.dense") == "L5.ffn.out")
        #expect(ServingPanelViews.shortName("encoder.layer.0.attention.output.dense") == "L0.attn.out")
        #expect(ServingPanelViews.shortName("embeddings.token_type_embeddings") == "emb.token_type")
    }

    @Test(arguments: [" ", "c", "f", "x", "z", "d"] as [Character])
    func trainingKeysExplainInsteadOfDoingNothing(key: Character) {
        let (next, actions) = update(Self.serving(), .char(key), run: .stopped)
        #expect(actions.isEmpty)
        guard case .message(let title, let text) = next.overlay else { Issue.record("no message for \(key)"); return }
        #expect(title == "Serving, not training")
        #expect(text.contains("all-MiniLM-L6-v2"))
        #expect(next.screen == .dashboard)
    }

    @Test func helpListsExactlyTheKeysThatWorkWhileServing() {
        var keys: [Key] = [.up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .tab, .backTab, .enter, .escape]
        for v in 0x20...0x7e { keys.append(.char(Character(Unicode.Scalar(UInt8(v))))) }
        var zoomed = Self.serving(); zoomed.zoomed = .layers
        for s in [Self.serving(), Self.serving(columns: 80), zoomed] {
            let listed = Set(DashboardKeymap.bindings(s, run: .stopped).flatMap(\.keys))
            for k in keys {
                let (n, a) = update(s, k, run: .stopped)
                #expect((n != s || !a.isEmpty) == listed.contains(k), "key \(k)")
            }
        }
        #expect(!DashboardKeymap.hints(Self.serving(), run: .stopped).contains { $0.hasPrefix("f ") })
    }

    @Test func trainingRunsAreUnchanged() {
        #expect(ServingPanelModel(SyntheticRun.snapshot()) == nil)
        #expect(ServingKeys.refusal(DashboardState(), .char("x")) == nil)
    }
}
