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
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hex[Int(c >> 4)]); out.append(hex[Int(c & 15)])
            default: out.append(c)
            }
        }
        out.append(0x22)
    }

    public static func appendNumber(_ d: Double, to out: inout [UInt8]) {
        if d.isNaN { out.append(contentsOf: Array("NaN".utf8)); return }
        if d.isInfinite { out.append(contentsOf: Array((d < 0 ? "-Infinity" : "Infinity").utf8)); return }
        out.append(contentsOf: Array(d.description.utf8))
    }

    public static func appendInt(_ i: Int, to out: inout [UInt8]) {
        out.append(contentsOf: Array(String(i).utf8))
    }

    /// A JSON string literal for `s` (with quotes).
    public static func quoted(_ s: String) -> String {
        var out: [UInt8] = []
        appendString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
