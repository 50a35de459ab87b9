import TendTensor

/// Weight-only int4 estimate: symmetric codes −7…7 per group of `groupSize` consecutive inputs of each
/// output row (s = max|group|/7, round half to even). No kernel: only the reconstruction and its error.
public enum Int4WhatIf {
    /// ŵ for `w` [outputs, inputs].
    public static func fakeQuantize(_ w: Tensor, groupSize: Int = 32) -> Tensor {
        precondition(w.rank == 2 && groupSize > 0, "Int4WhatIf: weights must be [outputs, inputs]")
        var out = w.storage
        let rows = w.rows, cols = w.cols
        for r in 0..<rows {
            var start = 0
            while start < cols {
                let end = min(cols, start + groupSize)
                var m: Float = 0
                for c in start..<end { m = max(m, abs(out[r * cols + c])) }
                let s: Float = m > 0 ? m / 7 : 1
                for c in start..<end {
                    let q = min(7, max(-7, (out[r * cols + c] / s).rounded(.toNearestOrEven)))
                    out[r * cols + c] = q * s
                }
                start = end
            }
        }
        return Tensor(shape: w.shape, storage: out)
    }

    /// Storage in bits per weight: 4 bits plus one fp32 scale per group.
    public static func bitsPerWeight(groupSize: Int) -> Double { 4 + 32 / Double(groupSize) }
}
