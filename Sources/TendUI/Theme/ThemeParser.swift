/// A problem in a theme file that was skipped: the key keeps its default colour.
public struct ThemeWarning: Hashable, Sendable, CustomStringConvertible {
    public let file: String
    /// 1-based line number.
    public let line: Int
    public let message: String
    public var description: String { "\(file):\(line): \(message)" }
}

/// A theme file that could not be used at all.
public enum ThemeError: Error, Hashable, Sendable, CustomStringConvertible {
    case fileNotFound(path: String)
    case unreadable(path: String, reason: String)
    public var description: String {
        switch self {
        case .fileNotFound(let p): return "theme file not found: \(p) (ship one from Themes/ or pass another --theme path)"
        case .unreadable(let p, let r): return "cannot read theme file \(p): \(r)"
        }
    }
}

/// Reads btop-style theme files: lines `theme[key]="#rrggbb"`, `#` comments, blank lines. Values may be
/// `#rrggbb`, `#gg` (grey), `"r g b"` decimals, or empty / `default` for the terminal's own colour.
/// Unknown keys and bad values produce warnings naming `file:line` and keep the base theme's colour.
public enum ThemeParser {
    public struct Result: Sendable {
        public let theme: Theme
        public let warnings: [ThemeWarning]
    }

    /// Parses `text`; `file` names the source in warnings. Keys not mentioned keep `base`'s colours.
    public static func parse(_ text: String, file: String, name: String? = nil, base: Theme = .default) -> Result {
        var theme = base
        theme.name = name ?? baseName(file)
        var warnings: [ThemeWarning] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = trim(rawLine)
            if line.isEmpty || line.hasPrefix("#") { continue }
            func warn(_ m: String) { warnings.append(ThemeWarning(file: file, line: lineNumber, message: m)) }
            guard line.hasPrefix("theme["), let close = line.firstIndex(of: "]") else {
                warn("expected theme[key]=\"#rrggbb\", found '\(line)'"); continue
            }
            let key = trim(line[line.index(line.startIndex, offsetBy: 6)..<close])
            var rest = trim(line[line.index(after: close)...])
            guard rest.hasPrefix("=") else { warn("expected '=' after theme[\(key)]"); continue }
            rest = trim(rest.dropFirst())
            guard let value = unquote(rest) else { warn("unterminated quote in value for '\(key)'"); continue }
            guard let role = Theme.Role(rawValue: key) else {
                let known = Theme.Role.allCases.map(\.key).joined(separator: ", ")
                warn("unknown key '\(key)' (known: \(known))"); continue
            }
            guard let color = parseColor(value) else {
                warn("bad colour '\(value)' for '\(key)': expected \"#rrggbb\", \"#gg\", \"r g b\" or \"\"; using the default")
                continue
            }
            theme[role] = color
        }
        return Result(theme: theme, warnings: warnings)
    }

    /// Reads and parses the file at `path`.
    public static func load(path: String, base: Theme = .default) throws(ThemeError) -> Result {
        let text = try FileText.read(path: path)
        return parse(text, file: path, base: base)
    }

    /// A colour value from a theme file, or nil when malformed.
    public static func parseColor(_ value: String) -> Color? {
        let v = trim(Substring(value))
        if v.isEmpty || v.lowercased() == "default" { return .default }
        if v.hasPrefix("#") {
            let hex = Array(v.dropFirst())
            guard hex.allSatisfy(\.isHexDigit) else { return nil }
            func byte(_ i: Int) -> UInt8 { UInt8(String(hex[i...(i + 1)]), radix: 16)! }
            switch hex.count {
            case 6: return .rgb(byte(0), byte(2), byte(4))
            case 2: let g = byte(0); return .rgb(g, g, g)
            default: return nil
            }
        }
        let parts = v.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3 else { return nil }
        let values = parts.compactMap { UInt8($0) }
        return values.count == 3 ? .rgb(values[0], values[1], values[2]) : nil
    }

    static func unquote(_ s: String) -> String? {
        guard s.hasPrefix("\"") else {
            // Unquoted: value up to a trailing comment.
            return trim(s.split(separator: " #", maxSplits: 1).first.map { Substring($0) } ?? "")
        }
        let body = s.dropFirst()
        guard let end = body.firstIndex(of: "\"") else { return nil }
        return String(body[..<end])
    }

    static func trim(_ s: Substring) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let start = s.firstIndex(where: { !isSpace($0) }), let end = s.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(s[start...end])
    }
    static func trim(_ s: String) -> String { trim(Substring(s)) }

    static func baseName(_ path: String) -> String {
        var name = path.split(separator: "/").last.map(String.init) ?? path
        if name.hasSuffix(".theme") { name.removeLast(6) }
        return name
    }
}
