import Foundation

/// BERT's text normaliser and pre-tokeniser, as Hugging Face's `BertNormalizer` + `BertPreTokenizer` do it:
/// drop NUL, U+FFFD, controls, format and private-use characters (not tab, CR, LF); whitespace (tab, CR, LF,
/// Zs, U+2028/2029) separates words; CJK ideographs become words of their own; when configured, strip accents
/// (NFD, drop Mn) and lower-case (per scalar, full mapping, no final-sigma rule); then split off punctuation
/// (Unicode P*, and ASCII 33-47, 58-64, 91-96, 123-126) as one-character words. Non-ASCII classes come from
/// `BertCharacterTables` (measured on `tokenizers`, whose Unicode tables are older than Swift's).
/// Works on Unicode scalars; allocates Strings only for words with non-ASCII scalars that need NFD.
public struct BasicTokenizer: Sendable, Equatable {
    public var lowercase: Bool
    public var stripAccents: Bool
    public var tokenizeChineseChars: Bool

    /// `stripAccents` nil follows `lowercase`, as in BERT.
    public init(lowercase: Bool = true, stripAccents: Bool? = nil, tokenizeChineseChars: Bool = true) {
        self.lowercase = lowercase
        self.stripAccents = stripAccents ?? lowercase
        self.tokenizeChineseChars = tokenizeChineseChars
    }
    /// The pre-tokens of `text` as Strings (for tests and inspection; the tokenizer uses `splitWords`).
    public func tokenize(_ text: String) -> [String] {
        var scratch = Scratch()
        splitWords(text[...], into: &scratch)
        var out: [String] = []
        var start = 0
        for end in scratch.wordEnds {
            var s = String.UnicodeScalarView()
            for v in scratch.words[start..<end] { s.append(Unicode.Scalar(v)!) }
            out.append(String(s))
            start = end
        }
        return out
    }

    /// Reusable buffers of one tokenization call. After `splitWords`, word k is
    /// `words[wordEnds[k-1]..<wordEnds[k]]` (normalised scalars, never empty).
    struct Scratch {
        var words: [UInt32] = []
        var wordEnds: [Int] = []
        var raw: [UInt32] = []
        var normalized: [UInt32] = []
        init() {
            words.reserveCapacity(512)
            wordEnds.reserveCapacity(128)
            raw.reserveCapacity(128)
            normalized.reserveCapacity(128)
        }
    }

    /// Replaces `scratch.words`/`wordEnds` with the pre-tokens of `text`, in order.
    func splitWords(_ text: Substring, into scratch: inout Scratch) {
        scratch.words.removeAll(keepingCapacity: true)
        scratch.wordEnds.removeAll(keepingCapacity: true)
        scratch.raw.removeAll(keepingCapacity: true)
        var rawASCII = true
        for s in text.unicodeScalars {
            let v = s.value
            if v < 0x80 {
                if v == 9 || v == 10 || v == 13 || v == 32 {
                    if !scratch.raw.isEmpty { flush(ascii: rawASCII, scratch: &scratch) }
                    rawASCII = true
                } else if v >= 32 && v != 127 {
                    scratch.raw.append(v)
                }
                continue
            }
            if BertCharacterTables.contains(BertCharacterTables.dropped, v) { continue }
            if BertCharacterTables.contains(BertCharacterTables.whitespace, v) {
                if !scratch.raw.isEmpty { flush(ascii: rawASCII, scratch: &scratch) }
                rawASCII = true
                continue
            }
            if tokenizeChineseChars && Self.isCJK(v) {
                if !scratch.raw.isEmpty { flush(ascii: rawASCII, scratch: &scratch) }
                scratch.raw.append(v)
                flush(ascii: false, scratch: &scratch)
                rawASCII = true
                continue
            }
            scratch.raw.append(v)
            rawASCII = false
        }
        if !scratch.raw.isEmpty { flush(ascii: rawASCII, scratch: &scratch) }
    }

    /// Normalises the whitespace-delimited word in `scratch.raw`, splits off punctuation into `words`,
    /// and empties `raw`.
    private func flush(ascii: Bool, scratch: inout Scratch) {
        defer { scratch.raw.removeAll(keepingCapacity: true) }
        if ascii {
            if lowercase {
                for i in scratch.raw.indices where scratch.raw[i] >= 65 && scratch.raw[i] <= 90 {
                    scratch.raw[i] += 32
                }
            }
            Self.splitPunctuation(scratch.raw, into: &scratch.words, ends: &scratch.wordEnds)
            return
        }
        scratch.normalized.removeAll(keepingCapacity: true)
        if stripAccents {
            var word = String.UnicodeScalarView()
            for v in scratch.raw { word.append(Unicode.Scalar(v)!) }
            for s in String(word).decomposedStringWithCanonicalMapping.unicodeScalars
            where !BertCharacterTables.contains(BertCharacterTables.nonspacingMarks, s.value) {
                appendLowercased(s, to: &scratch.normalized)
            }
        } else {
            for v in scratch.raw { appendLowercased(Unicode.Scalar(v)!, to: &scratch.normalized) }
        }
        Self.splitPunctuation(scratch.normalized, into: &scratch.words, ends: &scratch.wordEnds)
    }

    @inline(__always)
    private func appendLowercased(_ s: Unicode.Scalar, to out: inout [UInt32]) {
        let v = s.value
        if !lowercase { out.append(v); return }
        if v < 0x80 {
            out.append(v >= 65 && v <= 90 ? v + 32 : v)
        } else if s.properties.changesWhenLowercased {
            for l in s.properties.lowercaseMapping.unicodeScalars { out.append(l.value) }
        } else {
            out.append(v)
        }
    }

    /// Appends `word` to `words` cut after each run of non-punctuation and around each punctuation scalar.
    private static func splitPunctuation(_ word: [UInt32], into words: inout [UInt32], ends: inout [Int]) {
        var pending = false
        for v in word {
            if isPunctuation(v) {
                if pending { ends.append(words.count) }
                words.append(v)
                ends.append(words.count)
                pending = false
            } else {
                words.append(v)
                pending = true
            }
        }
        if pending { ends.append(words.count) }
    }

    /// BERT's punctuation: all non-alphanumeric printable ASCII, and Unicode categories P*.
    @inline(__always)
    static func isPunctuation(_ v: UInt32) -> Bool {
        if v < 0x80 {
            return (v >= 33 && v <= 47) || (v >= 58 && v <= 64) || (v >= 91 && v <= 96) || (v >= 123 && v <= 126)
        }
        return BertCharacterTables.contains(BertCharacterTables.punctuation, v)
    }

    /// The CJK ideographs BERT splits out (not Hangul, Hiragana or Katakana), with tokenizers' exact ranges.
    @inline(__always)
    static func isCJK(_ v: UInt32) -> Bool {
        v >= 0x3400 && BertCharacterTables.contains(BertCharacterTables.ideographs, v)
    }
}
