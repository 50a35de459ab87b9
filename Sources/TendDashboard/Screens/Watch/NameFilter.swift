/// The `/` filter of the watch screen: a case-insensitive substring, or a glob when the pattern holds
/// `*`, `?` or `[` (`*` any run of characters, `?` one character, `[a-c]`/`[!x]` a class; the glob
/// matches the whole name). An empty pattern matches everything.
public struct NameFilter: Sendable, Equatable {
    public var pattern: String
    private let lowered: [Character]
    public let isGlob: Bool

    public init(_ pattern: String) {
        self.pattern = pattern
        lowered = Array(pattern.lowercased())
        isGlob = pattern.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    public var isEmpty: Bool { pattern.isEmpty }

    public func matches(_ name: String) -> Bool {
        guard !lowered.isEmpty else { return true }
        let text = Array(name.lowercased())
        if !isGlob { return Self.contains(text, lowered) }
        return Self.glob(lowered[...], text[...])
    }

    static func contains(_ text: [Character], _ part: [Character]) -> Bool {
        guard part.count <= text.count else { return false }
        outer: for start in 0...(text.count - part.count) {
            for k in part.indices where text[start + k] != part[k] { continue outer }
            return true
        }
        return false
    }

    /// Glob match with backtracking over the last `*` (linear in practice).
    static func glob(_ p: ArraySlice<Character>, _ t: ArraySlice<Character>) -> Bool {
        var pi = p.startIndex, ti = t.startIndex
        var starP: Int? = nil, starT = t.startIndex
        while ti < t.endIndex {
            if pi < p.endIndex {
                let c = p[pi]
                if c == "*" { starP = pi; starT = ti; pi += 1; continue }
                if c == "?" { pi += 1; ti += 1; continue }
                if c == "[", let (matched, next) = matchClass(p, at: pi, t[ti]) {
                    if matched { pi = next; ti += 1; continue }
                } else if c == t[ti] { pi += 1; ti += 1; continue }
            }
            guard let s = starP else { return false }
            pi = s + 1; starT += 1; ti = starT
        }
        while pi < p.endIndex && p[pi] == "*" { pi += 1 }
        return pi == p.endIndex
    }

    /// A `[...]` class at `i`: whether `ch` is in it and the index after `]`; nil when unterminated
    /// (then `[` is a literal).
    static func matchClass(_ p: ArraySlice<Character>, at i: Int, _ ch: Character) -> (Bool, Int)? {
        var j = i + 1
        var negate = false
        if j < p.endIndex && (p[j] == "!" || p[j] == "^") { negate = true; j += 1 }
        var matched = false
        var first = true
        while j < p.endIndex && (p[j] != "]" || first) {
            first = false
            if j + 2 < p.endIndex && p[j + 1] == "-" && p[j + 2] != "]" {
                if p[j] <= ch && ch <= p[j + 2] { matched = true }
                j += 3
            } else {
                if p[j] == ch { matched = true }
                j += 1
            }
        }
        guard j < p.endIndex else { return nil }
        return (matched != negate, j + 1)
    }
}
