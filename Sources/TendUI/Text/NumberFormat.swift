/// Short number labels for axes and tables without Foundation: `12.3k`, `0.0421`, `3.1e-05`, `-7`.
public enum NumberFormat {
    /// A label of about `significant` significant digits, at most ~7 columns for typical values.
    public static func compact(_ value: Double, significant: Int = 3) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        if value == 0 { return "0" }
        let sign = value < 0 ? "-" : ""
        let a = abs(value)
        let suffixes: [(Double, String)] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]
        for (scale, suffix) in suffixes where a >= scale * 0.9995 && a < scale * 1000 * 0.9995 {
            return sign + significantString(a / scale, significant) + suffix
        }
        if a >= 1e15 || a < 1e-3 { return sign + scientific(a, significant) }
        return sign + significantString(a, significant)
    }

    /// `value` with exactly `decimals` digits after the point (rounded half away from zero).
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return compact(value) }
        let d = max(0, min(12, decimals))
        var scale = 1.0
        for _ in 0..<d { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e18 else { return compact(value) }
        let n = UInt64(scaled)
        let s = UInt64(scale)
        let intPart = String(n / s)
        let sign = value < 0 && n != 0 ? "-" : ""
        guard d > 0 else { return sign + intPart }
        let frac = String(n % s)
        return sign + intPart + "." + String(repeating: "0", count: d - frac.count) + frac
    }

    static func significantString(_ a: Double, _ significant: Int) -> String {
        var magnitude = 0
        var v = a
        while v >= 10 { v /= 10; magnitude += 1 }
        while v < 1 { v *= 10; magnitude -= 1 }
        let decimals = max(0, significant - 1 - magnitude)
        var s = fixed(a, decimals: decimals)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    static func scientific(_ a: Double, _ significant: Int) -> String {
        var exponent = 0
        var m = a
        while m >= 10 { m /= 10; exponent += 1 }
        while m < 1 { m *= 10; exponent -= 1 }
        var mant = significantString(m, max(1, significant - 1))
        if mant == "10" { mant = "1"; exponent += 1 }
        let e = abs(exponent)
        return mant + "e" + (exponent < 0 ? "-" : "+") + (e < 10 ? "0" : "") + String(e)
    }
}
