import TendTensor

/// int8 codes of a weight matrix [rows = outputs, cols = inputs] with one scale and zero-point per
/// row (per channel) or one for the whole tensor (stored repeated per row). ŵ = scale·(q − zero).
/// Invariants: `codes.count == rows·cols`; symmetric codes in −127…127 with zero 0; affine in −128…127.
public struct QuantizedWeights: Sendable, Equatable {
    public var rows: Int, cols: Int
    public var codes: [Int8]
    /// Per row (equal for every row when `perChannel` is false).
    public var scales: [Float]
    public var zeroPoints: [Int32]
    public var perChannel: Bool
    public var symmetric: Bool
    /// Values whose code had to be clamped into the int8 range.
    public var clipped: Int

    public init(rows: Int, cols: Int, codes: [Int8], scales: [Float], zeroPoints: [Int32], perChannel: Bool, symmetric: Bool, clipped: Int = 0) {
        precondition(codes.count == rows * cols && scales.count == rows && zeroPoints.count == rows,
                     "QuantizedWeights: \(codes.count) codes, \(scales.count) scales for [\(rows), \(cols)]")
        self.rows = rows; self.cols = cols; self.codes = codes; self.scales = scales; self.zeroPoints = zeroPoints
        self.perChannel = perChannel; self.symmetric = symmetric; self.clipped = clipped
    }

    /// Scale and zero-point for values in [lo, hi]: symmetric s = max|·|/127, z = 0; affine
    /// s = (hi' − lo')/255 over the range widened to contain 0, z = round(−128 − lo'/s). A zero range gives s = 1.
    public static func parameters(lo: Float, hi: Float, symmetric: Bool) -> (scale: Float, zero: Int32) {
        if symmetric {
            let m = max(abs(lo), abs(hi))
            return (m > 0 ? m / 127 : 1, 0)
        }
        let l = min(lo, 0), h = max(hi, 0)
        guard h > l else { return (1, 0) }
        let s = (h - l) / 255
        let z = (-128 - l / s).rounded(.toNearestOrEven)
        return (s, Int32(min(127, max(-128, z))))
    }

    /// Quantizes `w` ([outputs, inputs]) with round-half-to-even of w / s, plus the zero-point.
    public static func quantize(_ w: Tensor, perChannel: Bool, symmetric: Bool) -> QuantizedWeights {
        precondition(w.rank == 2, "QuantizedWeights: weights must be [outputs, inputs], got \(w.shape)")
        let rows = w.rows, cols = w.cols
        var codes = [Int8](repeating: 0, count: rows * cols)
        var scales = [Float](repeating: 1, count: rows), zeros = [Int32](repeating: 0, count: rows)
        let qmin: Float = symmetric ? -127 : -128, qmax: Float = 127
        var clipped = 0
        w.withUnsafeBufferPointer { p in
            if !perChannel {
                var lo = Float.infinity, hi = -Float.infinity
                for v in p { lo = min(lo, v); hi = max(hi, v) }
                if p.isEmpty { lo = 0; hi = 0 }
                let (s, z) = parameters(lo: lo, hi: hi, symmetric: symmetric)
                for r in 0..<rows { scales[r] = s; zeros[r] = z }
            }
            for r in 0..<rows {
                let row = UnsafeBufferPointer(rebasing: p[(r * cols)..<((r + 1) * cols)])
                if perChannel {
                    var lo = Float.infinity, hi = -Float.infinity
                    for v in row { lo = min(lo, v); hi = max(hi, v) }
                    if row.isEmpty { lo = 0; hi = 0 }
                    (scales[r], zeros[r]) = parameters(lo: lo, hi: hi, symmetric: symmetric)
                }
                let s = scales[r], z = Float(zeros[r])
                for c in 0..<cols {
                    let q = (row[c] / s).rounded(.toNearestOrEven) + z
                    if q < qmin || q > qmax { clipped += 1 }
                    codes[r * cols + c] = Int8(min(qmax, max(qmin, q)))
                }
            }
        }
        return QuantizedWeights(rows: rows, cols: cols, codes: codes, scales: scales, zeroPoints: zeros,
                                perChannel: perChannel, symmetric: symmetric, clipped: clipped)
    }

    /// ŵ = s·(q − z) as a [rows, cols] tensor.
    public func dequantized() -> Tensor {
        var out = [Float](repeating: 0, count: rows * cols)
        for r in 0..<rows {
            let s = scales[r], z = zeroPoints[r]
            for c in 0..<cols { out[r * cols + c] = s * Float(Int32(codes[r * cols + c]) - z) }
        }
        return Tensor(shape: [rows, cols], storage: out)
    }
}
