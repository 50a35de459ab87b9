/// Appends JSON text to a byte buffer: escaped strings and shortest round-trip numbers.
/// Non-finite doubles are written as `NaN`, `Infinity`, `-Infinity` (Python's `json` convention).
public enum JSONWriter {
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        for c in s.utf8 {
            switch c {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            case 0..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hexDigit(c >> 4)); out.append(hexDigit(c & 15))
            default: out.append(c)
            }
        }
        out.append(0x22)
    }

    public static func appendNumber(_ d: Double, to out: inout [UInt8]) {
        if d.isNaN { out.append(contentsOf: "NaN".utf8); return }
        if d.isInfinite { out.append(contentsOf: (d < 0 ? "-Infinity" : "Infinity").utf8); return }
        if d == d.rounded(.towardZero) && abs(d) < 1e15 {
            // Integral values print as Swift does ("3.0") without the cost of `description`.
            if d == 0 && d.sign == .minus { out.append(UInt8(ascii: "-")) }
            appendInt(Int(d), to: &out)
            out.append(contentsOf: ".0".utf8)
            return
        }
        var s = d.description
        s.withUTF8 { out.append(contentsOf: $0) }
    }

    public static func appendInt(_ i: Int, to out: inout [UInt8]) {
        if i < 0 { out.append(UInt8(ascii: "-")) }
        var m = i.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // up to 20 digits, little-endian scratch
        var n = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            repeat { buf[n] = UInt8(m % 10) + 0x30; m /= 10; n += 1 } while m != 0
            for k in stride(from: n - 1, through: 0, by: -1) { out.append(buf[k]) }
        }
    }

    @inline(__always) private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? v + 0x30 : v - 10 + 0x61 }

    /// A JSON string literal for `s` (with quotes).
    public static func quoted(_ s: String) -> String {
        var out: [UInt8] = []
        appendString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
