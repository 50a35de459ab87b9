import CKernels

/// Floats of scratch `attentionHead` needs for a sequence of `tokens` and a head of `headSize`.
public func attentionScratchCount(tokens: Int, headSize: Int) -> Int { ck_attention_scratch_count(tokens, headSize) }

/// The variant `attentionHead` actually runs for `variant` and `headSize` (the AVX2 kernel needs FMA and a
/// head size that is a multiple of 8; otherwise the scalar reference runs).
public func attentionVariantRun(_ variant: KernelVariant, headSize: Int) -> KernelVariant {
    ck_attention_variant_runs(variant.c, headSize) == Int32(CK_AVX2.rawValue) ? .avx2 : .scalar
}

/// One head's scaled dot-product attention over `tokens` tokens:
/// `out[i, t] = Σ_j softmax_j(scale · (q_i + bq)·(k_j + bk)) (v[j, t] + bv[t])`, fused (scores, softmax and the
/// product with V in one pass, no packing; the projections' biases added on the way). `q`, `k`, `v` rows have
/// stride `ld`, `out` rows `ldo`; biases (`headSize` floats) may be nil; `scratch` holds
/// `attentionScratchCount(tokens:headSize:)` floats.
public func attentionHead(tokens: Int, headSize: Int, q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                          ld: Int, biases: (q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>)? = nil,
                          scale: Float, into out: UnsafeMutablePointer<Float>, ldo: Int,
                          scratch: UnsafeMutablePointer<Float>, variant: KernelVariant = .best) {
    ck_attention(variant.c, tokens, headSize, q, k, v, ld, biases?.q, biases?.k, biases?.v, scale, out, ldo, scratch)
}
