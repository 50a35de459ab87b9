import CKernels

/// A weight [outputs, inputs] (rows are outputs, as PyTorch's Linear) packed once into panels of 16
/// outputs for products of few rows (`packedProduct`), where sgemm would re-pack it on every call.
public struct PackedWeight: Sendable {
    public let outputs: Int
    public let inputs: Int
    /// `ck_packed_weight_count(outputs, inputs)` floats.
    public let storage: [Float]

    public init(_ weight: Tensor) {
        precondition(weight.rank == 2, "PackedWeight: weight must be rank 2, is \(weight.shape)")
        self = weight.withUnsafeBufferPointer { w in PackedWeight(outputs: weight.shape[0], inputs: weight.shape[1], w.baseAddress!) }
    }

    /// Packs `outputs` rows of `inputs` floats at `weight` (row stride `inputs`).
    public init(outputs n: Int, inputs k: Int, _ weight: UnsafePointer<Float>) {
        outputs = n
        inputs = k
        storage = [Float](unsafeUninitializedCapacity: ck_packed_weight_count(n, k)) { out, count in
            ck_pack_weight(n, k, weight, k, out.baseAddress!)
            count = ck_packed_weight_count(n, k)
        }
    }

    /// Packs the rows of `weights` (each [outputs_i, inputs]) stacked in order as one [Σ outputs_i, inputs] weight,
    /// without keeping the stacked matrix (it is a transient copy).
    public init(stacking weights: [WeightStorage]) {
        precondition(!weights.isEmpty && weights.allSatisfy { $0.shape.rank == 2 && $0.shape[1] == weights[0].shape[1] },
                     "PackedWeight(stacking:): weights must be rank 2 with the same inputs")
        let k = weights[0].shape[1], n = weights.reduce(0) { $0 + $1.shape[0] }
        var stacked = [Float](repeating: 0, count: n * k)
        var row = 0
        stacked.withUnsafeMutableBufferPointer { dst in
            for w in weights {
                w.withUnsafeBufferPointer { src in (dst.baseAddress! + row * k).update(from: src.baseAddress!, count: src.count) }
                row += w.shape[0]
            }
        }
        self = stacked.withUnsafeBufferPointer { PackedWeight(outputs: n, inputs: k, $0.baseAddress!) }
    }

    /// Panels of 16 outputs.
    public var panels: Int { (outputs + 15) / 16 }
    /// Bytes the packed copy holds.
    public var bytes: Int { storage.count * 4 }
}

/// `c[r, o] = Σ x[r, i] · w[o, i]` for `rows` rows and the outputs of `panels` (all by default), with row
/// strides `ldx` and `ldc`. `variant` `.scalar` runs the portable reference.
public func packedProduct(rows: Int, _ x: UnsafePointer<Float>, ldx: Int, _ w: PackedWeight,
                          into c: UnsafeMutablePointer<Float>, ldc: Int, panels: Range<Int>? = nil,
                          variant: KernelVariant = .best) {
    let range = panels ?? 0..<w.panels
    guard rows > 0, !range.isEmpty else { return }
    w.storage.withUnsafeBufferPointer { p in
        ck_packed_gemm(variant.c, rows, w.outputs, w.inputs, x, ldx, p.baseAddress!, range.lowerBound, range.upperBound, c, ldc)
    }
}
