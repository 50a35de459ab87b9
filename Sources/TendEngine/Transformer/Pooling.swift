import TendTensor

extension Pooling {
    /// Pools the workspace's packed hidden states into `out` [sequences, hidden]: mean or max over each
    /// sequence's real tokens, or its first token (CLS); then L2-normalises each row if `normalize`.
    func pool(_ ws: EncoderWorkspace, hidden h: Int, normalize: Bool, into out: inout Tensor) {
        let sequences = ws.starts.count - 1
        out.ensureShape(Shape([sequences, h]))
        let states = ws.hidden.p
        out.withUnsafeMutableBufferPointer { po in
            for s in 0..<sequences {
                let start = ws.starts[s], n = ws.starts[s + 1] - start
                let dst = po.baseAddress! + s * h
                dst.update(from: states + start * h, count: h)
                switch self {
                case .cls: break
                case .mean:
                    for t in 1..<Swift.max(n, 1) { addInPlace(dst, states + (start + t) * h, count: h) }
                    let inv = 1 / Float(n)
                    for j in 0..<h { dst[j] *= inv }
                case .max:
                    for t in 1..<Swift.max(n, 1) {
                        let src = states + (start + t) * h
                        for j in 0..<h { dst[j] = Swift.max(dst[j], src[j]) }
                    }
                }
                if normalize {
                    var ss: Float = 0
                    for j in 0..<h { ss += dst[j] * dst[j] }
                    let inv = 1 / Swift.max(ss.squareRoot(), 1e-12)  // torch.nn.functional.normalize's eps
                    for j in 0..<h { dst[j] *= inv }
                }
            }
        }
    }
}
