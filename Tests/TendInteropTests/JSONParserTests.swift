import Testing
import TendInterop

@Suite struct JSONParserTests {
    @Test func parsesNestedValuesInOrder() throws {
        let v = try JSONParser().parse(#" {"b": [1, -2.5e1, true, null], "a": "x\u00e9\n\ud83d\ude00"} "#)
        #expect(v == .object([("b", .array([.int(1), .double(-25), .bool(true), .null])), ("a", .string("xé\n😀"))]))
    }

    @Test func rejectsWithByteOffsets() {
        #expect(throws: JSONParseError(offset: 8, reason: "duplicate key \"a\"")) { try JSONParser().parse(#"{"a":1, "a":2}"#) }
        #expect(throws: JSONParseError(offset: 1, reason: "leading zero in number")) { try JSONParser().parse("[01]") }
        #expect(throws: JSONParseError(offset: 3, reason: "unexpected text after the JSON value")) { try JSONParser().parse("{} x") }
        #expect(throws: JSONParseError.self) { try JSONParser().parse(#""\ud800""#) }
        #expect(throws: JSONParseError.self) { try JSONParser().parse("\"a\tb\"") }
    }

    @Test func limitsNestingDepthInsteadOfOverflowingTheStack() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError(offset: 64, reason: "nesting deeper than 64")) { try JSONParser().parse(deep) }
    }

    @Test func limitsTheNumberOfValuesToBoundMemory() throws {
        #expect(try JSONParser(maxValues: 4).parse("[1,2,3]") == .array([.int(1), .int(2), .int(3)]))
        #expect(throws: JSONParseError(offset: 5, reason: "more than 3 values")) { try JSONParser(maxValues: 3).parse("[1,2,3]") }
    }

    @Test func writerEscapesAndParserReadsBack() throws {
        let s = "tab\t quote\" back\\ nl\n ctl\u{01} ü"
        #expect(try JSONParser().parse(JSONWriter.quoted(s)) == .string(s))
        var out: [UInt8] = []
        JSONWriter.appendNumber(.nan, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "NaN")
        #expect(try JSONParser().parse("[NaN, -Infinity, 1e400]") == .array([.double(.nan), .double(-.infinity), .double(.infinity)]))
    }
}
