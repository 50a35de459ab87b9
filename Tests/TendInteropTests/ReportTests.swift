import Foundation
import Testing
import TendCore
import TendTensor
@testable import TendInterop

@Suite struct ReportTests {
    @Test func reportReadsAlertsActionsMetricsFairnessAndLayers() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let w = try MetricsJSONLWriter(path: dir.file("metrics.jsonl"))
        for i in 1...30 { w.record(.trainLoss, step: i, epoch: 0, wallTime: Double(i), value: 1 / Double(i)) }
        w.record(.trainLoss, step: 31, epoch: 0, wallTime: 31, value: .nan)
        w.record(MetricPoint(key: "fairness/positive/A/selection_rate", step: 31, epoch: 0, wallTime: 31, value: 0.7))
        w.record(MetricPoint(key: "fairness/dp_difference", step: 31, epoch: 0, wallTime: 31, value: 0.15))
        w.log(EngineEvent(wallTime: 31, message: "epoch 1/1: train loss 0.1"))
        w.log(EngineEvent(wallTime: 31, level: .error, message: "alert fired critical numerics: train/loss is nan at step 31 | roll back"))
        w.log(EngineEvent(wallTime: 32, level: .warning, message: "action pause: critical alert numerics"))
        w.log(EngineEvent(wallTime: 33, message: "alert fired warning plateau: val loss flat"))
        w.log(EngineEvent(wallTime: 34, message: "alert resolved warning plateau: val loss flat"))
        w.close()
        _ = dir.write("config.json", #"{"epochs": 1, "optimizer": "adam"}"#)
        try FileManager.default.createDirectory(atPath: dir.file("checkpoints"), withIntermediateDirectories: true)
        try SafetensorsWriter.write(tensors: [("fc1.weight", Tensor(shape: [2, 2], storage: [0, 1, 0, 2])),
                                              ("adam.m.fc1.weight", Tensor(shape: [2, 2], storage: [0, 0, 0, 0]))],
                                    metadata: ["alerts": "", "step": "30"], to: dir.file("checkpoints/last.safetensors"))

        let r = try RunReport.load(runDirectory: dir.path)
        #expect(r.timeline.map(\.kind) == ["alert_fired", "action", "alert_fired", "alert_resolved"])
        #expect(r.timeline[0].alert == "numerics" && r.timeline[0].severity == "critical")
        #expect(r.openAlerts.count == 1 && r.openAlerts[0].hasPrefix("critical numerics"))
        #expect(r.alertCounts == ["critical": 1, "warning": 1])
        let loss = try #require(r.metrics.first { $0.key == "train/loss" })
        #expect(loss.count == 31 && loss.nonFinite == 1 && loss.min == 1.0 / 30 && loss.max == 1)
        #expect(!loss.chart.isEmpty)
        #expect(r.fairness.count == 1 && r.fairness[0].group == "A" && r.fairnessSummary["dp_difference"] == 0.15)
        #expect(r.layers.map(\.name) == ["fc1.weight"] && r.layers[0].sparsity == 0.5)
        #expect(r.config["optimizer"] == "adam")
        let md = r.markdown
        #expect(md.contains("## Timeline") && md.contains("| numerics |") && md.contains("**1 non-finite**"))
        let enc = JSONEncoder()
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let json = try enc.encode(r)   // as `tend report` writes it: NaN as "nan"
        #expect(json.count > 100)
    }

    @Test func asciiChartPlacesMaxOnTopAndMinAtTheBottom() {
        let chart = RunReport.asciiChart([(0, 1), (1, 2), (2, 3), (3, 4)], width: 4, height: 4)
        #expect(chart[0].hasSuffix("|   *") && chart[0].hasPrefix("4"))
        #expect(chart[3].hasSuffix("|*   ") && chart[3].hasPrefix("1"))
        #expect(RunReport.asciiChart([(0, 1)], width: 10, height: 4).isEmpty)
    }

    @Test func lastGoodCheckpointSkipsOnesWrittenUnderACriticalAlert() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let t = [("fc1.weight", Tensor(shape: [1, 1], storage: [1]))]
        try SafetensorsWriter.write(tensors: t, metadata: ["step": "10", "alerts": "warning:plateau"], to: dir.file("epoch-0000.safetensors"))
        try SafetensorsWriter.write(tensors: t, metadata: ["step": "20", "alerts": ""], to: dir.file("epoch-0001.safetensors"))
        try SafetensorsWriter.write(tensors: t, metadata: ["step": "30", "alerts": "critical:numerics,warning:divergence"], to: dir.file("last.safetensors"))
        let all = try RunCheckpoints.list(in: dir.path)
        #expect(all.map(\.step) == [10, 20, 30])
        #expect(try RunCheckpoints.lastGood(in: dir.path)?.path == dir.file("epoch-0001.safetensors"))
    }
}
