/// A strict RFC 8259 JSON parser over bytes, written for hostile input: bounded nesting depth,
/// no recursion beyond `maxDepth`, duplicate object keys rejected, exact byte offsets in errors.
/// Also accepts `NaN`, `Infinity` and `-Infinity` (what Python's `json` writes for non-finite floats).
public struct JSONParser {
    /// Deepest allowed nesting of arrays/objects.
    public var maxDepth = 64
    /// Most values (scalars, arrays, objects) one text may hold: bounds memory on hostile input.
    public var maxValues = Int.max

    public init(maxDepth: Int = 64, maxValues: Int = .max) { self.maxDepth = maxDepth; self.maxValues = maxValues }

    /// Parses exactly one JSON value; only whitespace may follow it.
    public func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        var cursor = Cursor(bytes: bytes, maxDepth: maxDepth, maxValues: maxValues)
        cursor.skipWhitespace()
        let value = try cursor.value(depth: 0)
        cursor.skipWhitespace()
        if cursor.pos != bytes.count { throw cursor.fail("unexpected text after the JSON value") }
        return value
    }

    public func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBytes { buf in
            do throws(JSONParseError) { return .success(try parse(buf)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    public func parse(_ text: String) throws(JSONParseError) -> JSONValue { try parse(Array(text.utf8)) }
}

private struct Cursor {
    let bytes: UnsafeRawBufferPointer
    let maxDepth: Int
    let maxValues: Int
    var values = 0
    var pos = 0

    init(bytes: UnsafeRawBufferPointer, maxDepth: Int, maxValues: Int) {
        self.bytes = bytes; self.maxDepth = maxDepth; self.maxValues = maxValues
    }

    func fail(_ reason: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(offset: offset ?? pos, reason: reason)
    }

    var atEnd: Bool { pos >= bytes.count }
    var peek: UInt8 { bytes[pos] }

    mutating func skipWhitespace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x09, 0x0A, 0x0D: pos += 1
            default: return
            }
        }
    }

    mutating func expectLiteral(_ word: StaticString) throws(JSONParseError) {
        let start = pos
        let n = word.utf8CodeUnitCount
        guard bytes.count - pos >= n else { throw fail("truncated literal", at: start) }
        let p = word.utf8Start
        for i in 0..<n where bytes[pos + i] != p[i] { throw fail("invalid literal", at: start) }
        pos += n
    }

    mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
        guard !atEnd else { throw fail("unexpected end of JSON") }
        values += 1
        if values > maxValues { throw fail("more than \(maxValues) values") }
        switch peek {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "N"): try expectLiteral("NaN"); return .double(.nan)
        case UInt8(ascii: "I"): try expectLiteral("Infinity"); return .double(.infinity)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw fail("unexpected character '\(printable(peek))'")
        }
    }

    mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > maxDepth { throw fail("nesting deeper than \(maxDepth)") }
        pos += 1
        var members: [(key: String, value: JSONValue)] = []
        var seen = Set<String>()  // used once an object grows past a few members
        skipWhitespace()
        if !atEnd && peek == UInt8(ascii: "}") { pos += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard !atEnd else { throw fail("unterminated object") }
            guard peek == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let keyOffset = pos
            let key = try string()
            let duplicate: Bool
            if members.count < 16 {
                duplicate = members.contains { $0.key == key }
            } else {
                if seen.isEmpty { seen = Set(members.map(\.key)) }
                duplicate = !seen.insert(key).inserted
            }
            if duplicate { throw fail("duplicate key \"\(key)\"", at: keyOffset) }
            skipWhitespace()
            guard !atEnd, peek == UInt8(ascii: ":") else { throw fail("expected ':' after key \"\(key)\"") }
            pos += 1
            skipWhitespace()
            members.append((key, try value(depth: depth)))
            skipWhitespace()
            guard !atEnd else { throw fail("unterminated object") }
            if peek == UInt8(ascii: ",") { pos += 1; continue }
            if peek == UInt8(ascii: "}") { pos += 1; return .object(members) }
            throw fail("expected ',' or '}' in object")
        }
    }

    mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > maxDepth { throw fail("nesting deeper than \(maxDepth)") }
        pos += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if !atEnd && peek == UInt8(ascii: "]") { pos += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try value(depth: depth))
            skipWhitespace()
            guard !atEnd else { throw fail("unterminated array") }
            if peek == UInt8(ascii: ",") { pos += 1; continue }
            if peek == UInt8(ascii: "]") { pos += 1; return .array(items) }
            throw fail("expected ',' or ']' in array")
        }
    }

    mutating func number() throws(JSONParseError) -> JSONValue {
        let start = pos
        if peek == UInt8(ascii: "-") {
            pos += 1
            if !atEnd && peek == UInt8(ascii: "I") { try expectLiteral("Infinity"); return .double(-.infinity) }
        }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        guard !atEnd, isDigit(peek) else { throw fail("invalid number", at: start) }
        if peek == UInt8(ascii: "0") {
            pos += 1
            if !atEnd && isDigit(peek) { throw fail("leading zero in number", at: start) }
        } else {
            while !atEnd && isDigit(peek) { pos += 1 }
        }
        var integral = true
        if !atEnd && peek == UInt8(ascii: ".") {
            integral = false
            pos += 1
            guard !atEnd, isDigit(peek) else { throw fail("digit expected after '.'", at: start) }
            while !atEnd && isDigit(peek) { pos += 1 }
        }
        if !atEnd && (peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E")) {
            integral = false
            pos += 1
            if !atEnd && (peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-")) { pos += 1 }
            guard !atEnd, isDigit(peek) else { throw fail("digit expected in exponent", at: start) }
            while !atEnd && isDigit(peek) { pos += 1 }
        }
        let p = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        if integral {
            // Exact Int when it fits; otherwise fall through to the nearest Double.
            var i = start
            let negative = p[i] == UInt8(ascii: "-")
            if negative { i += 1 }
            var v = 0
            var overflow = false
            while i < pos {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (a, o2) = negative ? m.subtractingReportingOverflow(Int(p[i] - 0x30)) : m.addingReportingOverflow(Int(p[i] - 0x30))
                if o1 || o2 { overflow = true; break }
                v = a
                i += 1
            }
            if !overflow { return .int(v) }
        }
        guard let d = DecimalParser.parse(p, start, pos) else { throw fail("invalid number", at: start) }
        return .double(d)
    }

    mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard bytes.count - pos >= 4 else { throw fail("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[pos]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw fail("invalid hex digit in \\u escape")
            }
            v = v << 4 | d
            pos += 1
        }
        return v
    }

    mutating func string() throws(JSONParseError) -> String {
        let start = pos
        pos += 1
        let contentStart = pos
        // Fast path: no escapes.
        var ascii = true
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[contentStart..<pos])
                pos += 1
                if ascii { return String(decoding: raw.assumingMemoryBound(to: UInt8.self), as: UTF8.self) }
                guard let s = String(validating: raw, as: UTF8.self) else { throw fail("invalid UTF-8 in string", at: start) }
                return s
            }
            if c >= 0x80 { ascii = false }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw fail("control character in string") }
            pos += 1
        }
        guard pos < bytes.count else { throw fail("unterminated string", at: start) }
        var out = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[contentStart..<pos]))
        while true {
            guard pos < bytes.count else { throw fail("unterminated string", at: start) }
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") { pos += 1; break }
            if c < 0x20 { throw fail("control character in string") }
            if c != UInt8(ascii: "\\") { out.append(c); pos += 1; continue }
            pos += 1
            guard pos < bytes.count else { throw fail("unterminated escape", at: start) }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard bytes.count - pos >= 6, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                        throw fail("unpaired surrogate in \\u escape")
                    }
                    pos += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw fail("invalid low surrogate in \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw fail("unpaired surrogate in \\u escape")
                }
                guard let u = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                throw fail("invalid escape '\\\(printable(e))'", at: pos - 2)
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw fail("invalid UTF-8 in string", at: start) }
        return s
    }

    func printable(_ c: UInt8) -> String {
        (0x20..<0x7F).contains(c) ? String(UnicodeScalar(c)) : "0x" + String(c, radix: 16)
    }
}
