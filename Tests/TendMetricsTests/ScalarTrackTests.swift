import Testing
import TendCore
@testable import TendMetrics

@Suite struct ScalarTrackTests {
    @Test func shortSeriesStayRaw() {
        let t = ScalarTrack(tag: "x", steps: [0, 1, 2], values: [3, 4, 5], capacity: 8)
        #expect(t.steps == [0, 1, 2] && t.values == [3, 4, 5])
        #expect(t.downsampledBefore == nil)
        #expect(t.latest == 5 && t.count == 3)
    }

    @Test func longSeriesAverageOlderPointsAndKeepTheNewestRaw() {
        // 12 points, capacity 8: newest 4 raw, older 8 in 4 buckets of 2 (hand-computed means).
        let xs = (0..<12).map(Double.init)
        let ys = xs.map { $0 * 10 }
        let t = ScalarTrack(tag: "x", steps: xs, values: ys, capacity: 8)
        #expect(t.steps == [0.5, 2.5, 4.5, 6.5, 8, 9, 10, 11])
        #expect(t.values == [5, 25, 45, 65, 80, 90, 100, 110])
        #expect(t.downsampledBefore == 6.5)
        #expect(t.count == 12 && t.latest == 110 && t.latestStep == 11)
    }

    @Test func bucketsIgnoreNonFiniteValuesUnlessAllAre() {
        let t = ScalarTrack(tag: "x", steps: (0..<8).map(Double.init), values: [1, .nan, .infinity, .nan, 4, 5, 6, 7], capacity: 4)
        // Older 6 in 2 buckets of 3: [1, nan, inf] → 1; [nan, 4, 5] → 4.5; newest 2 raw.
        #expect(t.values == [1, 4.5, 6, 7])
        let all = ScalarTrack(tag: "x", steps: (0..<6).map(Double.init), values: [.nan, .nan, .nan, .nan, 1, 2], capacity: 4)
        #expect(all.values[0].isNaN && all.values[1].isNaN)
    }

    @Test func chartThinningKeepsEndsAndAveragesTheMiddle() {
        let t = ScalarTrack(tag: "x", steps: (0..<10).map(Double.init), values: (0..<10).map(Double.init), capacity: 64)
        let p = t.points(maxPoints: 4)
        #expect(p.map(\.x) == [0, 2.5, 6.5, 9])   // inner 8 points in 2 buckets of 4
        #expect(p.map(\.y) == [0, 2.5, 6.5, 9])
        #expect(t.points(maxPoints: 20).count == 10)
    }

    @Test func triageMapsTagsAndFlagsNaNInAnyTag() {
        #expect(ScalarTriage.metricKey(forTag: "Loss/train") == .trainLoss)
        #expect(ScalarTriage.metricKey(forTag: "eval/loss") == .valLoss)
        #expect(ScalarTriage.metricKey(forTag: "epoch_loss", runName: "fit/validation") == .valLoss)
        #expect(ScalarTriage.metricKey(forTag: "epoch_accuracy", runName: "fit/train") == .trainAccuracy)
        #expect(ScalarTriage.metricKey(forTag: "lr") == nil)
        #expect(ScalarTriage.tagsByKey(["loss", "train/loss", "train/loss_ema"])[.trainLoss] == "train/loss")
        var loss = RingSeries(capacity: 64)
        for i in 0..<5 { loss.append(step: i, value: 1 / Double(i + 1), wallTime: 0) }
        let healthy = ScalarTriage.evaluate(series: [.trainLoss: loss], latest: ["lr": (4, 0.1)], mapped: [.trainLoss: "loss"])
        #expect(healthy.isEmpty)
        loss.append(step: 5, value: .nan, wallTime: 0)
        let sick = ScalarTriage.evaluate(series: [.trainLoss: loss], latest: ["lr": (5, .infinity)], mapped: [.trainLoss: "loss"])
        #expect(sick.map(\.id) == ["numerics", "numerics[lr]"])
        #expect(sick[0].message.contains("(tag loss)"))
        #expect(sick.allSatisfy { $0.severity == .critical })
    }
}
