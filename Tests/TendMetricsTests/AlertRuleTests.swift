import Testing
import TendCore
@testable import TendMetrics

/// Builds a store on a manual clock, records `series`, and returns its snapshot.
private func snapshot(_ clock: ManualClock = ManualClock(1_700_000_000), _ fill: (MetricsStore) -> Void) -> MetricsSnapshot {
    let store = MetricsStore(clock: clock)
    fill(store)
    return store.snapshot()
}

private func record(_ s: MetricsStore, _ key: MetricKey, _ values: [Double], stepEvery: Int = 1) {
    for (i, v) in values.enumerated() { s.record(key, step: (i + 1) * stepEvery, epoch: 0, wallTime: 0, value: v) }
}

private func firing(_ evals: [AlertEvaluation], _ id: String) -> Bool? { evals.first { $0.id == id }?.firing }

@Suite struct AlertRuleTests {
    let healthyLoss = (0..<100).map { 2.0 * Foundation_exp(-Double($0) / 30) + 0.1 }

    @Test func numericsFiresCriticalOnNaNLossAndNamesTheLayer() {
        let snap = snapshot { s in
            record(s, .trainLoss, [1.0, 0.9, .nan])
            s.log(EngineEvent(wallTime: 0, level: .error, message: "loss is nan at step 3; first non-finite: fc2.weight"))
        }
        let e = NumericsRule().evaluate(snap, now: 0)
        #expect(e.count == 1 && e[0].firing && e[0].severity == .critical)
        #expect(e[0].message.contains("fc2.weight"))
        let quiet = NumericsRule().evaluate(snapshot { record($0, .trainLoss, healthyLoss) }, now: 0)
        #expect(firing(quiet, "numerics") == false)
    }

    @Test func numericsNamesTheLayerWhoseActivationsOverflowed() {
        let snap = snapshot { s in
            record(s, .trainLoss, [1.0, .infinity])
            s.log(EngineEvent(wallTime: 0, level: .error,
                              message: "loss is inf at step 2; first non-finite: fc3 (activations overflowed; weights finite)"))
        }
        let e = NumericsRule().evaluate(snap, now: 0)
        #expect(e.first?.message == "train/loss is inf at step 2; offending layer: fc3 (activations overflowed; weights finite)")
    }

    @Test func divergenceFiresWhenLossStaysAboveKTimesItsMinimum() {
        let rule = DivergenceRule(factor: 3, window: 10)
        let diverged = healthyLoss + [Double](repeating: 5, count: 10)
        #expect(firing(rule.evaluate(snapshot { record($0, .trainLoss, diverged) }, now: 0), "divergence") == true)
        #expect(firing(rule.evaluate(snapshot { record($0, .trainLoss, healthyLoss) }, now: 0), "divergence") == false)
        // One spike within the window is not divergence.
        var spiky = healthyLoss + [Double](repeating: 5, count: 10); spiky[spiky.count - 3] = 0.2
        #expect(firing(rule.evaluate(snapshot { record($0, .trainLoss, spiky) }, now: 0), "divergence") == false)
    }

    @Test func plateauFiresAfterNEvaluationsWithoutImprovement() {
        let rule = PlateauRule(evaluations: 4, minDelta: 1e-3)
        let flat = [1.0, 0.8, 0.6, 0.5, 0.51, 0.52, 0.5, 0.505]
        #expect(firing(rule.evaluate(snapshot { record($0, .valLoss, flat, stepEvery: 50) }, now: 0), "plateau") == true)
        let improving = [1.0, 0.8, 0.6, 0.5, 0.45, 0.42, 0.4, 0.39]
        #expect(firing(rule.evaluate(snapshot { record($0, .valLoss, improving, stepEvery: 50) }, now: 0), "plateau") == false)
    }

    @Test func overfittingFiresWhenValRisesWhileTrainFallsOrOnAnAccuracyGap() {
        let rule = OverfittingRule(evaluations: 3, accuracyGap: 0.1)
        let over = snapshot { s in
            record(s, .trainLoss, (0..<200).map { 1.0 - Double($0) / 250 })
            record(s, .valLoss, [0.9, 0.7, 0.6, 0.65, 0.7, 0.8], stepEvery: 33)
            s.record(.trainAccuracy, step: 200, epoch: 5, wallTime: 0, value: 0.99)
            s.record(.valAccuracy, step: 200, epoch: 5, wallTime: 0, value: 0.80)
        }
        let e = rule.evaluate(over, now: 0)
        #expect(firing(e, "overfitting") == true)
        #expect(firing(e, "overfitting.gap") == true)
        #expect(e.first { $0.id == "overfitting" }?.suggestion.contains("L2") == true)
        let healthy = snapshot { s in
            record(s, .trainLoss, (0..<200).map { 1.0 - Double($0) / 250 })
            record(s, .valLoss, [0.9, 0.7, 0.6, 0.55, 0.5, 0.48], stepEvery: 33)
            s.record(.trainAccuracy, step: 200, epoch: 5, wallTime: 0, value: 0.95)
            s.record(.valAccuracy, step: 200, epoch: 5, wallTime: 0, value: 0.93)
        }
        let q = rule.evaluate(healthy, now: 0)
        #expect(firing(q, "overfitting") == false && firing(q, "overfitting.gap") == false)
    }

    @Test func latencySLOFiresWhenP99OverTheWindowExceedsTheTarget() {
        let rule = LatencySLORule(p99Micros: 5_000, windowSeconds: 10, minRequests: 20)
        let clock = ManualClock(100)
        let slow = snapshot(clock) { s in
            for i in 0..<100 { clock.set(100 + Double(i) * 0.05); s.recordLatency(nanos: i % 10 == 0 ? 20_000_000 : 1_000_000) }
        }
        #expect(firing(rule.evaluate(slow, now: 0), "latency") == true)
        let clock2 = ManualClock(100)
        let fast = snapshot(clock2) { s in
            for i in 0..<100 { clock2.set(100 + Double(i) * 0.05); s.recordLatency(nanos: 1_000_000) }
        }
        #expect(firing(rule.evaluate(fast, now: 0), "latency") == false)
        // Too few requests: no verdict.
        #expect(rule.evaluate(snapshot { $0.recordLatency(nanos: 90_000_000) }, now: 0).isEmpty)
    }

    @Test func throughputDropFiresBelowHalfTheMedian() {
        let rule = ThroughputRule(drop: 0.5)
        #expect(firing(rule.evaluate(snapshot { record($0, .samplesPerSecond, [1000, 1010, 990, 1005, 400]) }, now: 0), "throughput") == true)
        #expect(firing(rule.evaluate(snapshot { record($0, .samplesPerSecond, [1000, 1010, 990, 1005, 980]) }, now: 0), "throughput") == false)
    }

    @Test func memoryGrowthFiresOnAPositiveRSSSlope() {
        let rule = MemoryGrowthRule(bytesPerSecond: 1_048_576, windowSeconds: 60)
        func samples(_ slope: Double) -> MetricsSnapshot {
            snapshot { s in
                for t in 0..<61 {
                    s.recordProcessSample(ProcessSample(time: Double(t), rssBytes: UInt64(100_000_000 + slope * Double(t)),
                                                        peakRSSBytes: 0, threads: 3, cpuSeconds: 0, cpuPercent: nil))
                }
            }
        }
        let leak = rule.evaluate(samples(4_000_000), now: 0)
        #expect(firing(leak, "memory") == true)
        #expect(abs((leak.first?.value ?? 0) - 4_000_000) < 1)
        #expect(firing(rule.evaluate(samples(1_000), now: 0), "memory") == false)
    }

    @Test func driftFairnessAndLeakageRulesReadTheirGauges() {
        let snap = snapshot { s in
            s.set(MetricKey(MetricKey.driftPSIFeaturePrefix + "income"), 0.6)
            s.set(MetricKey(MetricKey.driftPSIFeaturePrefix + "age"), 0.01)
            s.record(.driftPSIPrediction, step: 1, epoch: 0, wallTime: 0, value: 0.05)
            s.record(.fairnessDPDifference, step: 1, epoch: 0, wallTime: 0, value: 0.2)
            s.record(.fairnessEODifference, step: 1, epoch: 0, wallTime: 0, value: 0.05)
            s.set(.leakageDuplicates, 3)
            s.set(.leakageFeatureScore, 1.0)
            s.set(.leakageFeatureColumn, text: "target_copy")
        }
        let drift = DriftRule(threshold: 0.25).evaluate(snap, now: 0)
        #expect(firing(drift, "drift") == true && firing(drift, "drift.prediction") == false)
        #expect(drift.first { $0.id == "drift" }?.message.contains("income") == true)
        let fair = FairnessRule(dpDifference: 0.1, eoDifference: 0.1).evaluate(snap, now: 0)
        #expect(firing(fair, "fairness.dp") == true && firing(fair, "fairness.eo") == false)
        let leak = LeakageRule(score: 0.99).evaluate(snap, now: 0)
        #expect(firing(leak, "leakage.duplicates") == true && firing(leak, "leakage.feature") == true)
        #expect(leak.first { $0.id == "leakage.feature" }?.message.contains("target_copy") == true)
        // Healthy gauges stay quiet.
        let calm = snapshot { s in
            s.set(MetricKey(MetricKey.driftPSIFeaturePrefix + "income"), 0.02)
            s.set(.leakageDuplicates, 0); s.set(.leakageFeatureScore, 0.7)
        }
        #expect(DriftRule(threshold: 0.25).evaluate(calm, now: 0).allSatisfy { !$0.firing })
        #expect(LeakageRule(score: 0.99).evaluate(calm, now: 0).allSatisfy { !$0.firing })
    }

    @Test func standardRulesStayQuietOnAHealthyRun() {
        let snap = snapshot { s in
            record(s, .trainLoss, healthyLoss)
            record(s, .valLoss, [1.5, 1.0, 0.7, 0.5, 0.4, 0.35], stepEvery: 16)
            record(s, .samplesPerSecond, [1000, 1010, 990, 1005, 995])
            s.record(.trainAccuracy, step: 100, epoch: 5, wallTime: 0, value: 0.95)
            s.record(.valAccuracy, step: 100, epoch: 5, wallTime: 0, value: 0.94)
        }
        let engine = AlertEngine()
        #expect(engine.evaluate(snap, now: 0).isEmpty)
        #expect(engine.snapshot().active.isEmpty)
    }
}

@Suite struct AlertEngineTests {
    @Test func tracksFirstAndLastSeenResolvesAndMutes() {
        let clock = ManualClock(1_000)
        let store = MetricsStore(clock: clock)
        let engine = AlertEngine()
        store.record(.trainLoss, step: 1, epoch: 0, wallTime: 0, value: .nan)
        let fired = engine.evaluate(store.snapshot(), now: 1_000)
        #expect(fired.map(\.kind) == [.fired] && fired[0].alert.id == "numerics")
        #expect(fired[0].eventMessage.hasPrefix("alert fired critical numerics: "))
        #expect(engine.evaluate(store.snapshot(), now: 1_005).isEmpty)
        var a = engine.snapshot().active[0]
        #expect(a.firstSeen == 1_000 && a.lastSeen == 1_005 && a.hits == 2 && a.metric == .trainLoss)
        #expect(engine.checkpointTag(at: 1_005) == "critical:numerics")
        engine.mute("numerics", until: 2_000)
        #expect(engine.snapshot().worst(at: 1_500) == nil)
        #expect(engine.checkpointTag(at: 1_500) == "")
        #expect(engine.snapshot().worst(at: 2_500) == .critical)
        store.record(.trainLoss, step: 2, epoch: 0, wallTime: 0, value: 0.5)
        // Hysteresis: healthy for two evaluations is not yet enough; the third resolves.
        #expect(engine.evaluate(store.snapshot(), now: 1_008).isEmpty)
        #expect(engine.evaluate(store.snapshot(), now: 1_009).isEmpty)
        #expect(engine.snapshot().active.count == 1)
        let resolved = engine.evaluate(store.snapshot(), now: 1_010)
        #expect(resolved.map(\.kind) == [.resolved])
        let snap = engine.snapshot()
        #expect(snap.active.isEmpty)
        a = snap.resolved[0]
        #expect(a.resolvedAt == 1_010 && a.firstSeen == 1_000)
    }

    @Test func noisySignalDoesNotFlapBetweenFiredAndResolved() {
        // A verdict that alternates fire/healthy (a noisy value near its threshold) stays one active alert;
        // it resolves only after `resolveAfterEvaluations` healthy verdicts in a row.
        let engine = AlertEngine()
        func verdict(_ firing: Bool) -> AlertEvaluation {
            AlertEvaluation(ruleID: "overfitting", severity: .warning, firing: firing, message: firing ? "rising" : "ok")
        }
        var kinds: [AlertTransition.Kind] = []
        for (i, firing) in [true, false, true, false, false, true, false, false, false].enumerated() {
            kinds += engine.apply([verdict(firing)], now: Double(i)).map(\.kind)
        }
        #expect(kinds == [.fired, .resolved])
        #expect(engine.snapshot().resolved.first?.resolvedAt == 8)
        var t = AlertThresholds(); t.resolveAfterEvaluations = 1
        let eager = AlertEngine(thresholds: t)
        let eagerKinds = [true, false, true].enumerated().flatMap { eager.apply([verdict($1)], now: Double($0)).map(\.kind) }
        #expect(eagerKinds == [.fired, .resolved, .fired])
    }

    @Test func thresholdsDisableRulesAndOverrideSeverity() {
        var t = AlertThresholds()
        t.disabled = ["numerics"]
        t.severities = ["leakage.duplicates": .critical]
        let engine = AlertEngine(thresholds: t)
        let store = MetricsStore(clock: ManualClock(0))
        store.record(.trainLoss, step: 1, epoch: 0, wallTime: 0, value: .infinity)
        store.set(.leakageDuplicates, 2)
        let out = engine.evaluate(store.snapshot(), now: 0)
        #expect(out.map(\.alert.id) == ["leakage.duplicates"])
        #expect(out.first?.alert.severity == .critical)
    }

    @Test func monitorThrottlesFinitePassesAndFinishJudgesTheLastPoints() {
        let clock = ManualClock(0)
        let store = MetricsStore(clock: clock)
        let seen = Box()
        var t = AlertThresholds(); t.overfitEvaluations = 3; t.evaluationInterval = 0.25
        let monitor = AlertMonitor(store: store, engine: AlertEngine(thresholds: t), clock: clock) { seen.add($0) }
        // Train loss falls while validation loss rises for three evaluations, all within one interval:
        // one pass (the first point), which saw too little.
        for i in 0..<40 { monitor.record(MetricPoint(key: .trainLoss, step: i, epoch: 0, wallTime: 0, value: 2 - Double(i) * 0.04)) }
        for (k, v) in [0.50, 0.52, 0.55, 0.60].enumerated() {
            monitor.record(MetricPoint(key: .valLoss, step: 10 * (k + 1), epoch: k, wallTime: 0, value: v))
        }
        #expect(monitor.cost.passes == 1 && seen.count == 0)
        // The next point after the interval runs a pass over everything recorded since.
        clock.advance(by: 0.3)
        monitor.record(MetricPoint(key: .trainLoss, step: 41, epoch: 4, wallTime: 0, value: 0.3))
        #expect(monitor.cost.passes == 2 && seen.count == 1)
        #expect(monitor.engine.snapshot().active.map(\.id) == ["overfitting"])
        // `finish` judges the tail of a run that ended between passes.
        monitor.record(MetricPoint(key: .valLoss, step: 50, epoch: 4, wallTime: 0, value: 0.2))
        #expect(monitor.cost.passes == 2)
        monitor.finish()
        #expect(monitor.cost.passes == 3)
    }

    @Test func monitorEvaluatesAtOnceOnNonFiniteValuesAndLogsTransitions() {
        let clock = ManualClock(0)
        let store = MetricsStore(clock: clock)
        let seen = Box()
        let monitor = AlertMonitor(store: store, engine: AlertEngine(), clock: clock) { seen.add($0) }
        monitor.record(MetricPoint(key: .trainLoss, step: 1, epoch: 0, wallTime: 0, value: 1))
        monitor.record(MetricPoint(key: .trainLoss, step: 2, epoch: 0, wallTime: 0, value: .nan))
        #expect(seen.count == 1)
        #expect(store.snapshot().events.last?.message.hasPrefix("alert fired critical numerics") == true)
        #expect(store.snapshot().events.last?.level == .error)
    }
}

private final class Box: @unchecked Sendable {
    var count = 0
    func add(_ t: [AlertTransition]) { count += t.count }
}

@Suite struct RulesFileTests {
    @Test func parsesParametersWithUnitsSeveritiesAndSwitches() throws {
        let text = """
        # thresholds for the digits run
        divergence.factor = 4
        latency.p99 = 5ms      # SLO
        memory.slope = 10MiB/min
        overfitting.accuracy_gap = 15%
        plateau.enabled = false
        overfitting.severity = critical
        """
        let t = try RulesFile.parse(text, path: "tend.rules")
        #expect(t.divergenceFactor == 4)
        #expect(t.latencyP99Micros == 5_000)
        #expect(abs(t.memorySlopeBytesPerSecond - 10 * 1_048_576 / 60) < 1e-6)
        #expect(abs(t.accuracyGap - 0.15) < 1e-12)
        #expect(t.disabled == ["plateau"])
        #expect(t.severities == ["overfitting": .critical])
    }

    @Test func errorsNameFileAndLine() {
        #expect(throws: RulesFileError(path: "r.rules", line: 2, message: "latency.p99 = fast: expected a duration > 0 (5ms, 250us, 0.5s)")) {
            _ = try RulesFile.parse("divergence.factor = 2\nlatency.p99 = fast\n", path: "r.rules")
        }
        do {
            _ = try RulesFile.parse("\n\ndivergense.factor = 2", path: "r.rules")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("r.rules:3: unknown parameter \"divergense.factor\""))
        }
        #expect(RulesFile.parseMicros("250us") == 250)
        #expect(RulesFile.parseMicros("0.5s") == 500_000)
    }
}

#if canImport(Glibc)
import Glibc
private func Foundation_exp(_ x: Double) -> Double { Glibc.exp(x) }
#else
import Darwin
private func Foundation_exp(_ x: Double) -> Double { Darwin.exp(x) }
#endif
