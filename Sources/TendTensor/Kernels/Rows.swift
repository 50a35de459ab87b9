import CKernels

/// Row-wise kernels for rank-2 tensors laid out [batch, features].

/// Writes `v` (shape [cols] or [1, cols]) into every row of `m` (which must already be [rows, cols]).
public func broadcastRows(_ v: Tensor, into m: inout Tensor) {
    let cols = m.cols
    precondition(v.count == cols, "broadcastRows: vector of \(v.count) values for rows of \(cols)")
    let rows = m.rows
    v.withUnsafeBufferPointer { pv in
        m.withUnsafeMutableBufferPointer { pm in
            guard rows > 0, cols > 0 else { return }
            let src = pv.baseAddress!, dst = pm.baseAddress!
            for r in 0..<rows { (dst + r * cols).update(from: src, count: cols) }
        }
    }
}

/// `m[r, :] += v` for every row (bias add).
public func addRowVector(_ v: Tensor, to m: inout Tensor) {
    let cols = m.cols
    precondition(v.count == cols, "addRowVector: vector of \(v.count) values for rows of \(cols)")
    let rows = m.rows
    v.withUnsafeBufferPointer { pv in
        m.withUnsafeMutableBufferPointer { pm in
            guard rows > 0, cols > 0 else { return }
            let src = pv.baseAddress!, dst = pm.baseAddress!
            for r in 0..<rows {
                let row = dst + r * cols
                for j in 0..<cols { row[j] += src[j] }
            }
        }
    }
}

/// `out = beta · out + Σ_rows m` (shape [cols]), rows added in order; `beta == 0` ignores the
/// previous contents. Runs the C kernel `variant` (all variants agree bit for bit).
public func columnSums(_ m: Tensor, into out: inout Tensor, beta: Float = 0, variant: KernelVariant = .best) {
    let rows = m.rows, cols = m.cols
    if out.count != cols || out.rank != 1 { out = Tensor(shape: Shape([cols])) }
    m.withUnsafeBufferPointer { pm in
        out.withUnsafeMutableBufferPointer { po in
            guard cols > 0, let dst = po.baseAddress else { return }
            guard rows > 0, let src = pm.baseAddress else {
                if beta == 0 { for j in 0..<cols { dst[j] = 0 } } else if beta != 1 { for j in 0..<cols { dst[j] *= beta } }
                return
            }
            ck_column_sums(variant.c, rows, cols, src, dst, beta)
        }
    }
}

/// Row-wise softmax, numerically stable (the row maximum is subtracted first).
public func softmaxRows(_ x: Tensor, into y: inout Tensor) {
    let rows = x.rows, cols = x.cols
    y.ensureShape(x.shape)
    x.withUnsafeBufferPointer { px in
        y.withUnsafeMutableBufferPointer { py in
            guard rows > 0, cols > 0 else { return }
            shiftedExpRows(px.baseAddress!, py.baseAddress!, rows: rows, cols: cols, maxima: nil)
            for r in 0..<rows {
                let dst = py.baseAddress! + r * cols
                var s: Float = 0
                for j in 0..<cols { s += dst[j] }
                let inv = 1 / s
                for j in 0..<cols { dst[j] *= inv }
            }
        }
    }
}

/// `dst[r, j] = exp(src[r, j] − max_j src[r, j])`: the maxima per row in a scalar pass, then one
/// eight-lane `exp` pass over the whole buffer (rows are often shorter than a vector).
/// Stores each row maximum in `maxima` when given.
@inline(__always)
func shiftedExpRows(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                    maxima: UnsafeMutablePointer<Float>?) {
    for r in 0..<rows {
        let a = src + r * cols, b = dst + r * cols
        var mx = a[0]
        for j in 1..<cols { mx = Swift.max(mx, a[j]) }
        for j in 0..<cols { b[j] = a[j] - mx }
        maxima?[r] = mx
    }
    let n = rows * cols
    var i = 0
    while i + 8 <= n { dst.store8(FastMath.exp8(dst.load8(i)), i); i += 8 }
    while i < n { dst[i] = FastMath.exp(dst[i]); i += 1 }
}

/// Row-wise softmax as a new tensor.
public func softmaxRows(_ x: Tensor) -> Tensor { var y = Tensor.empty; softmaxRows(x, into: &y); return y }

/// Index of the largest value of each row (first one on ties).
public func argmaxRows(_ x: Tensor) -> [Int] {
    let rows = x.rows, cols = x.cols
    precondition(cols > 0, "argmaxRows: rows have no columns")
    var out = [Int](repeating: 0, count: rows)
    x.withUnsafeBufferPointer { px in
        for r in 0..<rows {
            let src = px.baseAddress! + r * cols
            var best = 0
            var mx = src[0]
            for j in 1..<cols where src[j] > mx { mx = src[j]; best = j }
            out[r] = best
        }
    }
    return out
}

extension Tensor {
    /// The rows at `indices`, in that order, as a new [indices.count, cols] tensor.
    public func gatherRows(_ indices: [Int]) -> Tensor {
        var out = Tensor.empty
        gatherRows(indices, into: &out)
        return out
    }

    /// The rows at `indices` written into `out` (reshaped to [indices.count, cols] if needed).
    public func gatherRows(_ indices: [Int], into out: inout Tensor) {
        indices.withUnsafeBufferPointer { gatherRows($0, into: &out) }
    }

    /// The rows at `indices` (a slice, e.g. one batch of a shuffled order) written into `out`.
    public func gatherRows(_ indices: ArraySlice<Int>, into out: inout Tensor) {
        indices.withUnsafeBufferPointer { gatherRows($0, into: &out) }
    }

    /// Core of the gathers: indices must lie in `0..<rows`.
    public func gatherRows(_ indices: UnsafeBufferPointer<Int>, into out: inout Tensor) {
        let rows = self.rows, cols = self.cols
        out.ensureShape(rows: indices.count, cols: cols)
        withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                guard cols > 0 else { return }
                for (k, i) in indices.enumerated() {
                    precondition(i >= 0 && i < rows, "gatherRows: index \(i) outside 0..<\(rows)")
                    (dst.baseAddress! + k * cols).update(from: src.baseAddress! + i * cols, count: cols)
                }
            }
        }
    }
}
