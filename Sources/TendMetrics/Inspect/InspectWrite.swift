/// What `w` writes: a copy of the file with float weights |w| < `threshold` set to zero (nil: none) and, when
/// `quantizeInt8`, float tensors of rank ≥ 1 stored as symmetric per-channel int8 codes plus `NAME.scale`.
public struct InspectWriteRequest: Sendable, Equatable {
    public var threshold: Double?
    public var quantizeInt8: Bool
    public var outputPath: String

    public init(threshold: Double?, quantizeInt8: Bool, outputPath: String) {
        self.threshold = threshold; self.quantizeInt8 = quantizeInt8; self.outputPath = outputPath
    }
}

/// What a finished write did, as plain values the screen words into its event line.
public struct InspectWriteResult: Sendable, Equatable {
    public var path: String
    /// Weights set to zero by the threshold.
    public var zeroed: Int
    /// Tensors stored as int8.
    public var quantizedTensors: Int
    /// Size of the written file.
    public var bytes: Int
    /// Wall time of the write.
    public var seconds: Double

    public init(path: String, zeroed: Int, quantizedTensors: Int, bytes: Int, seconds: Double) {
        self.path = path; self.zeroed = zeroed; self.quantizedTensors = quantizedTensors; self.bytes = bytes; self.seconds = seconds
    }
}
