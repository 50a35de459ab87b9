import Testing
import TendMetrics

@Suite struct SmoothingTests {
    @Test func debiasedEMAMatchesHandComputedValues() {
        // last: 0.5, 1.25, 2.125; debias: 0.5, 0.75, 0.875
        let out = Smoothing.exponentialMovingAverage([1, 2, 3], weight: 0.5)
        #expect(out == [1.0, 1.25 / 0.75, 2.125 / 0.875])
    }

    @Test func weightPointSixOnFourValues() {
        // w = 0.6: last = 4, 4.0*0.6+0.4*8 = 5.6, 3.36+0.8 = 4.16, 2.496+2.4 = 4.896
        // debias = 0.4, 0.64, 0.784, 0.8704
        let out = Smoothing.exponentialMovingAverage([10, 8, 2, 6], weight: 0.6)
        let expected = [0.4 * 10 / 0.4, 5.6 / 0.64, 4.16 / 0.784, 4.896 / 0.8704]
        for (a, b) in zip(out, expected) { #expect(abs(a - b) < 1e-12) }
    }

    @Test func constantSeriesIsLeftAlone() {
        #expect(Smoothing.exponentialMovingAverage([3, 3, 3], weight: 0.9) == [3, 3, 3])
    }

    @Test func nonFinitePointsPassThroughWithoutEnteringTheAverage() {
        let out = Smoothing.exponentialMovingAverage([1, .nan, 3, .infinity], weight: 0.5)
        #expect(out[0] == 1)
        #expect(out[1].isNaN)
        #expect(out[2] == 1.75 / 0.75)   // numAccum counts finite points only
        #expect(out[3] == .infinity)
    }

    @Test func zeroWeightIsIdentityAndEmptyStaysEmpty() {
        #expect(Smoothing.exponentialMovingAverage([4, 1, 7], weight: 0) == [4, 1, 7])
        #expect(Smoothing.exponentialMovingAverage([Double](), weight: 0.5).isEmpty)
    }

    @Test func smoothsSeriesPointsKeepingX() {
        let pts = [SeriesPoint(x: 0, y: 1), SeriesPoint(x: 5, y: 2)]
        let out = Smoothing.exponentialMovingAverage(pts, weight: 0.5)
        #expect(out.map(\.x) == [0, 5])
        #expect(out.map(\.y) == [1, 1.25 / 0.75])
    }
}
