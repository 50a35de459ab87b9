import Foundation
import Testing
import TendCore
import TendDashboard
import TendEngine
import TendInterop
import TendMetrics
@testable import TendRuntime

/// Serving a transformer on the dashboard: the loop counts failed requests and goes on, publishes its
/// figures, and the loading errors name the column or file.
@Suite struct TextServingTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    /// The random 2-layer BERT of the interop fixtures (hidden 32, 4 heads).
    static let tinyModel = root + "/Tests/TendInteropTests/Fixtures/bert/tiny-bert"

    static func csv(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tend-serve-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Fails every `failEvery`-th request; 2 tokens per text otherwise.
    final class FlakyModel: TextRequestModel {
        var calls = 0
        let failEvery: Int
        init(failEvery: Int) { self.failEvery = failEvery }
        struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
        func serve(_ texts: [String]) throws -> TextRequestWork {
            calls += 1
            if calls % failEvery == 0 { throw Boom() }
            return TextRequestWork(tokenizeNanos: 1_000, tokens: 2 * texts.count, truncated: 0)
        }
    }

    @Test func aFailedRequestIsCountedShownAndServingGoesOn() {
        let store = MetricsStore(runName: "")
        let loop = TextServingLoop(texts: ["a", "b", "c"], model: FlakyModel(failEvery: 3),
                                   config: ServingConfig(rate: nil, batchSize: 2), store: store)
        var ok = 0
        for _ in 0..<9 where loop.serveNext() { ok += 1 }
        #expect(ok == 6 && loop.served == 6 && loop.failed == 3)
        loop.publish(seconds: 1)
        let snap = store.snapshot()
        #expect(snap.gauges[.serveFailed] == 3)
        #expect(snap.gauges[.serveRequests] == 6)
        #expect(snap.gauges[.serveTokensPerSecond] == 24)   // 6 requests × 2 texts × 2 tokens in 1 s
        #expect(snap.gauges[.serveRequestsPerSecond] == 6)
        #expect(snap.gauges[.serveTokenizeP50] == 1)          // 1 µs
        #expect(snap.latency[.all].count == 6)
        let errors = snap.events.filter { $0.level == .error }
        #expect(errors.count == 1 && errors[0].message.contains("boom") && errors[0].message.contains("serving goes on"))
        #expect(ServingPanelModel(snap) == nil)   // no card attached by a bare loop
    }

    @Test func servesTheTinyBertAndListsItsLayers() throws {
        let data = try Self.csv("id,text\n1,\"a gorgeous, witty, seductive movie.\"\n2,the plot is thin\n")
        let run = try TextServingRun(options: TextServingOptions(modelDirectory: Self.tinyModel, dataPath: data,
                                                                 serving: ServingConfig(rate: nil, batchSize: 2)))
        #expect(run.loop.serveNext())
        run.loop.publish(seconds: 1)
        let snap = run.store.snapshot()
        let model = try #require(ServingPanelModel(snap))
        #expect(model.card.textCount == 2 && model.card.batchSize == 2 && model.card.name == "tiny-bert")
        #expect((model.tokensPerSecond ?? 0) > 4)   // [CLS] … [SEP] of two texts
        #expect(model.failed == 0 && model.requests == 1)
        let parameters = try #require(snap.gauges[LiveKeys.modelParameters])
        #expect(parameters > Double(snap.layers.reduce(0) { $0 + $1.parameters }))   // + LayerNorms
        // f32 weights are read from the memory-mapped file: the mapping is the file's tensor data, and what is
        // resident (copies of biases and norms, packed panels, touched pages) is published beside it.
        let mapped = try #require(model.mappedBytes), resident = try #require(model.residentBytes)
        #expect(mapped >= parameters * 4 && mapped <= Double(model.card.fileBytes))
        #expect(resident > 0)
        let names = snap.layers.map(\.name)
        #expect(names.count == 3 + 6 * 2)   // embeddings + 6 linear layers per encoder layer
        #expect(names.contains("encoder.layer.0.attention.self.query") && names.contains("encoder.layer.1.output.dense"))
        #expect(snap.layers.allSatisfy { $0.bitsPerWeight == 32 && $0.sparsity >= 0 && $0.sparsity < 1 })
        #expect(snap.run.state != .training)
    }

    @Test func aMissingTextColumnListsTheColumns() throws {
        let data = try Self.csv("id,review\n1,fine\n")
        let error = #expect(throws: CSVError.self) {
            try TextServingRun(options: TextServingOptions(modelDirectory: Self.tinyModel, dataPath: data, textColumn: "text"))
        }
        let text = "\(error!)"
        #expect(text.contains(data) && text.contains("\"text\"") && text.contains("id, review"))
    }

    @Test func aDirectoryThatIsNotAModelGivesTheTypedError() throws {
        let data = try Self.csv("text\nfine\n")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tend-notamodel-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let error = #expect(throws: HuggingFaceModelError.self) {
            try TextServingRun(options: TextServingOptions(modelDirectory: dir, dataPath: data))
        }
        #expect(error == .noConfig(directory: dir))
        #expect("\(error!)".contains("config.json"))
    }
}
