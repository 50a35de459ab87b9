import Foundation
import Testing
import TendCore
import TendEngine
import TendInterop
@testable import TendRuntime

/// `tend train --model` / `tend eval --text-column` on the tiny BERT fixture (2 layers, hidden 32) and a
/// separable two-class text set: run files, falling loss, checkpoint round trip, resume, eval, bad input.
@Suite(.serialized) struct FineTuneRunTests {
    static let tinyBert = "Tests/TendInteropTests/Fixtures/bert/tiny-bert"

    /// A temp directory with `sep.csv`: 40 rows, label 0 texts of a/b/c, label 1 texts of v/w/x.
    static func workspace() throws -> String {
        let dir = NSTemporaryDirectory() + "tend-finetune-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let zero = ["a b c", "a c", "b a", "c c a"], one = ["x w v", "w x", "v w x", "x x"]
        var csv = "text,label\n"
        for i in 0..<40 { csv += "\"\(i % 2 == 0 ? zero[i / 2 % 4] : one[i / 2 % 4])\",\(i % 2)\n" }
        try csv.write(toFile: dir + "/sep.csv", atomically: true, encoding: .utf8)
        return dir
    }

    static func options(_ dir: String, epochs: Int = 4) -> FineTuneOptions {
        var o = FineTuneOptions(model: tinyBert)
        o.data = dir + "/sep.csv"
        o.epochs = epochs
        o.batch = 8
        o.lr = 3e-3
        o.threads = 1
        o.out = dir + "/run"
        return o
    }

    @Test func aRunWritesTheRunFilesAndTheLossFalls() throws {
        let dir = try Self.workspace(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let session = try FineTuneSession(options: Self.options(dir))
        var losses: [Double] = []
        session.onEpoch = { losses.append($0.trainLoss) }
        let summary = try session.run()
        let fm = FileManager.default
        for f in ["metrics.jsonl", "config.json", "summary.json", "checkpoints/last/model.safetensors",
                  "checkpoints/last/optimizer.safetensors", "checkpoints/last/config.json", "checkpoints/last/vocab.txt"] {
            #expect(fm.fileExists(atPath: dir + "/run/" + f), "missing \(f)")
        }
        #expect(EventFileWriter.newestEventFile(in: dir + "/run") != nil)
        #expect(summary.steps == 4 * session.stepsPerEpoch)
        #expect(summary.rows["train"]! + summary.rows["validation"]! + summary.rows["test"]! == 40)
        #expect(losses.count == 4 && losses.last! < losses.first!, "train loss per epoch \(losses)")
        #expect(summary.test != nil)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/run/summary.json"))) as? [String: Any]
        #expect((json?["test"] as? [String: Any])?["accuracy"] != nil)
        let metrics = try String(contentsOfFile: dir + "/run/metrics.jsonl", encoding: .utf8)
        #expect(metrics.contains("train/loss") && metrics.contains("val/accuracy") && metrics.contains("train/tokens_per_s"))
    }

    @Test func aCheckpointReloadsToTheSameProbabilitiesAndKeepsTheModelsNames() throws {
        let dir = try Self.workspace(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let session = try FineTuneSession(options: Self.options(dir, epochs: 2))
        _ = try session.run()
        let before = session.evaluate(rows: Array(0..<session.data.count))
        let report = try TextEvalJob(checkpoint: dir + "/run/checkpoints/last", data: dir + "/sep.csv").run()
        #expect(report.predictions.count == 40)
        for (i, row) in report.predictions.enumerated() {
            for (a, b) in zip(row.probabilities, before.probabilities[i]) { #expect(abs(a - b) < 1e-5) }
        }
        let file = try SafetensorsFile(path: dir + "/run/checkpoints/last/model.safetensors")
        let source = try SafetensorsFile(path: Self.tinyBert + "/model.safetensors")
        #expect(Set(file.names) == Set(source.names).union(["classifier.weight", "classifier.bias"]))
        #expect(file.metadata["format"] == "pt" && file.metadata[Checkpoint.Key.classLabels] == "0,1")
        #expect(file.metadata[FineTuneCheckpoint.Key.pooling] == "mean" && file.metadata[Checkpoint.Key.step] == String(2 * session.stepsPerEpoch))
    }

    @Test func resumeContinuesTheStepCount() throws {
        let dir = try Self.workspace(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try FineTuneSession(options: Self.options(dir, epochs: 1))
        _ = try first.run()
        let ck = dir + "/run/checkpoints/epoch-0001"
        var o = try FineTuneRun.options(Self.options(dir, epochs: 2), resume: ck, epochsGiven: true)
        o.out = nil   // the run directory comes from the checkpoint's path
        let resumed = try FineTuneSession(options: o, resume: ck)
        #expect(resumed.runDirectory == dir + "/run")
        #expect(resumed.optimizer.stepCount == first.stepsPerEpoch)
        let summary = try resumed.run()
        #expect(summary.steps == 2 * first.stepsPerEpoch)
        let metrics = try String(contentsOfFile: dir + "/run/metrics.jsonl", encoding: .utf8)
        #expect(metrics.contains("resume"))
    }

    @Test func evalOnATextCSVWithoutLabelsGivesPredictionsOnly() throws {
        let dir = try Self.workspace(); defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try FineTuneSession(options: Self.options(dir, epochs: 1)).run()
        try "text\nabc\n\"x, w\"\n".write(toFile: dir + "/new.csv", atomically: true, encoding: .utf8)
        let report = try TextEvalJob(checkpoint: dir + "/run/checkpoints/last", data: dir + "/new.csv").run()
        #expect(report.metrics == nil && report.predictions.count == 2 && report.label_column == nil)
        #expect(report.predictions.allSatisfy { abs($0.probabilities.reduce(0, +) - 1) < 1e-5 })
    }

    @Test func badInputIsATypedErrorNamingTheFile() throws {
        let dir = try Self.workspace(); defer { try? FileManager.default.removeItem(atPath: dir) }
        var o = Self.options(dir, epochs: 1)
        o.textColumn = "review"
        let missing = #expect(throws: CSVError.self) { _ = try FineTuneSession(options: o) }
        #expect("\(missing!)".contains("text, label"))
        try "text,label\nabc,1\nxw,yes\n".write(toFile: dir + "/words.csv", atomically: true, encoding: .utf8)
        o = Self.options(dir, epochs: 1); o.data = dir + "/words.csv"
        let notInteger = #expect(throws: (any Error).self) { _ = try FineTuneSession(options: o) }
        #expect("\(notInteger!)".contains("words.csv"))
        _ = try FineTuneSession(options: Self.options(dir, epochs: 1)).run()
        try "text,label\nabc,0\nxw,7\n".write(toFile: dir + "/seven.csv", atomically: true, encoding: .utf8)
        let unknown = #expect(throws: DataError.self) { _ = try TextEvalJob(checkpoint: dir + "/run/checkpoints/last", data: dir + "/seven.csv").run() }
        #expect(unknown == .labelNotAClass(path: dir + "/seven.csv", row: 1, label: 7, classLabels: [0, 1]))
        let family = #expect(throws: TextFineTuneError.self) { _ = try FineTuneSession(options: Self.options(dir), resume: Self.tinyBert) }
        #expect("\(family!)".contains("tiny-bert"))
    }
}
