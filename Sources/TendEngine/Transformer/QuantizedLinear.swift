import CInt8
import TendTensor

/// A linear layer on the dynamic int8 path (PyTorch's `quantize_dynamic`, ONNX Runtime's `MatMulInteger`
/// form): weights int8 per output channel, symmetric (ŵ = scale[n]·q, q in −127…127), packed once for
/// CInt8; each input row (token) quantized at run time to 7-bit codes with its own scale and zero-point,
/// exact int32 products, then y = (C − z_m·Σ_k q[n][k])·s_m·scale[n] (+ bias). The 7-bit codes keep AVX2's
/// `vpmaddubsw` free of int16 saturation, so every kernel variant gives the same bits.
public struct QuantizedLinear: Sendable {
    /// The layer's name (`encoder.layer.0.attention.self.query`); a stacked layer lists its parts in `parts`.
    public let name: String
    /// Names of the layers stacked in this one, in row order (just `[name]` for one layer).
    public let parts: [String]
    public let weights: QuantizedWeights
    /// [outputs]; added by `forward`, and by `product` only when asked (the encoder adds it in its fused row passes).
    public let bias: [Float]
    /// The CInt8 variant the products run on.
    public var kernel: Int8Kernel
    public var inputs: Int { weights.cols }
    public var outputs: Int { weights.rows }
    /// Row stride of the input codes (inputs rounded up to 32).
    let stride: Int
    let packed: [Int8]
    /// Σ_k q[n][k] per output (for the activation zero-point).
    let columnSums: [Int32]

    /// Quantizes `weight` [outputs, inputs] per output channel, symmetric.
    public init(name: String, weight: Tensor, bias: [Float], kernel: Int8Kernel = .best) {
        self.init(name: name, weights: QuantizedWeights.quantize(weight, perChannel: true, symmetric: true), bias: bias, kernel: kernel)
    }

    /// A layer from stored codes (must be symmetric: zero-points 0).
    public init(name: String, weights: QuantizedWeights, bias: [Float], kernel: Int8Kernel = .best, parts: [String]? = nil) {
        precondition(bias.count == weights.rows, "QuantizedLinear \(name): \(bias.count) biases for \(weights.rows) outputs")
        precondition(weights.zeroPoints.allSatisfy { $0 == 0 }, "QuantizedLinear \(name): weights must be symmetric (zero-points 0)")
        self.name = name; self.parts = parts ?? [name]
        self.weights = weights; self.bias = bias; self.kernel = kernel
        stride = max(32, (weights.cols + 31) / 32 * 32)
        var sums = [Int32](repeating: 0, count: weights.rows)
        weights.codes.withUnsafeBufferPointer { q in
            for n in 0..<weights.rows {
                var s: Int32 = 0
                for k in 0..<weights.cols { s += Int32(q[n * weights.cols + k]) }
                sums[n] = s
            }
        }
        columnSums = sums
        packed = weights.codes.withUnsafeBufferPointer { Int8Kernel.pack(n: weights.rows, k: weights.cols, b: $0.baseAddress!, ldb: weights.cols) }
    }

    /// Several layers with the same input stacked by rows into one product (per-channel scales make this
    /// exactly the layers side by side): the encoder's query | key | value.
    public init(stacking layers: [QuantizedLinear], name: String) {
        precondition(!layers.isEmpty && layers.allSatisfy { $0.inputs == layers[0].inputs }, "QuantizedLinear: stacked layers need one input size")
        let w = QuantizedWeights(rows: layers.reduce(0) { $0 + $1.outputs }, cols: layers[0].inputs,
                                 codes: layers.flatMap(\.weights.codes), scales: layers.flatMap(\.weights.scales),
                                 zeroPoints: layers.flatMap(\.weights.zeroPoints), perChannel: true, symmetric: true,
                                 clipped: layers.reduce(0) { $0 + $1.weights.clipped })
        self.init(name: name, weights: w, bias: layers.flatMap(\.bias), kernel: layers[0].kernel, parts: layers.flatMap(\.parts))
    }

    /// Bytes this layer stores: int8 codes, fp32 scales and biases.
    public var storedBytes: Int { inputs * outputs + outputs * 8 }

    /// Multiply-adds from which `product` splits its rows across Tend's worker threads.
    static let parallelMACs = 1 << 23
    /// Rows quantized, multiplied and dequantized at a time by one thread: its codes and int32 block
    /// (32 × 1536 × 4 = 196 KB for MiniLM's widest layer) stay in L2 between the three steps.
    static let rowBlock = 32

    /// y [rows, outputs] (row stride `ldy`) = x [rows, inputs] (row stride `ldx`) · ŵᵀ, plus the bias when
    /// `addBias`: per-row quantization, int8 product and dequantization, split by rows over the worker
    /// threads when large enough (each thread runs all three steps on its rows). `scratch` must not be in use elsewhere.
    public func product(rows: Int, x: UnsafePointer<Float>, ldx: Int? = nil, into y: UnsafeMutablePointer<Float>, ldy: Int? = nil,
                        addBias: Bool = false, scratch: Int8Scratch) {
        let ldx = ldx ?? inputs, ldy = ldy ?? outputs
        if let probe = scratch.probe, probe(self, rows, x, ldx, y, ldy) { return }
        guard rows > 0 else { return }
        let threads = Parallel.threads
        let parts = threads > 1 && rows * inputs * outputs >= Self.parallelMACs ? min(threads, (rows + 3) / 4) : 1
        let block = Self.rowBlock
        scratch.ensure(rows: rows, parts: parts, block: block, stride: stride, outputs: outputs)
        let variant = kernel.c
        let codes = scratch.codes, acc = scratch.accumulator, scales = scratch.rowScales, zeros = scratch.rowZeros
        let n = outputs, k = inputs, st = stride
        packed.withUnsafeBufferPointer { pb in
            columnSums.withUnsafeBufferPointer { cs in
                weights.scales.withUnsafeBufferPointer { ws in
                    bias.withUnsafeBufferPointer { b in
                        // Part p owns codes and accumulators [p·block, (p+1)·block) rows of scratch.
                        let run = { (part: Int, lo: Int, hi: Int) in
                            let q = codes + part * block * st, c = acc + part * block * n
                            var r = lo
                            while r < hi {
                                let m = min(block, hi - r)
                                cint8_quantize_rows_u7(variant, Int32(m), Int32(k), x + r * ldx, Int32(ldx), q, Int32(st), scales + r, zeros + r)
                                cint8_gemm_u7s8(variant, Int32(m), Int32(n), Int32(k), q, Int32(st), pb.baseAddress, c, Int32(n))
                                cint8_dequantize_rows(variant, Int32(m), Int32(n), c, Int32(n), scales + r, zeros + r,
                                                      cs.baseAddress, ws.baseAddress, addBias ? b.baseAddress : nil, y + r * ldy, Int32(ldy))
                                r += m
                            }
                        }
                        if parts <= 1 { run(0, 0, rows); return }
                        // Row ranges in multiples of 4 (the kernels' row block).
                        let per = ((rows + parts - 1) / parts + 3) / 4 * 4
                        Parallel.forParts(parts) { p in run(p, min(rows, p * per), min(rows, (p + 1) * per)) }
                    }
                }
            }
        }
    }

    /// x [rows, inputs] → y [rows, outputs] with the bias (a fresh tensor): tests and tools.
    public func forward(_ x: Tensor, scratch: Int8Scratch = Int8Scratch()) -> Tensor {
        precondition(x.rank == 2 && x.cols == inputs, "QuantizedLinear \(name): input \(x.shape) does not have \(inputs) columns")
        var y = Tensor(shape: Shape([x.rows, outputs]))
        x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                product(rows: x.rows, x: px.baseAddress!, into: py.baseAddress!, addBias: true, scratch: scratch)
            }
        }
        return y
    }

    /// The dynamic per-row 7-bit reconstruction x̂ of `x` [rows, cols] (what the int8 product sees), with the
    /// same rounding as the kernels: for error tables.
    public static func fakeQuantizeRows(_ x: Tensor) -> Tensor {
        let rows = x.rows, cols = x.cols, st = max(32, (cols + 31) / 32 * 32)
        var codes = [UInt8](repeating: 0, count: rows * st)
        var scales = [Float](repeating: 0, count: rows), zeros = [Int32](repeating: 0, count: rows)
        x.withUnsafeBufferPointer { px in
            cint8_quantize_rows_u7(Int8Kernel.scalar.c, Int32(rows), Int32(cols), px.baseAddress, Int32(cols), &codes, Int32(st), &scales, &zeros)
        }
        var out = [Float](repeating: 0, count: rows * cols)
        for r in 0..<rows {
            for c in 0..<cols { out[r * cols + c] = scales[r] * Float(Int32(codes[r * st + c]) - zeros[r]) }
        }
        return Tensor(shape: x.shape, storage: out)
    }
}

/// Scratch of the dynamic int8 products of one forward pass (input codes, row scales and zero-points, int32
/// accumulators), grown on demand and never shrunk; owned by one encoder workspace, one thread at a time.
public final class Int8Scratch {
    private(set) var codes: UnsafeMutablePointer<UInt8>
    private(set) var accumulator: UnsafeMutablePointer<Int32>
    private(set) var rowScales: UnsafeMutablePointer<Float>
    private(set) var rowZeros: UnsafeMutablePointer<Int32>
    private var codeCapacity = 0, accumulatorCapacity = 0, rowCapacity = 0
    /// Called before each int8 product with (layer, rows, x, ldx, y, ldy); when it returns true the product is
    /// taken as done (it wrote y). Error tables use it to record inputs and run the fp32 reference instead.
    public var probe: ((QuantizedLinear, Int, UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>, Int) -> Bool)?

    public init() {
        codes = .allocate(capacity: 64); accumulator = .allocate(capacity: 16)
        rowScales = .allocate(capacity: 1); rowZeros = .allocate(capacity: 1)
    }

    /// Codes and accumulators for `parts` blocks of `block` rows; scales and zero-points for all `rows`.
    func ensure(rows: Int, parts: Int, block: Int, stride: Int, outputs: Int) {
        let blockRows = parts * block
        if blockRows * stride > codeCapacity {
            codes.deallocate(); codeCapacity = blockRows * stride
            codes = UnsafeMutableRawPointer.allocate(byteCount: codeCapacity, alignment: 64).bindMemory(to: UInt8.self, capacity: codeCapacity)
        }
        if blockRows * outputs > accumulatorCapacity {
            accumulator.deallocate(); accumulatorCapacity = blockRows * outputs
            accumulator = UnsafeMutableRawPointer.allocate(byteCount: accumulatorCapacity * 4, alignment: 64)
                .bindMemory(to: Int32.self, capacity: accumulatorCapacity)
        }
        if rows > rowCapacity {
            rowScales.deallocate(); rowZeros.deallocate(); rowCapacity = rows
            rowScales = .allocate(capacity: rows); rowZeros = .allocate(capacity: rows)
        }
    }

    deinit { codes.deallocate(); accumulator.deallocate(); rowScales.deallocate(); rowZeros.deallocate() }
}
