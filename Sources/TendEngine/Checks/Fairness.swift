/// Rates of one group for one (binary or one-vs-rest) task. A rate whose denominator is zero —
/// `truePositiveRate` for a group with no positives, `falsePositiveRate` with no negatives — is nil
/// (reported as null) and left out of the between-group gaps.
public struct GroupRates: Sendable, Equatable, Codable {
    public var group: String
    public var count: Int
    public var positives: Int
    /// P(ŷ = 1 | group).
    public var selectionRate: Double?
    /// P(ŷ = 1 | y = 1, group).
    public var truePositiveRate: Double?
    /// P(ŷ = 1 | y = 0, group).
    public var falsePositiveRate: Double?
    public var accuracy: Double?
}

/// Fairlearn's between-group summaries for one task: difference = max − min over groups, ratio = min / max
/// (1 when max is 0). Equalized odds difference is the larger of the TPR and FPR differences and its ratio
/// the smaller of the two ratios; equal opportunity difference is the TPR difference. nil when fewer than
/// two groups have the rate defined.
public struct FairnessSummary: Sendable, Equatable, Codable {
    /// "positive" for a binary task, else the class (one-vs-rest).
    public var task: String
    public var groups: [GroupRates]
    public var demographicParityDifference: Double?
    public var demographicParityRatio: Double?
    public var equalizedOddsDifference: Double?
    public var equalizedOddsRatio: Double?
    public var equalOpportunityDifference: Double?
}

/// Fairness of predictions across groups of a sensitive attribute: per task (binary: one; multi-class:
/// one-vs-rest per class) and the worst figure over tasks.
public struct FairnessReport: Sendable, Equatable, Codable {
    public var tasks: [FairnessSummary]
    public var worstDemographicParityDifference: Double?
    public var worstEqualizedOddsDifference: Double?
    public var worstEqualOpportunityDifference: Double?

    /// `labels` and `predictions` are class indices; `groups[i]` names row i's group. With two classes
    /// class 1 is the positive one; with more, each class in turn is positive (one-vs-rest).
    public init(labels: [Int], predictions: [Int], groups: [String], classes: Int? = nil) {
        precondition(labels.count == predictions.count && labels.count == groups.count,
                     "FairnessReport: \(labels.count) labels, \(predictions.count) predictions, \(groups.count) groups")
        let k = classes ?? ((Swift.max(labels.max() ?? 0, predictions.max() ?? 0)) + 1)
        let positives: [Int] = k <= 2 ? [1] : Array(0..<k)
        tasks = positives.map { c in
            FairnessReport.summary(task: k <= 2 ? "positive" : "class \(c)",
                                   y: labels.map { $0 == c }, yhat: predictions.map { $0 == c }, groups: groups)
        }
        worstDemographicParityDifference = tasks.compactMap(\.demographicParityDifference).max()
        worstEqualizedOddsDifference = tasks.compactMap(\.equalizedOddsDifference).max()
        worstEqualOpportunityDifference = tasks.compactMap(\.equalOpportunityDifference).max()
    }

    /// Per-group rates and gaps of one binary task.
    public static func summary(task: String, y: [Bool], yhat: [Bool], groups: [String]) -> FairnessSummary {
        var order: [String] = []
        var idx: [String: Int] = [:]
        var n: [Int] = [], sel: [Int] = [], pos: [Int] = [], tp: [Int] = [], neg: [Int] = [], fp: [Int] = [], ok: [Int] = []
        for i in 0..<y.count {
            let g = groups[i]
            let j: Int
            if let e = idx[g] { j = e } else {
                j = order.count; idx[g] = j; order.append(g)
                n.append(0); sel.append(0); pos.append(0); tp.append(0); neg.append(0); fp.append(0); ok.append(0)
            }
            n[j] += 1
            if yhat[i] { sel[j] += 1 }
            if y[i] { pos[j] += 1; if yhat[i] { tp[j] += 1 } } else { neg[j] += 1; if yhat[i] { fp[j] += 1 } }
            if y[i] == yhat[i] { ok[j] += 1 }
        }
        func rate(_ a: Int, _ b: Int) -> Double? { b > 0 ? Double(a) / Double(b) : nil }
        var rows = (0..<order.count).map { j in
            GroupRates(group: order[j], count: n[j], positives: pos[j], selectionRate: rate(sel[j], n[j]),
                       truePositiveRate: rate(tp[j], pos[j]), falsePositiveRate: rate(fp[j], neg[j]), accuracy: rate(ok[j], n[j]))
        }
        rows.sort { $0.group < $1.group }
        func gap(_ xs: [Double?]) -> (diff: Double, ratio: Double)? {
            let v = xs.compactMap { $0 }
            guard v.count >= 2, let lo = v.min(), let hi = v.max() else { return nil }
            return (hi - lo, hi > 0 ? lo / hi : 1)
        }
        let dp = gap(rows.map(\.selectionRate)), tpr = gap(rows.map(\.truePositiveRate)), fpr = gap(rows.map(\.falsePositiveRate))
        let eoDiff: Double? = [tpr?.diff, fpr?.diff].compactMap { $0 }.max()
        let eoRatio: Double? = [tpr?.ratio, fpr?.ratio].compactMap { $0 }.min()
        return FairnessSummary(task: task, groups: rows, demographicParityDifference: dp?.diff, demographicParityRatio: dp?.ratio,
                               equalizedOddsDifference: eoDiff, equalizedOddsRatio: eoRatio, equalOpportunityDifference: tpr?.diff)
    }
}
