import TendTensor

/// A Dense layer ready for the int8 kernel: weight codes in the kernels' panel layout, the row stride
/// of its input codes (inputs rounded up to 32), the input's 7-bit quantization, and the per-column epilogue constants
/// y = (C + colOffset − zw·Σqa)·colScale + bias.
public struct Int8Linear: Sendable {
    public static let alignment = 32
    public let name: String
    public let inputs: Int, outputs: Int
    /// Row stride of this layer's input codes (inputs rounded up to `alignment`).
    public let stride: Int
    public let weights: QuantizedWeights
    public let bias: [Float]
    public let input: ActivationQuantization
    let packed: [Int8]
    /// −za·Σ_k qw[n][k] + K·za·zw[n].
    let colOffset: [Int32]
    /// sa·sw[n].
    let colScale: [Float]
    /// zw[n], or nil when every zero-point is 0 (symmetric).
    let weightZero: [Int32]?

    public init(name: String, weights: QuantizedWeights, bias: [Float], input: ActivationQuantization) {
        precondition(bias.count == weights.rows, "Int8Linear \(name): \(bias.count) biases for \(weights.rows) outputs")
        self.name = name; self.weights = weights; self.bias = bias; self.input = input
        inputs = weights.cols; outputs = weights.rows
        stride = max(Self.alignment, (inputs + Self.alignment - 1) / Self.alignment * Self.alignment)
        var offset = [Int32](repeating: 0, count: outputs), scale = [Float](repeating: 0, count: outputs)
        let za = input.zeroPoint
        for n in 0..<outputs {
            var sum: Int32 = 0
            for k in 0..<inputs {
                sum += Int32(weights.codes[n * inputs + k])
            }
            offset[n] = -za * sum + Int32(inputs) * za * weights.zeroPoints[n]
            scale[n] = input.scale * weights.scales[n]
        }
        packed = weights.codes.withUnsafeBufferPointer { Int8Kernel.pack(n: weights.rows, k: weights.cols, b: $0.baseAddress!, ldb: weights.cols) }
        colOffset = offset; colScale = scale
        weightZero = weights.zeroPoints.allSatisfy { $0 == 0 } ? nil : weights.zeroPoints
    }
}
