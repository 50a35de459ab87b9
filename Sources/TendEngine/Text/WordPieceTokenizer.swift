/// BERT's WordPiece tokenizer, id for id as Hugging Face's `BertTokenizer` (the fast `tokenizers` one) does it:
/// special tokens in the raw text are kept whole; the rest goes through `BasicTokenizer`, then each pre-token
/// is split greedily longest-match-first into vocabulary pieces (continuations prefixed "##"); a pre-token
/// longer than `maxInputCharsPerWord` scalars, or one that cannot be split, becomes `[UNK]`.
/// `encode` adds `[CLS] … [SEP]` (pairs: `[CLS] A [SEP] B [SEP]`, type ids 0/1) and truncates to `maxLength`
/// (pairs longest-first, as `tokenizers` does). An empty pair text counts as no pair, as in `transformers`.
public struct WordPieceTokenizer: Sendable {
    public struct Options: Sendable, Equatable {
        public var lowercase = true
        /// nil: follow `lowercase` (BERT's rule).
        public var stripAccents: Bool? = nil
        public var tokenizeChineseChars = true
        public var maxInputCharsPerWord = 100
        public var unknownToken = "[UNK]"
        public var classToken = "[CLS]"
        public var separatorToken = "[SEP]"
        public var padToken = "[PAD]"
        /// Tokens matched verbatim in the raw text before normalisation (Hugging Face's special added tokens);
        /// those not in the vocabulary are ignored.
        public var specialTokens: [String] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        public init() {}
    }

    public let options: Options
    public let vocabularySize: Int
    public let padID: Int32
    public let classID: Int32
    public let separatorID: Int32
    public let unknownID: Int32
    private let basic: BasicTokenizer
    private let table: VocabularyTable
    /// Special tokens as UTF-8 with their ids, longest first (leftmost-longest matching).
    private let specials: [(bytes: [UInt8], id: Int32)]
    /// specialFirstByte[b]: some special token starts with byte b.
    private let specialFirstByte: [Bool]

    /// `vocabulary[i]` is the token of id i. `source` names where it came from, for errors.
    public init(vocabulary: [String], options: Options = .init()) throws {
        try self.init(vocabulary: vocabulary, options: options, source: "vocabulary")
    }

    public init(vocabulary: [String], options: Options, source: String) throws {
        guard !vocabulary.isEmpty else { throw TokenizerError.emptyVocabulary(source: source) }
        let table = VocabularyTable(tokens: vocabulary)
        func required(_ token: String, _ role: String) throws -> Int32 {
            guard let id = table.id(of: token) else {
                throw TokenizerError.missingSpecialToken(source: source, role: role, token: token)
            }
            return id
        }
        unknownID = try required(options.unknownToken, "unknown")
        classID = try required(options.classToken, "class")
        separatorID = try required(options.separatorToken, "separator")
        padID = try required(options.padToken, "pad")
        var specials: [(bytes: [UInt8], id: Int32)] = []
        var first = [Bool](repeating: false, count: 256)
        for token in Set(options.specialTokens) {
            guard let id = table.id(of: token) else { continue }
            let bytes = Array(token.utf8)
            specials.append((bytes, id))
            first[Int(bytes[0])] = true
        }
        specials.sort { $0.bytes.count != $1.bytes.count ? $0.bytes.count > $1.bytes.count : $0.bytes.lexicographicallyPrecedes($1.bytes) }
        self.specials = specials
        self.specialFirstByte = first
        self.table = table
        self.options = options
        self.vocabularySize = vocabulary.count
        self.basic = BasicTokenizer(lowercase: options.lowercase, stripAccents: options.stripAccents,
                                    tokenizeChineseChars: options.tokenizeChineseChars)
    }

    /// The id of `token` in the vocabulary, else nil.
    public func id(of token: String) -> Int32? { table.id(of: token) }

    /// The word-piece ids of `text`, without special tokens, padding or truncation.
    public func wordPieces(_ text: String) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(text.utf8.count / 3 + 4)
        var scratch = Scratch()
        appendWordPieces(text, to: &out, scratch: &scratch)
        return out
    }

    /// `[CLS] text [SEP]` or `[CLS] text [SEP] pair [SEP]`, truncated so that it has at most `maxLength` ids
    /// (never fewer than the special tokens: `maxLength` below 2, or 3 for a pair, keeps only those).
    public func encode(_ text: String, pair: String? = nil, maxLength: Int) -> TokenizedText {
        var scratch = Scratch()
        return encode(text, pair: pair, maxLength: maxLength, scratch: &scratch)
    }

    /// Each text encoded (no pairs) and padded to the batch's longest row with `[PAD]`.
    public func encodeBatch(_ texts: [String], maxLength: Int) -> TokenBatch {
        var scratch = Scratch()
        let rows = texts.map { encode($0, pair: nil, maxLength: maxLength, scratch: &scratch) }
        return TokenBatch(rows: rows, padID: padID)
    }

    // MARK: - Implementation

    /// Buffers reused across the words (and texts) of one call.
    private struct Scratch {
        var basic = BasicTokenizer.Scratch()
        var utf8: [UInt8] = []
        var offsets: [Int] = []
        var first: [Int32] = []
        var second: [Int32] = []
        init() {
            utf8.reserveCapacity(512)
            offsets.reserveCapacity(128)
        }
    }

    private func encode(_ text: String, pair: String?, maxLength: Int, scratch: inout Scratch) -> TokenizedText {
        var first: [Int32] = []
        var second: [Int32] = []
        swap(&first, &scratch.first)
        swap(&second, &scratch.second)
        defer {
            swap(&first, &scratch.first)
            swap(&second, &scratch.second)
        }
        first.removeAll(keepingCapacity: true)
        appendWordPieces(text, to: &first, scratch: &scratch)
        var ids: [Int32] = []
        var typeIDs: [Int32] = []
        var truncated = false
        if let pair, !pair.isEmpty {
            second.removeAll(keepingCapacity: true)
            appendWordPieces(pair, to: &second, scratch: &scratch)
            let budget = max(0, maxLength - 3)
            var n1 = first.count, n2 = second.count
            if n1 + n2 > budget {
                truncated = true
                (n1, n2) = Self.longestFirst(n1, n2, budget: budget)
            }
            ids.reserveCapacity(n1 + n2 + 3)
            ids.append(classID)
            ids.append(contentsOf: first[0..<n1])
            ids.append(separatorID)
            ids.append(contentsOf: second[0..<n2])
            ids.append(separatorID)
            typeIDs = [Int32](repeating: 0, count: n1 + 2) + [Int32](repeating: 1, count: n2 + 1)
        } else {
            let budget = max(0, maxLength - 2)
            var n = first.count
            if n > budget { truncated = true; n = budget }
            ids.reserveCapacity(n + 2)
            ids.append(classID)
            ids.append(contentsOf: first[0..<n])
            ids.append(separatorID)
            typeIDs = [Int32](repeating: 0, count: n + 2)
        }
        return TokenizedText(ids: ids, typeIDs: typeIDs, truncated: truncated)
    }

    /// Lengths kept of two segments of n1 and n2 pieces (n1 + n2 > budget), as `tokenizers`' LongestFirst:
    /// only the longer is cut when the shorter fits in half the budget, else both get half
    /// (the longer one — the second on a tie — gets the odd one).
    public static func longestFirst(_ n1: Int, _ n2: Int, budget: Int) -> (Int, Int) {
        var short = n1, long = n2
        let swapped = n1 > n2
        if swapped { swap(&short, &long) }
        long = short > budget ? short : max(short, budget - short)
        if short + long > budget {
            short = budget / 2
            long = short + budget % 2
        }
        let a = swapped ? long : short
        let b = swapped ? short : long
        return (min(a, n1), min(b, n2))
    }

    private func appendWordPieces(_ text: String, to out: inout [Int32], scratch: inout Scratch) {
        guard !specials.isEmpty, text.utf8.contains(where: { specialFirstByte[Int($0)] }) else {
            appendSegment(text[...], to: &out, scratch: &scratch)
            return
        }
        // Split the raw text at verbatim special tokens (leftmost, then longest).
        let utf8 = text.utf8
        var segmentStart = utf8.startIndex
        var i = utf8.startIndex
        while i < utf8.endIndex {
            let b = utf8[i]
            if specialFirstByte[Int(b)], let (length, id) = specialMatch(utf8, at: i) {
                let matchEnd = utf8.index(i, offsetBy: length)
                if segmentStart < i {
                    appendSegment(Substring(utf8[segmentStart..<i]), to: &out, scratch: &scratch)
                }
                out.append(id)
                segmentStart = matchEnd
                i = matchEnd
            } else {
                i = utf8.index(after: i)
            }
        }
        if segmentStart < utf8.endIndex {
            appendSegment(Substring(utf8[segmentStart..<utf8.endIndex]), to: &out, scratch: &scratch)
        }
    }

    private func specialMatch(_ utf8: String.UTF8View, at i: String.Index) -> (Int, Int32)? {
        for special in specials {
            var j = i
            var matched = true
            for b in special.bytes {
                if j == utf8.endIndex || utf8[j] != b { matched = false; break }
                j = utf8.index(after: j)
            }
            if matched { return (special.bytes.count, special.id) }
        }
        return nil
    }

    private func appendSegment(_ text: Substring, to out: inout [Int32], scratch: inout Scratch) {
        basic.splitWords(text, into: &scratch.basic)
        let ends = scratch.basic.wordEnds
        scratch.basic.words.withUnsafeBufferPointer { words in
            var start = 0
            for end in ends {
                appendPieces(of: UnsafeBufferPointer(rebasing: words[start..<end]), to: &out,
                             utf8: &scratch.utf8, offsets: &scratch.offsets)
                start = end
            }
        }
    }

    /// Greedy longest-match-first WordPiece of one pre-token.
    @inline(__always)
    private func appendPieces(of word: UnsafeBufferPointer<UInt32>, to out: inout [Int32],
                              utf8: inout [UInt8], offsets: inout [Int]) {
        let n = word.count
        if n > options.maxInputCharsPerWord { out.append(unknownID); return }
        utf8.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        for v in word {
            offsets.append(utf8.count)
            if v < 0x80 {
                utf8.append(UInt8(v))
            } else if v < 0x800 {
                utf8.append(UInt8(0xC0 | (v >> 6)))
                utf8.append(UInt8(0x80 | (v & 0x3F)))
            } else if v < 0x10000 {
                utf8.append(UInt8(0xE0 | (v >> 12)))
                utf8.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                utf8.append(UInt8(0x80 | (v & 0x3F)))
            } else {
                utf8.append(UInt8(0xF0 | (v >> 18)))
                utf8.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
                utf8.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                utf8.append(UInt8(0x80 | (v & 0x3F)))
            }
        }
        offsets.append(utf8.count)
        let mark = out.count
        let maxBytes = table.maxTokenBytes
        let ok: Bool = utf8.withUnsafeBufferPointer { bytes in
            offsets.withUnsafeBufferPointer { off in
                let base = bytes.baseAddress!
                var start = 0
                while start < n {
                    let continuation = start > 0
                    let limit = maxBytes - (continuation ? 2 : 0)
                    var end = n
                    // Skip candidates longer than any token.
                    while end > start && off[end] - off[start] > limit { end -= 1 }
                    var found: Int32? = nil
                    while end > start {
                        if let id = table.lookup(base + off[start], count: off[end] - off[start],
                                                 continuation: continuation) {
                            found = id
                            break
                        }
                        end -= 1
                    }
                    guard let id = found else { return false }
                    out.append(id)
                    start = end
                }
                return true
            }
        }
        if !ok {
            out.removeSubrange(mark..<out.count)
            out.append(unknownID)
        }
    }
}
