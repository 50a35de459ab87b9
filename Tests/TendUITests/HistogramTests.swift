import Testing
@testable import TendUI

@Suite struct HistogramTests {
    let buckets = [Histogram.Bucket(lower: 0, upper: 1, count: 2), .init(lower: 1, upper: 2, count: 4),
                   .init(lower: 2, upper: 4, count: 1), .init(lower: 4, upper: 8, count: 0)]

    @Test func asciiBarsWithEdgeLabels() {
        #expect(picture(Histogram(buckets: buckets), width: 10, height: 5, glyphs: .ascii) == [
            "4+··##····",
            "·|··##····",
            "·|####····",
            "·|######··",
            "··0·1·2·4·",
        ])
    }

    @Test func cutLineAtValueAndDimmedBarsBelowIt() {
        let b = rendered(Histogram(buckets: buckets, cut: 3, dimBelowCut: true), width: 10, height: 5, glyphs: .ascii)
        #expect(b.lines[3] == "·|#####:··")
        #expect(b.lines[0] == "4+··##·:··")
        #expect(b[x: 2, y: 3].style == Theme.default.dimText)
        #expect(b[x: 6, y: 3].style.foreground == Theme.default.seriesColor(0))
    }

    @Test func unicodeBarsUseEighths() {
        // Peak 8 over 1 row = 8 eighths; 3 → 3 eighths "▃"; gaps every third column of a bucket.
        let h = Histogram(buckets: [.init(lower: 0, upper: 1, count: 8), .init(lower: 1, upper: 2, count: 3)])
        #expect(picture(h, width: 6, height: 1) == ["8┤██▃▃"])
        let wide = Histogram(buckets: [.init(lower: 0, upper: 1, count: 8), .init(lower: 1, upper: 2, count: 3)])
        #expect(picture(wide, width: 8, height: 1) == ["8┤██·▃▃·"])
    }

    @Test func logScaleKeepsSmallBucketsVisible() {
        let buckets = [Histogram.Bucket(lower: 0, upper: 1, count: 1000), .init(lower: 1, upper: 2, count: 99)]
        // Plot 3 columns × 4 rows; log10(1001) ≈ 3 fills 4 rows, log10(100) = 2 → 2.67 → 3 rows.
        let rows = picture(Histogram(buckets: buckets, logY: true), width: 6, height: 5, glyphs: .ascii)
        #expect(rows[0] == "1k+##·")
        #expect(rows[1] == "··|###")
        // Linear: 99/1000 of 4 rows rounds to nothing but a non-empty bucket still shows one row.
        let linear = picture(Histogram(buckets: buckets), width: 6, height: 5, glyphs: .ascii)
        #expect(linear[2] == "··|##·")
        #expect(linear[3] == "··|###")
    }

    @Test func moreBucketsThanColumnsAreSummed() {
        let many = (0..<8).map { Histogram.Bucket(lower: Double($0), upper: Double($0 + 1), count: 1) }
        let rows = picture(Histogram(buckets: many), width: 6, height: 2, glyphs: .ascii)
        #expect(rows == ["2+####", "·|####"])
    }
}
