import TendTensor

/// A linear layer `y = x Wᵀ + b` in PyTorch's layout: weight [out, in], `bias` [out]. The weight is held
/// once, as `weightStorage` (read in place from a memory-mapped file when loaded from f32 safetensors, else an
/// allocation of its own); `weight` materialises it as a `Tensor` on demand (a copy).
public struct Linear: Sendable {
    /// The weight [out, in], the representation sgemm reads.
    public var weightStorage: WeightStorage
    public var bias: Tensor
    /// `weight` packed for products of few rows (derived; `pack()` after changing the weight).
    public private(set) var packed: PackedWeight?
    /// When set, the encoder runs this layer's product on the dynamic int8 path instead (`QuantizedLinear.swift`).
    public var int8: QuantizedLinear?

    /// The weight as a tensor (a copy of `weightStorage`); setting it copies the value into its own allocation.
    public var weight: Tensor {
        get { weightStorage.tensor }
        set {
            precondition(newValue.rank == 2, "Linear: weight must be rank 2, is \(newValue.shape)")
            weightStorage = WeightStorage(copying: newValue)
        }
    }

    /// Packs the weight for `packedProduct`.
    public mutating func pack() { packed = PackedWeight(outputs: outputs, inputs: inputs, weightStorage.pointer) }
    /// Drops the packed copy (layers whose products use another packed form, e.g. the stacked query/key/value).
    mutating func dropPacked() { packed = nil }

    public init(weight: Tensor, bias: Tensor) {
        precondition(weight.rank == 2 && bias.count == weight.shape[0], "Linear: weight \(weight.shape) and bias \(bias.shape) disagree")
        self.weightStorage = WeightStorage(copying: weight)
        self.bias = bias
    }
    /// Zero weights of `[outputs, inputs]` (to be loaded).
    public init(inputs: Int, outputs: Int) {
        self.weightStorage = WeightStorage(zeros: Shape([outputs, inputs]))
        self.bias = Tensor(shape: Shape([outputs]))
    }
    public var inputs: Int { weightStorage.shape[1] }
    public var outputs: Int { weightStorage.shape[0] }
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
/// With several threads and enough work, the outputs are split into one contiguous block of weight rows
/// per thread, each a single-threaded sgemm writing its columns of `y`: one set of threads (Tend's workers)
/// for products and row passes alike, instead of OpenBLAS's pool spinning beside them.
/// Up to `packedRowLimit` rows with a packed weight, the packed kernel runs instead (panels split across threads).
/// `ldy` is `y`'s row stride (default `outputs`; larger when writing a column block of a wider matrix).
func linearProduct(rows: Int, inputs: Int, outputs: Int, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                   packed: PackedWeight?, into y: UnsafeMutablePointer<Float>, ldy: Int? = nil) {
    let ldy = ldy ?? outputs
    let threads = Parallel.threads
    let macs = rows * inputs * outputs
    if let packed, rows <= packedRowLimit {
        let panels = packed.panels
        if threads <= 1 || macs < packedParallelMACs {
            packedProduct(rows: rows, x, ldx: inputs, packed, into: y, ldc: ldy)
        } else {
            Parallel.forParts(threads) { part in
                packedProduct(rows: rows, x, ldx: inputs, packed, into: y, ldc: ldy,
                              panels: (panels * part / threads)..<(panels * (part + 1) / threads))
            }
        }
        return
    }
    splitGemm(m: rows, n: outputs, k: inputs, x, lda: inputs, weight, ldb: inputs, transposeB: true, y, ldc: ldy)
}

/// Rows up to which a product with a packed weight uses the packed kernel rather than sgemm.
let packedRowLimit = 64

/// Multiply-adds from which an encoder product is split across threads (~0.1 ms of one core's work).
let linearParallelMACs = 1 << 22

/// Multiply-adds from which a packed (few-row) product is split across threads. Waking a helper costs tens of
/// microseconds, more than a 22-row product of MiniLM (~10M multiply-adds, ~0.2 ms) saves by splitting:
/// measured b1x22 at 2 threads 10.8 ms split at 1M, against 8.4 ms on one thread.
let packedParallelMACs = 1 << 25
