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

    /// The pre-tokens of `text` as Strings (for tests and inspection; the tokenizer uses `forEachWord`).
    public func tokenize(_ text: String) -> [String] {
        var out: [String] = []
        var scratch = Scratch()
        forEachWord(text[...], scratch: &scratch) { word in
            var s = String.UnicodeScalarView()
            for v in word { s.append(Unicode.Scalar(v)!) }
            out.append(String(s))
        }
        return out
    }

    /// Reusable buffers of one tokenization call.
    struct Scratch {
        var raw: [UInt32] = []
        var normalized: [UInt32] = []
        init() {
            raw.reserveCapacity(128)
            normalized.reserveCapacity(128)
        }
    }

    /// Calls `body` with each pre-token (normalised scalars, never empty) of `text`, in order.
    func forEachWord(_ text: Substring, scratch: inout Scratch,
                     _ body: (UnsafeBufferPointer<UInt32>) -> Void) {
        scratch.raw.removeAll(keepingCapacity: true)
        var rawASCII = true
        for s in text.unicodeScalars {
            let v = s.value
            if v < 0x80 {
                switch asciiClass(v) {
                case .drop: continue
                case .space:
                    if !scratch.raw.isEmpty { flush(ascii: rawASCII, scratch: &scratch, body) }
                    rawASCII = true
                case .keep: scratch.raw.append(v)
                }
                continue
            }
            if BertCharacterTables.contains(BertCharacterTables.dropped, v) { continue }
            if BertCharacterTables.contains(BertCharacterTables.whitespace, v) {
                if !scratch.raw.isEmpty { flush(ascii: rawASCII, scratch: &scratch, body) }
                rawASCII = true
                continue
            }
            if tokenizeChineseChars && Self.isCJK(v) {
                if !scratch.raw.isEmpty { flush(ascii: rawASCII, scratch: &scratch, body) }
                scratch.raw.append(v)
                flush(ascii: false, scratch: &scratch, body)
                rawASCII = true
                continue
            }
            scratch.raw.append(v)
            rawASCII = false
        }
        if !scratch.raw.isEmpty { flush(ascii: rawASCII, scratch: &scratch, body) }
    }

    /// Normalises the whitespace-delimited word in `scratch.raw`, splits off punctuation, emits the pieces,
    /// and empties `raw`.
    private func flush(ascii: Bool, scratch: inout Scratch, _ body: (UnsafeBufferPointer<UInt32>) -> Void) {
        defer { scratch.raw.removeAll(keepingCapacity: true) }
        if ascii {
            if lowercase {
                for i in scratch.raw.indices where scratch.raw[i] >= 65 && scratch.raw[i] <= 90 {
                    scratch.raw[i] += 32
                }
            }
            splitPunctuation(scratch.raw, body)
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
        splitPunctuation(scratch.normalized, body)
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

    private func splitPunctuation(_ word: [UInt32], _ body: (UnsafeBufferPointer<UInt32>) -> Void) {
        word.withUnsafeBufferPointer { w in
            var start = 0
            for i in 0..<w.count where Self.isPunctuation(w[i]) {
                if i > start { body(UnsafeBufferPointer(rebasing: w[start..<i])) }
                body(UnsafeBufferPointer(rebasing: w[i..<(i + 1)]))
                start = i + 1
            }
            if start < w.count { body(UnsafeBufferPointer(rebasing: w[start..<w.count])) }
        }
    }

    private enum ASCIIClass { case drop, space, keep }

    @inline(__always)
    private func asciiClass(_ v: UInt32) -> ASCIIClass {
        if v == 9 || v == 10 || v == 13 || v == 32 { return .space }
        if v < 32 || v == 127 { return .drop }
        return .keep
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
