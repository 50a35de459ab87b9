/// Branch-free scalar approximations written so loops calling them vectorise (no libm calls).
public enum FastMath {
    /// eˣ with relative error below 2e-7 on [-87, 88] (Cephes polynomial, exponent built from bits).
    /// Inputs are clamped to [-87.3, 88.3], so the result is always finite and normal.
    @inlinable @inline(__always)
    public static func exp(_ x: Float) -> Float {
        let xc = Swift.min(Swift.max(x, -87.3), 88.3)
        // n = round(x / ln 2) through the 1.5·2²³ trick: the low mantissa bits then hold n.
        let shifted = xc * 1.442_695_04 + 12_582_912.0
        let n = shifted - 12_582_912.0
        let r = (xc - n * 0.693_359_375) - n * -2.121_944_4e-4
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        let y = p * r * r + r + 1
        let nBits = shifted.bitPattern &- 0x4B40_0000      // n as a two's-complement UInt32
        let scale = Float(bitPattern: (nBits &+ 127) << 23)
        return y * scale
    }

    /// tanh(x) = 1 − 2 / (e²ˣ + 1); absolute error below 3e-7.
    @inlinable @inline(__always)
    public static func tanh(_ x: Float) -> Float {
        1 - 2 / (exp(2 * x) + 1)
    }

    /// σ(x) = 1 / (1 + e⁻ˣ); absolute error below 2e-7.
    @inlinable @inline(__always)
    public static func sigmoid(_ x: Float) -> Float {
        1 / (1 + exp(-x))
    }
}
