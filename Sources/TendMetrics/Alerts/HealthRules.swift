/// The standard rule set built from thresholds, with disabled rules filtered out by the engine.
public enum HealthRules {
    public static func standard(_ t: AlertThresholds) -> [any AlertRule] {
        [NumericsRule(),
         DivergenceRule(factor: t.divergenceFactor, window: t.divergenceWindow),
         PlateauRule(evaluations: t.plateauEvaluations, minDelta: t.plateauMinDelta),
         OverfittingRule(evaluations: t.overfitEvaluations, accuracyGap: t.accuracyGap),
         ThroughputRule(drop: t.throughputDrop),
         LatencySLORule(p99Micros: t.latencyP99Micros, windowSeconds: t.latencyWindowSeconds, minRequests: t.latencyMinRequests),
         MemoryGrowthRule(bytesPerSecond: t.memorySlopeBytesPerSecond, windowSeconds: t.memoryWindowSeconds),
         DriftRule(threshold: t.driftPSI),
         FairnessRule(dpDifference: t.demographicParityDifference, eoDifference: t.equalizedOddsDifference),
         LeakageRule(score: t.leakageScore)]
    }
}
