import TendTensor

/// A linear layer `y = x Wᵀ + b` in PyTorch's layout: `weight` [out, in], `bias` [out].
public struct Linear: Sendable {
    public var weight: Tensor
    public var bias: Tensor

    public init(weight: Tensor, bias: Tensor) {
        precondition(weight.rank == 2 && bias.count == weight.shape[0], "Linear: weight \(weight.shape) and bias \(bias.shape) disagree")
        self.weight = weight
        self.bias = bias
    }
    /// Zero weights of `[outputs, inputs]` (to be loaded).
    public init(inputs: Int, outputs: Int) {
        self.init(weight: Tensor(shape: Shape([outputs, inputs])), bias: Tensor(shape: Shape([outputs])))
    }
    public var inputs: Int { weight.shape[1] }
    public var outputs: Int { weight.shape[0] }
}

/// LayerNorm's gain and shift over the hidden size.
public struct NormParameters: Sendable {
    public var weight: Tensor
    public var bias: Tensor
    public init(size: Int) {
        weight = Tensor(shape: Shape([size]), repeating: 1)
        bias = Tensor(shape: Shape([size]))
    }
}

/// Calls `body` with base pointers of `tensors` (all non-empty), valid only during the call.
func withPointers<R>(_ tensors: [Tensor], _ body: ([UnsafePointer<Float>]) -> R) -> R {
    var pointers: [UnsafePointer<Float>] = []
    pointers.reserveCapacity(tensors.count)
    func nest(_ i: Int) -> R {
        if i == tensors.count { return body(pointers) }
        return tensors[i].withUnsafeBufferPointer { p in
            pointers.append(p.baseAddress!)
            return nest(i + 1)
        }
    }
    return nest(0)
}

/// `rows` rows of `x` [rows, in] (row stride `in`) times `weightᵀ` into `y` [rows, out] (bias not added).
@inline(__always)
func linearProduct(rows: Int, inputs: Int, outputs: Int, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                   into y: UnsafeMutablePointer<Float>) {
    gemm(m: rows, n: outputs, k: inputs, x, lda: inputs, weight, ldb: inputs, transposeB: true, y, ldc: outputs)
}
