import TendCore
import TendTensor

/// Inverted dropout: in training each entry is zeroed with probability `rate` and the survivors
/// are scaled by 1/(1 − rate); in evaluation it is the identity. Masks come from a seeded generator.
public final class Dropout: Layer {
    public let rate: Float
    /// The generator drawing masks; its state may be saved for exact resumption.
    public var generator: SeededGenerator
    /// When true, training forwards reuse the last mask (same shape) instead of drawing a new one;
    /// used to check gradients and to replay a step.
    public var freezesMask = false
    /// The last mask drawn: 0 or 1/(1 − rate) per entry.
    public private(set) var mask = Tensor.empty
    private var output = Tensor.empty
    private var gradInput = Tensor.empty

    public init(rate: Float, seed: UInt64) {
        precondition(rate >= 0 && rate < 1, "Dropout: rate \(rate) must lie in [0, 1)")
        self.rate = rate
        generator = SeededGenerator(seed: seed)
    }

    public var parameters: [Parameter] { [] }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        guard training, rate > 0 else { return x }
        if !(freezesMask && mask.shape == x.shape) { drawMask(x.shape) }
        multiply(x, mask, into: &output)
        return output
    }

    public func backward(_ gradOut: Tensor) -> Tensor {
        guard rate > 0 else { return gradOut }
        multiply(gradOut, mask, into: &gradInput)
        return gradInput
    }

    private func drawMask(_ shape: Shape) {
        mask.ensureShape(shape)
        let keep = 1 - rate, scale = 1 / (1 - rate)
        // Compare 24-bit integers so the threshold is exact: P(keep) = ⌈keep·2²⁴⌉ / 2²⁴.
        let threshold = UInt64((Double(keep) * 16_777_216).rounded(.up))
        mask.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] = (generator.next() >> 40) < threshold ? scale : 0 }
        }
    }
}
