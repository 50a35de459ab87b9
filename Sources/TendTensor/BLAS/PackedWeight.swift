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
        let n = weight.shape[0], k = weight.shape[1]
        outputs = n
        inputs = k
        storage = weight.withUnsafeBufferPointer { w in
            [Float](unsafeUninitializedCapacity: ck_packed_weight_count(n, k)) { out, count in
                ck_pack_weight(n, k, w.baseAddress!, k, out.baseAddress!)
                count = ck_packed_weight_count(n, k)
            }
        }
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
