/// Per-tensor quantization error: mean squared error, signal-to-quantization-noise ratio (dB),
/// cosine similarity with the fp32 values, largest absolute error and the fraction of values clipped (0...1).
public struct QuantizationErrorFigures: Sendable, Equatable {
    public var mse: Double
    public var sqnrDB: Double
    public var cosine: Double
    public var maxAbsError: Double
    public var clippedFraction: Double
    public init(mse: Double, sqnrDB: Double, cosine: Double, maxAbsError: Double, clippedFraction: Double) {
        self.mse = mse; self.sqnrDB = sqnrDB; self.cosine = cosine; self.maxAbsError = maxAbsError
        self.clippedFraction = clippedFraction
    }
}

/// What an int8 scheme does to the live model, published by the executable under `QuantizationPreview.key`
/// and drawn by the quantization screen. Accuracy and agreement in 0...1, loss is mean cross-entropy.
public struct QuantizationPreview: Sendable, Equatable {
    public static let key = "quantization.preview"

    /// One dense layer: weight error (int8 and int4 group-32 what-if) and its input activation error on the
    /// calibration data (nil when the layer stays fp32).
    public struct Layer: Sendable, Equatable {
        /// Name and the layer's worst SQNR (dB): the lower of weights and input activations.
        public struct Summary: Sendable, Equatable {
            public var name: String
            public var sqnrDB: Double
            public init(name: String, sqnrDB: Double) { self.name = name; self.sqnrDB = sqnrDB }
        }
        public var name: String
        public var shape: [Int]
        /// "int8" or "fp32".
        public var precision: String
        public var weight: QuantizationErrorFigures
        public var activation: QuantizationErrorFigures?
        public var int4Weight: QuantizationErrorFigures
        public init(name: String, shape: [Int], precision: String, weight: QuantizationErrorFigures,
                    activation: QuantizationErrorFigures?, int4Weight: QuantizationErrorFigures) {
            self.name = name; self.shape = shape; self.precision = precision; self.weight = weight
            self.activation = activation; self.int4Weight = int4Weight
        }
        public var summary: Summary { Summary(name: name, sqnrDB: min(weight.sqnrDB, activation?.sqnrDB ?? .infinity)) }
    }

    /// Validation accuracy and loss of one variant of the model.
    public struct EndToEnd: Sendable, Equatable {
        public var accuracy: Double, loss: Double
        public init(accuracy: Double, loss: Double) { self.accuracy = accuracy; self.loss = loss }
    }

    public var perChannel: Bool
    public var symmetric: Bool
    /// "minmax", "percentile" or "mse".
    public var calibration: String
    public var keepFP32: [String]
    /// The int8 kernel in use (e.g. "avx2").
    public var kernel: String
    public var layers: [Layer]
    public var fp32: EndToEnd?
    public var int8: EndToEnd?
    public var int4: EndToEnd?
    /// Fraction of validation rows where int8 and fp32 pick the same class.
    public var agreement: Double?
    public var fp32Bytes: Int
    public var int8Bytes: Int
    public var validationRows: Int
    /// What the inference loop serves now: "fp32" or "int8".
    public var serving: String
    public var computeMilliseconds: Double

    public init(perChannel: Bool, symmetric: Bool, calibration: String, keepFP32: [String], kernel: String,
                layers: [Layer], fp32: EndToEnd?, int8: EndToEnd?, int4: EndToEnd?, agreement: Double?,
                fp32Bytes: Int, int8Bytes: Int, validationRows: Int, serving: String, computeMilliseconds: Double = 0) {
        self.perChannel = perChannel; self.symmetric = symmetric; self.calibration = calibration; self.keepFP32 = keepFP32
        self.kernel = kernel; self.layers = layers; self.fp32 = fp32; self.int8 = int8; self.int4 = int4
        self.agreement = agreement; self.fp32Bytes = fp32Bytes; self.int8Bytes = int8Bytes
        self.validationRows = validationRows; self.serving = serving; self.computeMilliseconds = computeMilliseconds
    }
}

/// What the inference loop serves, published under `ServingPrecision.key` as a String ("fp32" / "int8").
public enum ServingPrecision {
    public static let key = "serving.precision"
}
