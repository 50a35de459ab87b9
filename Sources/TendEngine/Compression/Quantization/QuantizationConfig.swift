/// How activation ranges are chosen from calibration data.
public enum CalibrationMethod: String, Sendable, Codable, CaseIterable {
    /// The observed minimum and maximum.
    case minMax = "minmax"
    /// The `percentile`-th and (100 − `percentile`)-th percentiles (outliers are clipped).
    case percentile
    /// The clipping range (a shrink of the min/max range) that minimises the quantization MSE.
    case mse
}

/// The int8 post-training quantization scheme.
///
/// Weights: int8 codes per output channel (row of `fcK.weight`) or per tensor; symmetric codes lie in
/// −127…127 with zero-point 0, affine codes in −128…127 with an integer zero-point. Activations (the
/// input of every int8 layer) are 7-bit unsigned codes 0…127 with a calibrated scale and zero-point
/// (0 for ReLU outputs), so the AVX2 kernel never saturates. Rounding is round-half-to-even everywhere.
public struct QuantizationConfig: Sendable, Codable, Equatable {
    public var perChannel: Bool
    public var symmetric: Bool
    public var calibration: CalibrationMethod
    /// Percentile in (50, 100] used by `.percentile`, e.g. 99.99.
    public var percentile: Double
    /// Dense layers (by name, e.g. "fc3") kept in fp32 (mixed precision).
    public var keepFP32: [String]
    /// Threads for large int8 products (split over output columns).
    public var threads: Int

    public init(perChannel: Bool = true, symmetric: Bool = true, calibration: CalibrationMethod = .minMax,
                percentile: Double = 99.99, keepFP32: [String] = [], threads: Int = 1) {
        self.perChannel = perChannel; self.symmetric = symmetric; self.calibration = calibration
        self.percentile = percentile; self.keepFP32 = keepFP32; self.threads = max(1, threads)
    }

    /// A description of what is wrong, or nil when valid.
    public var validationError: String? {
        if !(percentile > 50 && percentile <= 100) { return "percentile must lie in (50, 100], got \(percentile)" }
        return nil
    }
}
