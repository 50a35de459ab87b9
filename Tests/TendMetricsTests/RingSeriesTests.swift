import Testing
import TendMetrics

@Suite struct RingSeriesTests {
    @Test func suffixAndMinimumMatchTheFullPointListAtEverySize() {
        // Against `points` (the reference): raw only, with a pending bucket, after several history halvings.
        var s = RingSeries(capacity: 16)
        var rng: UInt64 = 42
        for i in 0..<300 {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            let y = i % 37 == 5 ? Double.nan : Double(rng >> 40) / 1e4
            s.append(step: i, value: y, wallTime: Double(i))
            let all = s.points
            for n in [0, 1, 3, 7, 8, 9, 15, 16, 40] {
                // NaN-aware: the same points in the same order (NaN != NaN under ==).
                let key = { (p: SeriesPoint) in [p.x, p.wallTime, Double(p.span), p.y.isNaN ? -1 : p.y] }
                #expect(s.suffix(n).map(key) == all.suffix(n).map(key), "after \(i + 1) appends, suffix(\(n))")
                let reference = all.dropLast(n).map(\.y).filter(\.isFinite).min()
                #expect(s.minimum(droppingLast: n) == reference, "after \(i + 1) appends, minimum(droppingLast: \(n))")
            }
        }
    }

    @Test func downsamplingKeepsFirstAndLastPointsAndBoundedSizeOverMillionAppends() {
        var s = RingSeries(capacity: 4096)
        let n = 1_000_000
        for i in 0..<n {
            s.append(step: i, value: Double(i % 1000), wallTime: 1_700_000_000 + Double(i))
            if i % 99_991 == 0 { #expect(s.storedCount <= 4096) }
        }
        let pts = s.points
        #expect(pts.count <= 4096)
        #expect(pts.count == s.storedCount)
        #expect(pts.first == SeriesPoint(x: 0, y: 0, wallTime: 1_700_000_000))
        #expect(pts.last == SeriesPoint(x: Double(n - 1), y: Double((n - 1) % 1000), wallTime: 1_700_000_000 + Double(n - 1)))
        #expect(s.latest == pts.last)
        #expect(s.count == n)
        #expect(s.min == 0 && s.max == 999)
        // Every raw point is summarised exactly once, in order.
        #expect(pts.reduce(0) { $0 + $1.span } == n)
        #expect(zip(pts, pts.dropFirst()).allSatisfy { $0.x < $1.x })
        #expect(pts.allSatisfy { $0.low >= 0 && $0.high <= 999 && $0.low <= $0.y && $0.y <= $0.high })
    }

    @Test func markerSeparatesBucketsFromRawTail() throws {
        var s = RingSeries(capacity: 64)
        for i in 0..<40 { s.append(step: i, value: 1, wallTime: 0) }
        #expect(s.downsampledBefore == nil)
        for i in 40..<10_000 { s.append(step: i, value: Double(i), wallTime: 0) }
        let marker = try #require(s.downsampledBefore)
        let pts = s.points
        let tail = pts.filter { $0.x > marker }
        #expect(tail.allSatisfy { $0.span == 1 })
        #expect(tail.count == 64 - 2 - 30)            // raw recent capacity for 64
        #expect(tail.first?.x == marker + 1)
        #expect(pts.dropFirst().filter { $0.x <= marker }.contains { $0.span > 1 })
        #expect(s.bucketSpan > 1)
    }

    @Test func smallCapacityMergesOldestPairsByHand() {
        var s = RingSeries(capacity: 8)   // 1 first + 2 history + 1 pending + 4 raw
        for i in 0..<10 { s.append(step: i, value: Double(i), wallTime: Double(100 + i)) }
        let pts = s.points
        #expect(pts.map(\.x) == [0, 2.5, 5, 6, 7, 8, 9])
        #expect(pts.map(\.span) == [1, 4, 1, 1, 1, 1, 1])
        #expect(pts[1].y == 2.5 && pts[1].low == 1 && pts[1].high == 4 && pts[1].wallTime == 104)
        #expect(s.downsampledBefore == 5)
        #expect(s.bucketSpan == 4)
    }

    @Test func nonFiniteValuesDoNotPoisonExtremesOrBuckets() {
        var s = RingSeries(capacity: 8)
        let values: [Double] = [3, .nan, 1, .infinity, 5, 2, 2, 2, 2, 2, 2]
        for (i, v) in values.enumerated() { s.append(step: i, value: v, wallTime: 0) }
        #expect(s.min == 1 && s.max == 5)
        #expect(s.points.dropFirst().first.map { $0.y.isFinite } == true)
        #expect(s.latest?.y == 2)
    }

    @Test func thinsPointsForAChartKeepingEnds() {
        var s = RingSeries(capacity: 1024)
        for i in 0..<5_000 { s.append(step: i, value: Double(i), wallTime: 0) }
        let thin = s.points(maxCount: 100)
        #expect(thin.count == 100)
        #expect(thin.first?.x == 0 && thin.last?.x == 4_999 && thin.last?.span == 1)
        #expect(thin.reduce(0) { $0 + $1.span } == 5_000)
        #expect(s.points(maxCount: 5_000) == s.points)
    }
}
