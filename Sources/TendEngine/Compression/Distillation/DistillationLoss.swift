import TendTensor
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The knowledge-distillation loss (Hinton et al. 2015) on logits [batch, classes]:
///
///     loss = α·T²·KL(softmax(z_t/T) ‖ softmax(z_s/T)) + (1 − α)·CE(y, z_s)
///
/// averaged over the batch (nats). KL is taken with the teacher's softened distribution p as the target:
/// `Σ_j p_j (log p_j − log q_j)` with q = softmax(z_s/T); CE is plain cross-entropy of the student at T = 1
/// against the hard label (no label smoothing). The T² factor keeps the soft term's gradient on the scale of
/// the hard term's as T grows. Gradient w.r.t. the student logits, per row, divided by the batch:
/// `α·T·(q − p) + (1 − α)·(softmax(z_s) − onehot(y))`. Every softmax is computed with its row maximum
/// subtracted (log-sum-exp), so any finite logits give finite values. Invariants: T > 0, α in [0, 1].
public struct DistillationLoss: Sendable, Equatable {
    /// Softening temperature T (> 0).
    public var temperature: Float
    /// Weight α of the soft (teacher) term in [0, 1]; 1 − α goes to the hard-label term.
    public var alpha: Float

    public init(temperature: Float = 4, alpha: Float = 0.7) {
        self.temperature = temperature; self.alpha = alpha
    }

    /// What is wrong with the settings, or nil.
    public var validationError: String? {
        if !(temperature > 0 && temperature.isFinite) { return "distillation temperature must be a finite number > 0, got \(temperature)" }
        if !(alpha >= 0 && alpha <= 1) { return "distillation alpha must lie in [0, 1], got \(alpha)" }
        return nil
    }

    /// Batch means of the loss and its two terms (nats): `total = α·T²·kl + (1 − α)·crossEntropy`.
    public struct Value: Sendable, Equatable {
        public var total: Float
        /// KL(teacher ‖ student) at temperature T, without the T² and α factors.
        public var kl: Float
        /// Cross-entropy of the student (T = 1) against the labels.
        public var crossEntropy: Float
    }

    /// Computes the loss and writes `∂loss/∂studentLogits` into `grad` (reused when its shape is unchanged).
    public func compute(student: Tensor, teacher: Tensor, labels: [Int], gradInto grad: inout Tensor) -> Value {
        precondition(validationError == nil, validationError ?? "")
        precondition(student.shape == teacher.shape, "DistillationLoss: student logits \(student.shape) vs teacher \(teacher.shape)")
        let rows = student.rows, cols = student.cols
        precondition(labels.count == rows, "DistillationLoss: \(labels.count) labels for \(rows) rows of logits")
        grad.ensureShape(student.shape)
        guard rows > 0, cols > 0 else { return Value(total: 0, kl: 0, crossEntropy: 0) }
        for (r, y) in labels.enumerated() where y < 0 || y >= cols {
            preconditionFailure("DistillationLoss: label \(y) at row \(r) is outside 0..<\(cols)")
        }
        let invT = 1 / temperature, invB = 1 / Float(rows)
        let soft = alpha * temperature * invB, hard = (1 - alpha) * invB
        var klSum = 0.0, ceSum = 0.0
        student.withUnsafeBufferPointer { ps in
            teacher.withUnsafeBufferPointer { pt in
                grad.withUnsafeMutableBufferPointer { pg in
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: 3 * cols) { tmp in
                        let p = tmp.baseAddress!, q = p + cols, s1 = q + cols
                        for r in 0..<rows {
                            let zs = ps.baseAddress! + r * cols, zt = pt.baseAddress! + r * cols, g = pg.baseAddress! + r * cols
                            // log-softmax of teacher/T, student/T and student/1, each with its maximum subtracted.
                            Self.logSoftmax(zt, scale: invT, cols: cols, into: p)
                            Self.logSoftmax(zs, scale: invT, cols: cols, into: q)
                            Self.logSoftmax(zs, scale: 1, cols: cols, into: s1)
                            var kl = 0.0
                            for j in 0..<cols {
                                let lp = p[j], lq = q[j]
                                let pj = exp(lp), qj = exp(lq)
                                if pj > 0 { kl += Double(pj) * Double(lp - lq) }
                                g[j] = soft * (qj - pj) + hard * exp(s1[j])
                            }
                            g[labels[r]] -= hard
                            klSum += kl
                            ceSum -= Double(s1[labels[r]])
                        }
                    }
                }
            }
        }
        let kl = klSum / Double(rows), ce = ceSum / Double(rows)
        let total = Double(alpha) * Double(temperature * temperature) * kl + Double(1 - alpha) * ce
        return Value(total: Float(total), kl: Float(kl), crossEntropy: Float(ce))
    }

    /// Same as `compute(student:teacher:labels:gradInto:)`, returning a fresh gradient tensor.
    public func callAsFunction(student: Tensor, teacher: Tensor, labels: [Int]) -> (value: Value, grad: Tensor) {
        var grad = Tensor.empty
        let v = compute(student: student, teacher: teacher, labels: labels, gradInto: &grad)
        return (v, grad)
    }

    /// Writes `log softmax(scale·z)` of one row into `out`; returns the log-sum-exp of `scale·z`.
    @inline(__always) @discardableResult
    static func logSoftmax(_ z: UnsafePointer<Float>, scale: Float, cols: Int, into out: UnsafeMutablePointer<Float>) -> Float {
        var m = -Float.infinity
        for j in 0..<cols { m = max(m, z[j] * scale) }
        var s: Float = 0
        for j in 0..<cols { let v = z[j] * scale - m; out[j] = v; s += exp(v) }
        let ls = log(s)
        for j in 0..<cols { out[j] -= ls }
        return m + ls
    }
}
