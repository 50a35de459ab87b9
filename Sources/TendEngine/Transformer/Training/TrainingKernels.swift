#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import TendCore
import TendTensor

// Row passes of the encoder's training forward and backward, on raw row-major buffers (rows contiguous,
// stride = cols unless stated). Forward passes keep what the backward needs (normalised rows, 1/σ, masks).

/// LayerNorm forward over `rows` rows of `cols`: `out = γ·x̂ + β` with `x̂ = (z − μ)/σ`, biased variance,
/// `σ = √(var + ε)`; keeps `x̂` [rows, cols] and `1/σ` [rows] for the backward. `out` may alias `z`.
func layerNormForwardKeeping(_ z: UnsafePointer<Float>, rows: Int, cols: Int, gamma: UnsafePointer<Float>,
                             beta: UnsafePointer<Float>, epsilon: Float, xhat: UnsafeMutablePointer<Float>,
                             rstd: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>) {
    let inv = 1 / Float(cols)
    Parallel.forRanges(rows, costPerItem: cols * 4) { range in
        for r in range {
            let src = z + r * cols, xh = xhat + r * cols, dst = out + r * cols
            var s: Float = 0
            for j in 0..<cols { s += src[j] }
            let mean = s * inv
            var v: Float = 0
            for j in 0..<cols { let c = src[j] - mean; v += c * c }
            let rs = 1 / (v * inv + epsilon).squareRoot()
            rstd[r] = rs
            for j in 0..<cols {
                let x = (src[j] - mean) * rs
                xh[j] = x
                dst[j] = gamma[j] * x + beta[j]
            }
        }
    }
}

/// LayerNorm backward: from `dy` (gradient of the output) to `dx = (1/σ)(g − mean(g) − x̂·mean(g·x̂))` with
/// `g = dy·γ`; adds `Σ_rows dy·x̂` to `dGamma` and `Σ_rows dy` to `dBeta`. `dx` may alias `dy`.
func layerNormBackward(_ dy: UnsafePointer<Float>, xhat: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
                       gamma: UnsafePointer<Float>, rows: Int, cols: Int, dx: UnsafeMutablePointer<Float>,
                       dGamma: UnsafeMutablePointer<Float>?, dBeta: UnsafeMutablePointer<Float>?) {
    let inv = 1 / Float(cols)
    if let dGamma, let dBeta {
        for r in 0..<rows {
            let g = dy + r * cols, xh = xhat + r * cols
            for j in 0..<cols { dGamma[j] += g[j] * xh[j]; dBeta[j] += g[j] }
        }
    }
    Parallel.forRanges(rows, costPerItem: cols * 4) { range in
        for r in range {
            let g = dy + r * cols, xh = xhat + r * cols, d = dx + r * cols
            var m1: Float = 0, m2: Float = 0
            for j in 0..<cols { let gj = g[j] * gamma[j]; m1 += gj; m2 += gj * xh[j] }
            m1 *= inv; m2 *= inv
            let rs = rstd[r]
            for j in 0..<cols { d[j] = rs * (g[j] * gamma[j] - m1 - xh[j] * m2) }
        }
    }
}

/// `out[r, j] = act(u[r, j])` (the activation after the first feed-forward product).
func activateRows(_ u: UnsafePointer<Float>, count: Int, activation: HiddenActivation, into out: UnsafeMutablePointer<Float>) {
    let invSqrt2: Float = 0.707_106_781_186_547_5
    Parallel.forRanges(count, costPerItem: 16) { range in
        switch activation {
        case .gelu: for i in range { let x = u[i]; out[i] = 0.5 * x * (1 + FastMath.erf(x * invSqrt2)) }
        case .geluTanh: for i in range { out[i] = geluTanhValue(u[i]) }
        case .relu: for i in range { out[i] = Swift.max(0, u[i]) }
        }
    }
}

/// `d[i] *= act′(u[i])`: exact GELU′(x) = Φ(x) + x·φ(x); tanh GELU's derivative; ReLU′ = [x > 0].
func activationBackward(_ d: UnsafeMutablePointer<Float>, preActivation u: UnsafePointer<Float>, count: Int,
                        activation: HiddenActivation) {
    let invSqrt2: Float = 0.707_106_781_186_547_5, invSqrt2Pi: Float = 0.398_942_280_401_432_7
    Parallel.forRanges(count, costPerItem: 24) { range in
        switch activation {
        case .gelu:
            for i in range {
                let x = u[i]
                d[i] *= 0.5 * (1 + FastMath.erf(x * invSqrt2)) + x * invSqrt2Pi * FastMath.exp(-0.5 * x * x)
            }
        case .geluTanh:
            let c: Float = 0.797_884_560_802_865_4, a: Float = 0.044_715
            for i in range {
                let x = u[i]
                let t = FastMath.tanh(c * (x + a * x * x * x))
                d[i] *= 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * a * x * x)
            }
        case .relu:
            for i in range where u[i] <= 0 { d[i] = 0 }
        }
    }
}

@inline(__always) private func geluTanhValue(_ x: Float) -> Float {
    0.5 * x * (1 + FastMath.tanh(0.797_884_560_802_865_4 * (x + 0.044_715 * x * x * x)))
}

/// Fills `count` inverted-dropout multipliers: 0 with probability `rate`, else 1/(1 − rate). The keep test
/// compares 24 random bits with ⌈(1 − rate)·2²⁴⌉, as `Dropout` does.
func fillDropoutMask(_ mask: UnsafeMutablePointer<Float>, count: Int, rate: Float, generator: inout SeededGenerator) {
    let scale = 1 / (1 - rate)
    let threshold = UInt64((Double(1 - rate) * 16_777_216).rounded(.up))
    for i in 0..<count { mask[i] = (generator.next() >> 40) < threshold ? scale : 0 }
}

/// `x[i] *= m[i]`.
func multiplyInPlace(_ x: UnsafeMutablePointer<Float>, _ m: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { x[i] *= m[i] }
}

/// `dst[j] = Σ_r src[r·ld + j]` for `j < cols` (a bias gradient).
func columnSums(_ src: UnsafePointer<Float>, rows: Int, cols: Int, ld: Int, into dst: UnsafeMutablePointer<Float>) {
    for j in 0..<cols { dst[j] = 0 }
    for r in 0..<rows {
        let row = src + r * ld
        for j in 0..<cols { dst[j] += row[j] }
    }
}

/// `dst[r·ldd + j] += bias[j]` over `rows` rows of `cols` (row stride `ld`).
func addBias(_ dst: UnsafeMutablePointer<Float>, rows: Int, cols: Int, ld: Int, bias: UnsafePointer<Float>) {
    for r in 0..<rows {
        let row = dst + r * ld
        for j in 0..<cols { row[j] += bias[j] }
    }
}
