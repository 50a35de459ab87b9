/// What the dashboard shows about one layer of the model. Set by the engine as an array, in model order.
/// `sparsity` is the fraction (0...1) of weights that are exactly zero; `bitsPerWeight` is 32 for fp32;
/// `sqnrDB` is the signal-to-quantization-noise ratio in dB after quantization, nil before.
public struct LayerStat: Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    public var parameters: Int
    public var sparsity: Double
    public var bitsPerWeight: Double
    public var sqnrDB: Double?

    public init(name: String, shape: [Int], parameters: Int, sparsity: Double = 0, bitsPerWeight: Double = 32,
                sqnrDB: Double? = nil) {
        self.name = name; self.shape = shape; self.parameters = parameters; self.sparsity = sparsity
        self.bitsPerWeight = bitsPerWeight; self.sqnrDB = sqnrDB
    }

    /// Storage for the weights at `bitsPerWeight`, in bytes.
    public var weightBytes: Double { Double(parameters) * bitsPerWeight / 8 }
}
