import Foundation
import Testing
import TendInterop

/// RFC 4180 quoting in both readers (numeric `CSVLoader`, text `CSVTextTable`) and the writer.
@Suite struct CSVQuotingTests {
    @Test func quotedFieldsHoldCommasDoubledQuotesAndLineBreaks() throws {
        let text = "text,label\r\n\"a, b\",1\r\n\"she said \"\"hi\"\"\",0\n\"two\nlines\r\nhere\",1\nplain \"inch\" mark,0\n"
        let t = try CSVTextTable.parse(text: text, path: "q.csv")
        #expect(t.header == ["text", "label"])
        #expect(try t.column(named: "text") == ["a, b", "she said \"hi\"", "two\nlines\r\nhere", "plain \"inch\" mark"])
        #expect(t.lines == [2, 3, 4, 7])  // physical lines: the three-line field starts on line 4
        #expect(try t.labels(named: "label") == [1, 0, 1, 0])
    }

    @Test func numericLoaderReadsQuotedHeadersAndFields() throws {
        let t = try CSVLoader.parse(text: "\"width, cm\",\"say \"\"x\"\"\",y\n\"1.5\", 2 ,0\n3,\"4\",1\n", path: "n.csv")
        #expect(t.header == ["width, cm", "say \"x\"", "y"])
        #expect(t.values == [1.5, 2, 0, 3, 4, 1])
    }

    @Test func raggedRowNamesItsStartingLine() {
        let text = "text,label\n\"multi\nline\",1\nno label here\n"
        #expect(throws: CSVError.raggedRow(path: "r.csv", line: 4, expected: 2, got: 1)) {
            try CSVTextTable.parse(text: text, path: "r.csv")
        }
        #expect(throws: CSVError.raggedRow(path: "r.csv", line: 3, expected: 2, got: 3)) {
            try CSVLoader.parse(text: "a,b\n\"1\",2\n3,4,5\n", path: "r.csv")
        }
    }

    @Test func unterminatedQuoteNamesTheLineWhereItOpens() {
        let text = "text,label\ngood,1\n\"never closed,0\nmore,1\nlast,0\n"
        let e = CSVError.unterminatedQuote(path: "u.csv", line: 3)
        #expect(throws: e) { try CSVTextTable.parse(text: text, path: "u.csv") }
        #expect(throws: e) { try CSVLoader.parse(text: "a,b\n1,2\n\"3,4\n5,6\n", path: "u.csv") }
        #expect(e.description.hasPrefix("u.csv:3: "))
    }

    @Test func textAfterAClosingQuoteIsAnError() {
        #expect(throws: CSVError.textAfterQuote(path: "t.csv", line: 2, column: 1, text: "x,1\n")) {
            try CSVTextTable.parse(text: "text,label\n\"a\"x,1\n", path: "t.csv")
        }
    }

    @Test func missingColumnListsTheColumns() throws {
        let t = try CSVTextTable.parse(text: "sentence,label\nfine,1\n", path: "m.csv")
        let e = CSVError.columnNotFound(path: "m.csv", name: "text", columns: ["sentence", "label"])
        #expect(throws: e) { try t.column(named: "text") }
        #expect(e.description == "m.csv: no column named \"text\"; columns are: sentence, label")
    }

    @Test func emptyTextIsKeptOrRejectedWithItsLine() throws {
        let t = try CSVTextTable.parse(text: "text,label\nfine,1\n\"\",0\n  ,1\n", path: "e.csv")
        #expect(try t.column(named: "text") == ["fine", "", "  "])
        #expect(throws: CSVError.emptyText(path: "e.csv", line: 3, column: "text")) {
            try t.column(named: "text", allowEmpty: false)
        }
    }

    @Test func blankLinesOnlyAtTheEnd() throws {
        let t = try CSVTextTable.parse(text: "text\n\"\"\nb\n\n\n", path: "b.csv")
        #expect(t.rows == 2)
        #expect(throws: CSVError.raggedRow(path: "b.csv", line: 3, expected: 1, got: 0)) {
            try CSVTextTable.parse(text: "text\na\n\nb\n", path: "b.csv")
        }
    }

    @Test func writerQuotesOnlyWhatNeedsIt() throws {
        #expect(CSVWriter.escape("plain text") == "plain text")
        #expect(CSVWriter.escape("a, b") == "\"a, b\"")
        #expect(CSVWriter.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.escape("two\nlines") == "\"two\nlines\"")
        #expect(CSVWriter.escape(" padded") == "\" padded\"")
        let dir = TempDir()
        defer { dir.cleanup() }
        let rows = [["a, b", "1"], ["say \"hi\"", "0"], ["two\r\nlines", "1"], ["", "0"], ["  spaced  ", "1"]]
        try CSVWriter.writeText(path: dir.file("t.csv"), header: ["text", "label"], rows: rows)
        let back = try CSVTextTable.load(path: dir.file("t.csv"))
        #expect(back.header == ["text", "label"])
        #expect(try back.column(named: "text") == rows.map { $0[0] })
    }

    @Test func samplesLoadWithTheirRowCountsAndLabels() throws {
        let rt = try CSVTextTable.load(path: repositoryRoot + "/Samples/rt_polarity.csv")
        #expect(rt.header == ["text", "label"])
        #expect(rt.rows == 7530)
        let rtLabels = try rt.labels(named: "label")
        #expect(Set(rtLabels) == [0, 1])
        #expect(rtLabels.filter { $0 == 1 }.count == 3765)
        #expect(try rt.column(named: "text", allowEmpty: false)[0] == "polished , well-structured film .")
        let imdb = try CSVTextTable.load(path: repositoryRoot + "/Samples/imdb_reviews.csv")
        #expect(imdb.rows == 2000)
        let imdbLabels = try imdb.labels(named: "label")
        #expect(Set(imdbLabels) == [0, 1] && imdbLabels.filter { $0 == 1 }.count == 1000)
        #expect(try imdb.column(named: "text", allowEmpty: false).allSatisfy { !$0.isEmpty })
    }
}

/// Issue 16: class labels are validated in the loader (they used to crash or hang training).
@Suite struct CSVLabelValidationTests {
    @Test func negativeLabelNamesFileLineAndValue() throws {
        let t = try CSVLoader.parse(text: "a,label\n1,0\n2,-1\n", path: "neg.csv")
        let e = CSVError.labelNegative(path: "neg.csv", line: 3, column: "label", value: -1)
        #expect(throws: e) { try t.labeled(label: "label") }
        #expect(e.description.hasPrefix("neg.csv:3: label column \"label\" holds -1"))
    }

    @Test func hugeLabelsStopAtMaxClasses() throws {
        for value in [1000, 100000, 1000000, 2147483648] {
            let t = try CSVLoader.parse(text: "a,label\n1,0\n2,\(value)\n", path: "big.csv")
            #expect(throws: CSVError.labelAboveMaxClasses(path: "big.csv", line: 3, column: "label", value: value, maxClasses: 1000)) {
                try t.labeled(label: "label")
            }
        }
        let t = try CSVLoader.parse(text: "a,label\n1,0\n2,1500\n", path: "big.csv")
        #expect(try t.labeled(label: "label", maxClasses: 2000).labels == [0, 1500])
        #expect(throws: CSVError.labelNotInteger(path: "big.csv", line: 2, column: "label", value: 1e300)) {
            try CSVLoader.parse(text: "a,label\n1,1e300\n", path: "big.csv").labeled(label: "label")
        }
    }

    @Test func labelErrorsCountPhysicalLinesPastQuotedLineBreaks() throws {
        let t = try CSVLoader.parse(text: "a,\"two\nline name\",label\n1,2,0\n3,4,-1\n", path: "p.csv")
        #expect(t.header == ["a", "two\nline name", "label"])
        #expect(throws: CSVError.labelNegative(path: "p.csv", line: 4, column: "label", value: -1)) {
            try t.labeled(label: "label")
        }
    }

    @Test func textTableLabelsAreValidatedToo() throws {
        let t = try CSVTextTable.parse(text: "text,label\na,1\nb,-3\nc,x\n", path: "l.csv")
        #expect(throws: CSVError.labelNegative(path: "l.csv", line: 3, column: "label", value: -3)) {
            try t.labels(named: "label")
        }
        let u = try CSVTextTable.parse(text: "text,label\na,1\nc,one\n", path: "l.csv")
        #expect(throws: CSVError.notANumber(path: "l.csv", line: 3, column: 2, name: "label", text: "one")) {
            try u.labels(named: "label")
        }
        let v = try CSVTextTable.parse(text: "text,label\na, 1 \nc,2.0\n", path: "l.csv")
        #expect(try v.labels(named: "label") == [1, 2])
    }
}
