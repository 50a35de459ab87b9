/// Parses a decimal number from ASCII bytes, correctly rounded to the nearest Double.
/// Fast path (Clinger): at most 19 significant digits with a mantissa ≤ 2^53 and a power of ten
/// within ±22 is computed exactly with one IEEE multiply or divide. Everything else falls back
/// to the standard library's correctly rounded, locale-independent `Double(String)`.
enum DecimalParser {
    private static let powers: [Double] = (0...22).map { p in
        var x = 1.0; for _ in 0..<p { x *= 10 }; return x
    }

    /// The value of bytes `[start, end)`, or nil if they are not one complete number.
    @inline(__always)
    static func parse(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        var negative = false
        if i < end && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) { negative = p[i] == UInt8(ascii: "-"); i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var sawDigit = false
        var exp10 = 0
        while i < end, p[i] &- 0x30 < 10 {
            sawDigit = true
            if mantissa != 0 || p[i] != 0x30 { digits += 1 }
            if digits <= 19 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 0x30) } else { exp10 += 1 }
            i += 1
        }
        if i < end && p[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, p[i] &- 0x30 < 10 {
                sawDigit = true
                if mantissa != 0 || p[i] != 0x30 { digits += 1 }
                if digits <= 19 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 0x30); exp10 -= 1 }
                i += 1
            }
        }
        if sawDigit && i < end && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            i += 1
            var eneg = false
            if i < end && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) { eneg = p[i] == UInt8(ascii: "-"); i += 1 }
            var e = 0
            var sawExpDigit = false
            while i < end, p[i] &- 0x30 < 10 {
                sawExpDigit = true
                if e < 100_000 { e = e * 10 + Int(p[i] &- 0x30) }
                i += 1
            }
            if !sawExpDigit { return slow(p, start, end) }
            exp10 += eneg ? -e : e
        }
        if i == end && sawDigit && digits <= 19 {
            if mantissa == 0 { return negative ? -0.0 : 0.0 }
            if mantissa <= (1 << 53) && exp10 >= -22 && exp10 <= 22 {
                var v = Double(mantissa)
                if exp10 >= 0 { v *= powers[exp10] } else { v /= powers[-exp10] }
                return negative ? -v : v
            }
        }
        return slow(p, start, end)
    }

    private static func slow(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        let s = String(decoding: UnsafeBufferPointer(start: p + start, count: end - start), as: UTF8.self)
        return Double(s)
    }
}
