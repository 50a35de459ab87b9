import Foundation
import Testing
import TendCore
import TendTensor
@testable import TendEngine

@Suite struct ServingDriftTests {
    @Test func binningGivesTheSamePSIAsTheOneShotFunction() {
        var g = SeededGenerator(seed: 21)
        let reference = (0..<500).map { _ in Double(g.nextGaussian()) }
        let discrete = (0..<500).map { _ in Double(g.next() % 4) }
        let shifted = (0..<300).map { _ in Double(g.nextGaussian()) + 0.7 }
        let counts = (0..<300).map { _ in Double(g.next() % 6) }
        for (ref, cur) in [(reference, shifted), (discrete, counts), (reference, reference), ([3, 3, 3], [2, 3, 4])] {
            let binning = PSIBinning(reference: ref)
            let direct = populationStabilityIndex(expected: ref, actual: cur)
            #expect(binning.edges == direct.edges)
            #expect(abs(binning.psi(cur) - direct.psi) < 1e-12)
        }
        #expect(PSIBinning(reference: []).psi([1, 2]) == 0)
    }

    @Test func featurePSIOfServedRowsMatchesAHandComputedCase() {
        // One column 0…9 as reference: deciles put one value in each of 10 bins (share 0.1). Serving only
        // the value 9 puts everything in the last bin; the nine empty bins use epsilon 1e-4.
        let training = Dataset(features: Tensor(shape: [10, 1], storage: (0..<10).map(Float.init)), labels: [Int](repeating: 0, count: 10),
                               classes: 2, featureNames: ["age"])
        let ref = ServingDriftReference(training: training)
        let report = ref.report(served: training, rows: [9, 9, 9, 9], predictions: [1, 1, 0, 1], referencePredictions: [0, 0, 0, 1])
        let hand = 9 * (1e-4 - 0.1) * Foundation.log(1e-4 / 0.1) + (1 - 0.1) * Foundation.log(1 / 0.1)
        #expect(report.features.count == 1 && report.features[0].name == "age")
        #expect(abs(report.features[0].psi - hand) < 1e-12)
        // Predictions: reference shares (0.75, 0.25), served (0.25, 0.75).
        let handPrediction = (0.25 - 0.75) * Foundation.log(0.25 / 0.75) + (0.75 - 0.25) * Foundation.log(0.75 / 0.25)
        #expect(abs(report.prediction! - handPrediction) < 1e-12)
        #expect(report.rows == 4 && report.worst?.name == "age")
    }

    @Test func servedRowsFromTheTrainingDistributionStayBelowTheDriftedCopy() {
        let data = blobs(rows: 1500, seed: 22)
        let ref = ServingDriftReference(training: data.rows(0..<1000))
        let sameRows = Array(1000..<1500)
        let same = ref.report(served: data, rows: sameRows, predictions: [], referencePredictions: nil)
        let drifted = driftedCopy(of: data, shift: 0.5, noise: 0.5, seed: 3)
        let moved = ref.report(served: drifted, rows: sameRows, predictions: [], referencePredictions: nil)
        #expect(same.features.allSatisfy { $0.psi < 0.1 }, "\(same.features)")
        #expect(moved.features.allSatisfy { $0.psi > 0.25 }, "\(moved.features)")
        #expect(same.prediction == nil)
    }

    @Test func referenceSampleIsAStrideOfTheTrainingRows() {
        let data = blobs(rows: 1000, seed: 23)
        let ref = ServingDriftReference(training: data, maxRows: 300)
        // ceil(1000 / 300) = 4: rows 0, 4, 8, … (250 rows).
        #expect(ref.sample.rows == 250)
        #expect(Array(ref.sample.storage[4..<8]) == Array(data.features.storage[16..<20]))
    }

    @Test func servedWindowKeepsTheNewestRowsInOrder() {
        let w = ServedWindow(capacity: 5)
        w.append(firstRow: 8, rowCount: 10, predictions: [1, 2, 3])   // rows 8, 9, 0
        w.append(firstRow: 1, rowCount: 10, predictions: [4])
        #expect(w.contents().rows == [8, 9, 0, 1] && w.contents().predictions == [1, 2, 3, 4])
        w.append(firstRow: 2, rowCount: 10, predictions: [5, 6, 7])
        #expect(w.contents().rows == [0, 1, 2, 3, 4] && w.contents().predictions == [3, 4, 5, 6, 7])
        #expect(w.total == 7)
    }

    @Test func inferenceLoopRecordsWhatItServes() throws {
        let data = blobs(rows: 20, seed: 24)
        let window = ServedWindow(capacity: 100)
        let loop = InferenceLoop(data: data, config: ServingConfig(rate: nil, batchSize: 3), latency: NullLatency(),
                                 sink: NullMetricSink(), window: window)
        let model = try MLP(layout: MLPLayout(sizes: [4, 8, 3], activation: .relu), seed: 1)
        loop.publish(model.copy())
        var x = Tensor.empty
        _ = loop.serveOnce(row: 18, into: &x)
        let expected = argmaxRows(model.predict(data.rows(18..<20).features)) + argmaxRows(model.predict(data.rows(0..<1).features))
        #expect(window.contents().rows == [18, 19, 0])
        #expect(window.contents().predictions == expected)
    }
}

private final class NullLatency: LatencySink, @unchecked Sendable {
    func recordLatency(nanos: UInt64) {}
}
