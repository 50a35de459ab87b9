import Foundation
import Testing
import TendEngine
@testable import TendInterop

/// The committed all-MiniLM-L6-v2 tokenizer files and the ids Hugging Face gives for a few hundred texts
/// (written by Fixtures/make_tokenizer_fixture.py).
private let fixtureDirectory = repositoryRoot + "/Tests/TendInteropTests/Fixtures/tokenizer/all-MiniLM-L6-v2"

private struct FixtureCase {
    var text: String
    var pair: String?
    var maxLength: Int
    var ids: [Int32]
    var typeIDs: [Int32]
    var truncated: Bool
}

private func loadFixture() throws -> (cases: [FixtureCase], batches: [JSONValue]) {
    let data = try #require(FileManager.default.contents(atPath: fixtureDirectory + "/wordpiece_cases.json"))
    let json = try JSONParser().parse([UInt8](data))
    guard case let .array(items)? = json["cases"], case let .array(batches)? = json["batches"] else {
        Issue.record("wordpiece_cases.json has no cases/batches"); return ([], [])
    }
    func ints(_ v: JSONValue?) -> [Int32] {
        guard case let .array(a)? = v else { return [] }
        return a.map { Int32($0.intValue!) }
    }
    let cases = items.map { c in
        FixtureCase(text: c["text"]!.stringValue!, pair: c["pair"]?.stringValue, maxLength: c["max_length"]!.intValue!,
                    ids: ints(c["ids"]), typeIDs: ints(c["type_ids"]), truncated: c["truncated"] == .bool(true))
    }
    return (cases, batches)
}

private func expectMatchesFixture(_ tokenizer: WordPieceTokenizer) throws {
    let (cases, _) = try loadFixture()
    #expect(cases.count >= 300)
    var mismatches = 0
    for c in cases {
        let got = tokenizer.encode(c.text, pair: c.pair, maxLength: c.maxLength)
        if got.ids != c.ids || got.typeIDs != c.typeIDs || got.truncated != c.truncated {
            mismatches += 1
            if mismatches <= 10 {
                Issue.record("""
                    text \(String(reflecting: c.text)) pair \(String(reflecting: c.pair)) max \(c.maxLength):
                    expected \(c.ids) types \(c.typeIDs) truncated \(c.truncated)
                    got      \(got.ids) types \(got.typeIDs) truncated \(got.truncated)
                    """)
            }
        }
    }
    #expect(mismatches == 0, "\(mismatches) of \(cases.count) texts differ from Hugging Face's ids")
}

@Test func wordPieceIdsMatchHuggingFaceFromVocabTxt() throws {
    let tokenizer = try TokenizerFiles.load(directory: fixtureDirectory)
    #expect(tokenizer.vocabularySize == 30522)
    #expect((tokenizer.padID, tokenizer.classID, tokenizer.separatorID) == (0, 101, 102))
    try expectMatchesFixture(tokenizer)
}

@Test func wordPieceIdsMatchHuggingFaceFromTokenizerJSONAlone() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    let json = try #require(FileManager.default.contents(atPath: fixtureDirectory + "/tokenizer.json"))
    dir.write("tokenizer.json", bytes: [UInt8](json))
    let tokenizer = try TokenizerFiles.load(directory: dir.path)
    #expect(tokenizer.vocabularySize == 30522)
    #expect(tokenizer.options.lowercase && tokenizer.options.stripAccents == nil)
    try expectMatchesFixture(tokenizer)
}

@Test func batchesPadToTheLongestRowAsHuggingFaceDoes() throws {
    let tokenizer = try TokenizerFiles.load(directory: fixtureDirectory)
    let (_, batches) = try loadFixture()
    #expect(batches.count == 2)
    for b in batches {
        guard case let .array(textValues)? = b["texts"], case let .array(rows)? = b["ids"],
              case let .array(masks)? = b["attention_mask"] else { Issue.record("bad batch"); continue }
        let texts = textValues.map { $0.stringValue! }
        let batch = tokenizer.encodeBatch(texts, maxLength: b["max_length"]!.intValue!)
        let expected = rows.flatMap { row -> [Int32] in
            guard case let .array(a) = row else { return [] }
            return a.map { Int32($0.intValue!) }
        }
        let expectedMask = masks.flatMap { row -> [Int32] in
            guard case let .array(a) = row else { return [] }
            return a.map { Int32($0.intValue!) }
        }
        #expect(batch.batch == texts.count)
        #expect(batch.ids == expected)
        #expect(batch.attentionMask == expectedMask)
        #expect(batch.typeIDs == [Int32](repeating: 0, count: expected.count))
        #expect(batch.lengths == expectedMask.chunks(batch.length).map { $0.reduce(0) { $0 + Int($1) } })
    }
    let cut = tokenizer.encodeBatch(["the quick brown fox jumps over the lazy dog", "hi"], maxLength: 6)
    #expect(cut.length == 6 && cut.truncatedCount == 1)
}

@Test func greedyLongestMatchFirstWithContinuations() throws {
    let vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "una", "##ffa", "!", "a"]
    let tokenizer = try WordPieceTokenizer(vocabulary: vocab)
    // "una" + "##ffa" is the greedy choice, but "##ble" is missing: the whole word is [UNK].
    #expect(tokenizer.wordPieces("unaffable") == [1])
    let vocab2 = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "!"]
    let t2 = try WordPieceTokenizer(vocabulary: vocab2)
    #expect(t2.wordPieces("UnAffable!") == [4, 5, 6, 7])
    #expect(t2.encode("unaffable", pair: "un", maxLength: 512).typeIDs == [0, 0, 0, 0, 0, 1, 1])
    var long = WordPieceTokenizer.Options()
    long.maxInputCharsPerWord = 3
    #expect(try WordPieceTokenizer(vocabulary: vocab2, options: long).wordPieces("un unaffable") == [4, 1])
}

@Test func basicTokenizerSplitsPunctuationCJKAndStripsAccents() {
    let basic = BasicTokenizer()
    #expect(basic.tokenize(" Héllo,\tWORLD!!\u{0}中文ok\u{200B} ") == ["hello", ",", "world", "!", "!", "中", "文", "ok"])
    #expect(BasicTokenizer(lowercase: false).tokenize("Café") == ["Café"])
    #expect(BasicTokenizer(lowercase: false, stripAccents: true).tokenize("Café") == ["Cafe"])
    #expect(BasicTokenizer(lowercase: true, stripAccents: false).tokenize("CAFÉ") == ["café"])
}

@Test func longestFirstTruncationCutsTheLongerSegment() {
    #expect(WordPieceTokenizer.longestFirst(2, 10, budget: 6) == (2, 4))
    #expect(WordPieceTokenizer.longestFirst(10, 2, budget: 6) == (4, 2))
    #expect(WordPieceTokenizer.longestFirst(5, 5, budget: 7) == (3, 4))
    #expect(WordPieceTokenizer.longestFirst(9, 5, budget: 7) == (4, 3))
    #expect(WordPieceTokenizer.longestFirst(3, 3, budget: 0) == (0, 0))
}

@Test func tokenizerFilesReportWhatIsWrong() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    #expect(throws: TokenizerError.noTokenizerFiles(directory: dir.path)) { try TokenizerFiles.load(directory: dir.path) }
    dir.write("vocab.txt", bytes: Array("[PAD]\n[UNK]\n".utf8) + [0xFF, 0x41, 10] + Array("[CLS]\n".utf8))
    #expect(throws: TokenizerError.malformed(path: dir.file("vocab.txt"), line: 3, reason: "the token is not valid UTF-8")) {
        try TokenizerFiles.load(directory: dir.path)
    }
    dir.write("vocab.txt", "[PAD]\r\n[UNK]\r\n[CLS]\r\nhello\r\n")
    #expect(throws: TokenizerError.missingSpecialToken(source: dir.file("vocab.txt"), role: "separator", token: "[SEP]")) {
        try TokenizerFiles.load(directory: dir.path)
    }
    dir.write("vocab.txt", "[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\nhello\r\n")
    dir.write("tokenizer_config.json", #"{"do_lower_case": "yes"}"#)
    do {
        _ = try TokenizerFiles.load(directory: dir.path)
        Issue.record("a string do_lower_case was accepted")
    } catch let error as TokenizerError {
        #expect(error.description.contains("tokenizer_config.json") && error.description.contains("do_lower_case"))
    }
    dir.write("tokenizer_config.json", #"{"do_lower_case": false, "unk_token": {"content": "[UNK]"}}"#)
    let t = try TokenizerFiles.load(directory: dir.path)
    #expect(t.encode("hello Hello", maxLength: 16).ids == [2, 4, 1, 3])
    let other = TempDir()
    defer { other.cleanup() }
    other.write("tokenizer.json", #"{"model": {"type": "BPE", "vocab": {}}}"#)
    do {
        _ = try TokenizerFiles.load(directory: other.path)
        Issue.record("a BPE tokenizer.json was accepted")
    } catch let error as TokenizerError {
        #expect(error.description.contains("tokenizer.json") && error.description.contains("only WordPiece"))
    }
}

private extension Array {
    func chunks(_ size: Int) -> [[Element]] {
        guard size > 0 else { return [] }
        return stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
