import Testing
@testable import TendEngine

@Suite struct ClassificationReportTests {
    @Test func reportMatchesHandComputedConfusion() {
        let r = ClassificationReport(predictions: [0, 1, 1, 1, 0, 0], labels: [0, 0, 1, 1, 2, 2], classes: 3)
        #expect(r.confusion == [[1, 1, 0], [0, 2, 0], [2, 0, 0]])
        #expect(r.accuracy == 0.5)
        #expect(r.count == 6)
        let close = { (a: [Double], b: [Double]) in zip(a, b).allSatisfy { abs($0 - $1) < 1e-12 } }
        #expect(close(r.precision, [1.0 / 3, 2.0 / 3, 0]))
        #expect(close(r.recall, [0.5, 1, 0]))
        #expect(close(r.f1, [0.4, 0.8, 0]))
        #expect(abs(r.macroPrecision - 1.0 / 3) < 1e-12)
        #expect(abs(r.macroRecall - 0.5) < 1e-12)
        #expect(abs(r.macroF1 - 0.4) < 1e-12)
    }

    @Test func emptyClassesCountAsZero() {
        let r = ClassificationReport(predictions: [0, 0], labels: [0, 0], classes: 2)
        #expect(r.precision == [1, 0] && r.recall == [1, 0] && r.f1 == [1, 0])
        #expect(r.macroF1 == 0.5)
    }
}
