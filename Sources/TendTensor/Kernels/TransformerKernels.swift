import CKernels
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

// Fused row passes of a transformer's inference (softmax, GELU, bias + residual + LayerNorm), on raw
// row-major buffers so callers can run them on workspaces and strided views without copies.

extension FastMath {
    /// erf(x) as a rational polynomial in x (Eigen's float erf): absolute error below 4e-7 (3 ulp of 1), ±1 beyond |x| = 4.
    @inlinable @inline(__always)
    public static func erf(_ a: Float) -> Float {
        let x = Swift.min(Swift.max(a, -4), 4)
        let x2 = x * x
        var p: Float = -2.726_142_258_013_06e-10
        p = p * x2 + 2.770_681_424_959_02e-08
        p = p * x2 - 2.101_024_020_825_08e-06
        p = p * x2 - 5.692_506_394_623_46e-05
        p = p * x2 - 7.349_906_303_268_55e-04
        p = p * x2 - 2.954_599_808_540_25e-03
        p = p * x2 - 1.609_603_332_624_15e-02
        var q: Float = -1.456_607_184_649_96e-05
        q = q * x2 - 2.133_740_552_789_05e-04
        q = q * x2 - 1.682_826_974_382_03e-03
        q = q * x2 - 7.373_329_167_204_68e-03
        q = q * x2 - 1.426_473_905_141_89e-02
        return x * p / q
    }

    @inline(__always)
    static func erf8(_ a: F8) -> F8 {
        let x = a.replacing(with: 4, where: a .> 4).replacing(with: -4, where: a .< -4)
        let x2 = x * x
        var p = F8(repeating: -2.726_142_258_013_06e-10)
        p = p * x2 + 2.770_681_424_959_02e-08
        p = p * x2 - 2.101_024_020_825_08e-06
        p = p * x2 - 5.692_506_394_623_46e-05
        p = p * x2 - 7.349_906_303_268_55e-04
        p = p * x2 - 2.954_599_808_540_25e-03
        p = p * x2 - 1.609_603_332_624_15e-02
        var q = F8(repeating: -1.456_607_184_649_96e-05)
        q = q * x2 - 2.133_740_552_789_05e-04
        q = q * x2 - 1.682_826_974_382_03e-03
        q = q * x2 - 7.373_329_167_204_68e-03
        q = q * x2 - 1.426_473_905_141_89e-02
        return x * p / q
    }
}

/// The activation applied after the first feed-forward product.
public enum HiddenActivation: String, Sendable, Equatable, CaseIterable, Codable {
    /// Exact GELU, `½x(1 + erf(x/√2))` (Hugging Face `gelu`).
    case gelu
    /// Tanh-approximated GELU (`gelu_new`, `gelu_pytorch_tanh`).
    case geluTanh
    case relu
}

/// `rows` rows of `cols` values (row stride `cols`): `p[r, j] = act(p[r, j] + bias[j])` in place.
/// Exact GELU runs CKernels' `ck_bias_gelu_rows` (`variant`; AVX2 + FMA where the CPU has them), the others these loops.
public func addBiasActivateRows(_ p: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                                bias: UnsafePointer<Float>, activation: HiddenActivation, variant: KernelVariant = .best) {
    if activation == .gelu { ck_bias_gelu_rows(variant.c, rows, cols, p, cols, bias); return }
    let invSqrt2: Float = 0.707_106_781_186_547_5
    for r in 0..<rows {
        let row = p + r * cols
        var j = 0
        switch activation {
        case .gelu:
            while j + 8 <= cols {
                let v = row.load8(j) + bias.load8(j)
                row.store8(0.5 * v * (1 + FastMath.erf8(v * invSqrt2)), j); j += 8
            }
            while j < cols { let v = row[j] + bias[j]; row[j] = 0.5 * v * (1 + FastMath.erf(v * invSqrt2)); j += 1 }
        case .geluTanh:
            while j + 8 <= cols {
                let v = row.load8(j) + bias.load8(j)
                row.store8(0.5 * v * (1 + FastMath.tanh8(geluC * (v + geluA * v * v * v))), j); j += 8
            }
            while j < cols { let v = row[j] + bias[j]; row[j] = 0.5 * v * (1 + FastMath.tanh(geluC * (v + geluA * v * v * v))); j += 1 }
        case .relu:
            while j + 8 <= cols {
                let v = row.load8(j) + bias.load8(j)
                row.store8(v.replacing(with: 0, where: v .< 0), j); j += 8
            }
            while j < cols { row[j] = Swift.max(0, row[j] + bias[j]); j += 1 }
        }
    }
}

/// Softmax in place over each of `rows` rows of `cols` scores (row stride `stride`), after scaling by
/// `scale`; `mask` (if given, `cols` values, 1 keep / 0 drop) drops keys: dropped entries come out 0.
/// A row whose keys are all dropped comes out all 0.
public func scaledSoftmaxRows(_ p: UnsafeMutablePointer<Float>, rows: Int, cols: Int, stride: Int,
                              scale: Float, mask: UnsafePointer<Float>? = nil) {
    for r in 0..<rows {
        let row = p + r * stride
        var mx = -Float.infinity
        var j = 0
        if let mask {
            while j < cols { if mask[j] != 0 { mx = Swift.max(mx, row[j]) }; j += 1 }
        } else {
            var m8 = F8(repeating: -.infinity)
            while j + 8 <= cols { let v = row.load8(j); m8 = m8.replacing(with: v, where: v .> m8); j += 8 }
            mx = m8.max()
            while j < cols { mx = Swift.max(mx, row[j]); j += 1 }
        }
        if mx == -.infinity { for k in 0..<cols { row[k] = 0 }; continue }
        let shift = mx * scale
        var s8 = F8(repeating: 0)
        j = 0
        while j + 8 <= cols {
            var e = FastMath.exp8(row.load8(j) * scale - shift)
            if let mask { e = e * UnsafeRawPointer(mask + j).loadUnaligned(as: F8.self) }
            row.store8(e, j); s8 += e; j += 8
        }
        var s = s8.sum()
        while j < cols {
            var e = FastMath.exp(row[j] * scale - shift)
            if let mask { e *= mask[j] }
            row[j] = e; s += e; j += 1
        }
        let inv = 1 / s
        j = 0
        while j + 8 <= cols { row.store8(row.load8(j) * inv, j); j += 8 }
        while j < cols { row[j] *= inv; j += 1 }
    }
}

/// For each of `rows` rows of `cols`: `x = LayerNorm(y + bias + x)` with gain `gamma`, shift `beta`
/// and biased variance; `y` is left holding `y + bias + x`. `bias` may be nil. Rows are contiguous.
public func addBiasResidualLayerNormRows(_ y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?,
                                         residual x: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                                         gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float) {
    let invF = 1 / Float(cols)
    for r in 0..<rows {
        let src = y + r * cols, dst = x + r * cols
        var acc = F8(repeating: 0)
        var j = 0
        while j + 8 <= cols {
            var v = src.load8(j) + dst.load8(j)
            if let bias { v += bias.load8(j) }
            src.store8(v, j); acc += v; j += 8
        }
        var s = acc.sum()
        while j < cols {
            var v = src[j] + dst[j]
            if let bias { v += bias[j] }
            src[j] = v; s += v; j += 1
        }
        let mean = s * invF
        let q = rowSumSquaredDeviation(UnsafePointer(src), cols, mean)
        let rs = 1 / (q * invF + epsilon).squareRoot()
        j = 0
        while j + 8 <= cols { dst.store8(gamma.load8(j) * ((src.load8(j) - mean) * rs) + beta.load8(j), j); j += 8 }
        while j < cols { dst[j] = gamma[j] * ((src[j] - mean) * rs) + beta[j]; j += 1 }
    }
}

/// LayerNorm in place over `rows` contiguous rows of `cols` (biased variance).
public func layerNormRowsInPlace(_ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                                 gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float) {
    let invF = 1 / Float(cols)
    for r in 0..<rows {
        let row = x + r * cols
        let mean = rowSum(UnsafePointer(row), cols) * invF
        let q = rowSumSquaredDeviation(UnsafePointer(row), cols, mean)
        let rs = 1 / (q * invF + epsilon).squareRoot()
        var j = 0
        while j + 8 <= cols { row.store8(gamma.load8(j) * ((row.load8(j) - mean) * rs) + beta.load8(j), j); j += 8 }
        while j < cols { row[j] = gamma[j] * ((row[j] - mean) * rs) + beta[j]; j += 1 }
    }
}

/// `p[r, j] += bias[j]` over `rows` contiguous rows of `cols`.
public func addBiasRows(_ p: UnsafeMutablePointer<Float>, rows: Int, cols: Int, bias: UnsafePointer<Float>) {
    for r in 0..<rows { addInPlace(p + r * cols, bias, count: cols) }
}

/// `dst[j] += src[j]` for `count` values.
@inline(__always)
public func addInPlace(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, count: Int) {
    var j = 0
    while j + 8 <= count { dst.store8(dst.load8(j) + src.load8(j), j); j += 8 }
    while j < count { dst[j] += src[j]; j += 1 }
}
