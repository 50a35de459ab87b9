import Foundation

/// How far a reconstruction ŵ is from the original w (weights or activations).
/// `sqnrDB` = 20·log10(‖w‖ / ‖w − ŵ‖) (infinite when exact); `cosine` = w·ŵ / (‖w‖‖ŵ‖);
/// `clippedFraction` = share of values outside the representable range.
public struct QuantizationError: Sendable, Codable, Equatable {
    public var mse: Double
    public var sqnrDB: Double
    public var cosine: Double
    public var maxAbsError: Double
    public var clippedFraction: Double
    public var count: Int

    public init(mse: Double, sqnrDB: Double, cosine: Double, maxAbsError: Double, clippedFraction: Double, count: Int) {
        self.mse = mse; self.sqnrDB = sqnrDB; self.cosine = cosine; self.maxAbsError = maxAbsError
        self.clippedFraction = clippedFraction; self.count = count
    }

    /// Measures `reconstructed` against `original` (same length); `clipped` values counted as clipped.
    public static func measure(original: [Float], reconstructed: [Float], clipped: Int = 0) -> QuantizationError {
        precondition(original.count == reconstructed.count, "QuantizationError: \(original.count) vs \(reconstructed.count) values")
        var signal = 0.0, noise = 0.0, dot = 0.0, recon = 0.0, maxAbs = 0.0
        for i in 0..<original.count {
            let w = Double(original[i]), h = Double(reconstructed[i]), d = w - h
            signal += w * w; noise += d * d; dot += w * h; recon += h * h
            maxAbs = max(maxAbs, abs(d))
        }
        let n = Double(max(original.count, 1))
        let sqnr = noise == 0 ? Double.infinity : (signal == 0 ? -Double.infinity : 10 * log10(signal / noise))
        let cos = (signal > 0 && recon > 0) ? dot / (signal.squareRoot() * recon.squareRoot()) : (signal == recon ? 1 : 0)
        return QuantizationError(mse: noise / n, sqnrDB: sqnr, cosine: cos, maxAbsError: maxAbs,
                                 clippedFraction: Double(clipped) / n, count: original.count)
    }
}
