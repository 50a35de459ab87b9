import CInt8
import TendTensor

/// Runs one `Int8Linear` on the int8 path: 7-bit input codes × int8 weight codes → int32 (CInt8 kernels),
/// then the epilogue (scale, bias, optional ReLU) to fp32 or straight to the next layer's codes. Owns the
/// scratch of one batch size (codes, row sums, accumulator): use from one thread at a time. As a
/// `LinearSubstitute` it replaces a Dense layer's forward wherever that layer sits in a model.
final class Int8Runner: LinearSubstitute {
    let lin: Int8Linear
    var kernel: Int8Kernel
    let threads: Int
    private var rows = -1
    private(set) var codes: [UInt8] = []
    private(set) var rowSums: [Int32] = []
    private var accumulator: [Int32] = []

    init(_ lin: Int8Linear, kernel: Int8Kernel, threads: Int) {
        self.lin = lin; self.kernel = kernel; self.threads = threads
    }

    /// Sizes the scratch for `m` rows (no-op when unchanged).
    func prepare(rows m: Int) {
        guard m != rows else { return }
        rows = m
        codes = [UInt8](repeating: 0, count: m * lin.stride)
        rowSums = [Int32](repeating: 0, count: m)
        accumulator = [Int32](repeating: 0, count: m * lin.outputs)
    }

    /// quantize → product → dequantize (no activation): the Dense forward on the int8 path.
    func forward(_ x: Tensor) -> Tensor {
        prepare(rows: x.rows)
        quantizeInput(x)
        multiply()
        return dequantize(relu: false)
    }

    func quantizeInput(_ x: Tensor) {
        let variant = kernel.c
        x.withUnsafeBufferPointer { px in
            codes.withUnsafeMutableBufferPointer { q in
                rowSums.withUnsafeMutableBufferPointer { rs in
                    cint8_quantize_u7(variant, Int32(x.rows), Int32(lin.inputs), px.baseAddress, Int32(lin.inputs),
                                      1 / lin.input.scale, lin.input.zeroPoint, q.baseAddress, Int32(lin.stride), rs.baseAddress)
                }
            }
        }
    }

    func multiply() {
        let m = rows
        codes.withUnsafeBufferPointer { a in
            lin.packed.withUnsafeBufferPointer { b in
                accumulator.withUnsafeMutableBufferPointer { c in
                    if kernel == .best && threads > 1 {
                        Int8Kernel.parallelGEMM(m: m, n: lin.outputs, k: lin.inputs, a: a.baseAddress!, lda: lin.stride,
                                                packed: b.baseAddress!, c: c.baseAddress!, ldc: lin.outputs, threads: threads)
                    } else {
                        kernel.gemm(m: m, n: lin.outputs, k: lin.inputs, a: a.baseAddress!, lda: lin.stride,
                                    packed: b.baseAddress!, c: c.baseAddress!, ldc: lin.outputs)
                    }
                }
            }
        }
    }

    /// Calls `body` with the epilogue constants (pointers valid only inside).
    private func withEpilogue<R>(_ body: (cint8_epilogue) -> R) -> R {
        lin.colOffset.withUnsafeBufferPointer { off in
            lin.colScale.withUnsafeBufferPointer { sc in
                lin.bias.withUnsafeBufferPointer { b in
                    if let wz = lin.weightZero {
                        return wz.withUnsafeBufferPointer { z in
                            body(cint8_epilogue(col_offset: off.baseAddress, weight_zero: z.baseAddress,
                                                col_scale: sc.baseAddress, bias: b.baseAddress))
                        }
                    }
                    return body(cint8_epilogue(col_offset: off.baseAddress, weight_zero: nil,
                                               col_scale: sc.baseAddress, bias: b.baseAddress))
                }
            }
        }
    }

    /// Product, ReLU and requantization to `next`'s input codes in one threaded pass (each thread runs the
    /// epilogue on its own block of outputs while it is still in cache). `next` must be prepared for the same rows.
    func multiplyRequantize(into next: Int8Runner) {
        let variant = kernel.c
        let threads = Int32(max(1, threads))
        let m = rows
        withEpilogue { e in
            codes.withUnsafeBufferPointer { a in
                lin.packed.withUnsafeBufferPointer { b in
                    accumulator.withUnsafeMutableBufferPointer { c in
                        rowSums.withUnsafeBufferPointer { rs in
                            next.codes.withUnsafeMutableBufferPointer { q in
                                next.rowSums.withUnsafeMutableBufferPointer { qrs in
                                    cint8_gemm_requantize_u7(variant, Int32(m), Int32(lin.outputs), Int32(lin.inputs),
                                                             a.baseAddress, Int32(lin.stride), b.baseAddress,
                                                             c.baseAddress, Int32(lin.outputs), rs.baseAddress, e, 1,
                                                             1 / next.lin.input.scale, next.lin.input.zeroPoint,
                                                             q.baseAddress, Int32(next.lin.stride), qrs.baseAddress, threads)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The accumulator as fp32 outputs [rows, outputs] (a fresh tensor), with ReLU when `relu`.
    func dequantize(relu: Bool) -> Tensor {
        let m = rows
        var y = Tensor(shape: [m, lin.outputs])
        let variant = kernel.c
        withEpilogue { e in
            accumulator.withUnsafeBufferPointer { c in
                rowSums.withUnsafeBufferPointer { rs in
                    y.withUnsafeMutableBufferPointer { out in
                        cint8_dequantize(variant, Int32(m), Int32(lin.outputs), c.baseAddress, Int32(lin.outputs), rs.baseAddress,
                                         e, relu ? 1 : 0, out.baseAddress, Int32(lin.outputs))
                    }
                }
            }
        }
        return y
    }
}
