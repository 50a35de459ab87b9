import Testing
import TendCore
import TendTensor
@testable import TendEngine

@Suite struct CheckTests {
    @Test func psiMatchesAHandComputedCase() {
        // Two bins split at the reference median 6: expected shares 0.5/0.5, actual 3/8 and 5/8.
        let r = populationStabilityIndex(expected: (1...10).map(Double.init), actual: [1, 2, 3, 7, 8, 9, 10, 11], bins: 2)
        #expect(r.edges == [6])
        #expect(r.expectedShares == [0.5, 0.5])
        #expect(r.actualShares == [0.375, 0.625])
        let hand = (0.375 - 0.5) * log(0.375 / 0.5) + (0.625 - 0.5) * log(0.625 / 0.5)
        #expect(abs(r.psi - hand) < 1e-12)
        #expect(abs(r.psi - 0.0638532) < 1e-6)
        // Identical distributions: 0. An empty bin uses epsilon instead of log(0).
        #expect(populationStabilityIndex(expected: (1...100).map(Double.init), actual: (1...100).map(Double.init)).psi == 0)
        let empty = populationStabilityIndex(expected: (1...10).map(Double.init), actual: [8, 9, 10], bins: 2, epsilon: 1e-4)
        let handEmpty = (1e-4 - 0.5) * log(1e-4 / 0.5) + (1 - 0.5) * log(1 / 0.5)
        #expect(abs(empty.psi - handEmpty) < 1e-12)
    }

    @Test func fairnessEqualsHandComputedFiguresIncludingAGroupWithoutPositives() {
        // Group a: y = 1 1 0 0, ŷ = 1 0 1 0 → selection 0.5, TPR 0.5, FPR 0.5, accuracy 0.5.
        // Group b: y = 1 0 0 0, ŷ = 1 1 0 0 → selection 0.5, TPR 1, FPR 1/3, accuracy 0.75.
        // Group c: y = 0 0,     ŷ = 1 0     → selection 0.5, TPR null (no positives), FPR 0.5, accuracy 0.5.
        let y =    [1, 1, 0, 0, 1, 0, 0, 0, 0, 0]
        let yhat = [1, 0, 1, 0, 1, 1, 0, 0, 1, 0]
        let g = ["a", "a", "a", "a", "b", "b", "b", "b", "c", "c"]
        let report = FairnessReport(labels: y, predictions: yhat, groups: g)
        #expect(report.tasks.count == 1)
        let t = report.tasks[0]
        #expect(t.groups.map(\.group) == ["a", "b", "c"])
        #expect(t.groups[2].truePositiveRate == nil)
        #expect(t.groups[1].falsePositiveRate == 1.0 / 3)
        #expect(t.groups.map(\.accuracy) == [0.5, 0.75, 0.5])
        #expect(t.demographicParityDifference == 0)
        #expect(t.demographicParityRatio == 1)
        // TPR gap over a and b only: 1 − 0.5; FPR gap 0.5 − 1/3. Equalized odds takes the larger.
        #expect(t.equalOpportunityDifference == 0.5)
        #expect(t.equalizedOddsDifference == 0.5)
        #expect(abs((t.equalizedOddsRatio ?? 0) - 0.5) < 1e-12)   // min(TPR ratio 0.5, FPR ratio (1/3)/0.5)
        #expect(report.worstDemographicParityDifference == 0)
    }

    @Test func fairnessIsOneVsRestForMultiClass() {
        let y =    [0, 1, 2, 0, 1, 2]
        let yhat = [0, 1, 2, 0, 0, 0]
        let g = ["a", "a", "a", "b", "b", "b"]
        let r = FairnessReport(labels: y, predictions: yhat, groups: g, classes: 3)
        #expect(r.tasks.map(\.task) == ["class 0", "class 1", "class 2"])
        // Class 0: selection a 1/3, b 1 → difference 2/3 (the worst).
        #expect(abs((r.tasks[0].demographicParityDifference ?? 0) - 2.0 / 3) < 1e-12)
        #expect(abs((r.worstDemographicParityDifference ?? 0) - 2.0 / 3) < 1e-12)
        #expect(r.tasks[1].equalOpportunityDifference == 1)
    }

    @Test func leakageFindsPlantedDuplicatesAndALeakyColumn() {
        var rng = SeededGenerator(seed: 3)
        let n = 400
        var x: [Float] = []
        var labels: [Int] = []
        for _ in 0..<n {
            let label = Int(rng.next() % 2)
            labels.append(label)
            x += [rng.nextGaussian(), rng.nextGaussian(), Float(label) * 2 + rng.nextUniform() * 0.5]   // column 2 leaks
        }
        // Plant duplicates: the last 10 rows copy the first 10.
        for i in 0..<10 { for j in 0..<3 { x[(n - 10 + i) * 3 + j] = x[i * 3 + j] }; labels[n - 10 + i] = labels[i] }
        let ds = Dataset(features: Tensor(shape: [n, 3], storage: x), labels: labels, featureNames: ["noise1", "noise2", "leak"])
        let split = DataSplit(ds, fractions: SplitFractions(train: 0.6, validation: 0.2, test: 0.2), seed: 1)
        let report = checkLeakage(split)
        // A planted pair is found unless both copies landed in the same split.
        let part = { (i: Int) -> Int in split.trainIndices.contains(i) ? 0 : (split.validationIndices.contains(i) ? 1 : 2) }
        let crossing = (0..<10).filter { part($0) != part(n - 10 + $0) }.count
        #expect(crossing > 0)
        #expect(report.duplicateCount == crossing)
        #expect(report.leakyFeatures.map(\.column) == ["leak"])
        #expect(report.featureScores[0].score == 1)
        #expect(report.featureScores.first { $0.column == "noise1" }!.score < 0.8)
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
