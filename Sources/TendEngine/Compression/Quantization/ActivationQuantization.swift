/// The 7-bit unsigned quantization of one layer's input: x̂ = scale·(q − zeroPoint), q in 0…127.
/// `lo`/`hi` is the calibrated clipping range, widened to contain 0 so that 0 is exact
/// (zeroPoint 0 for ReLU outputs). Invariant: scale > 0, zeroPoint in 0…127.
public struct ActivationQuantization: Sendable, Codable, Equatable {
    public static let levels: Float = 127
    public var lo: Float, hi: Float
    public var scale: Float
    public var zeroPoint: Int32

    public init(lo: Float, hi: Float) {
        let l = min(lo, 0), h = max(hi, 0)
        self.lo = l; self.hi = h
        if h > l {
            scale = (h - l) / Self.levels
            zeroPoint = Int32(min(127, max(0, (-l / scale).rounded(.toNearestOrEven))))
        } else {
            scale = 1; zeroPoint = 0
        }
    }

    /// The code of x (multiplying by 1/scale as the kernels do, round half to even, clamped).
    @inline(__always)
    public func code(_ x: Float) -> UInt8 {
        let t = (x * (1 / scale)).rounded(.toNearestOrEven) + Float(zeroPoint)
        return UInt8(min(127, max(0, t)))
    }

    /// x̂ for x.
    @inline(__always)
    public func fakeQuantize(_ x: Float) -> Float { scale * Float(Int32(code(x)) - zeroPoint) }

    /// The smallest and largest representable values.
    public var representable: ClosedRange<Float> { (scale * Float(-zeroPoint))...(scale * Float(127 - zeroPoint)) }
}

/// Chooses clipping ranges for activations from observed values.
public enum ActivationCalibrator {
    /// At most this many values (evenly strided) are used by `.percentile` and `.mse`.
    public static let sampleLimit = 65_536

    /// The clipping range of `values` by `method` (`percentile` in (50, 100] for `.percentile`).
    public static func range(of values: [Float], method: CalibrationMethod, percentile: Double = 99.99) -> (lo: Float, hi: Float) {
        guard !values.isEmpty else { return (0, 0) }
        var lo = Float.infinity, hi = -Float.infinity
        for v in values { lo = min(lo, v); hi = max(hi, v) }
        switch method {
        case .minMax:
            return (lo, hi)
        case .percentile:
            let s = sample(values).sorted()
            let p = min(100, max(50, percentile)) / 100
            return (quantile(s, 1 - p), quantile(s, p))
        case .mse:
            let s = sample(values)
            var best = (lo: lo, hi: hi), bestError = Double.infinity
            // Shrink the min/max range (both ends) in 2% steps down to 20% and keep the best.
            for step in 0...40 {
                let alpha = Float(1 - 0.02 * Double(step))
                let q = ActivationQuantization(lo: lo * alpha, hi: hi * alpha)
                var e = 0.0
                for v in s { let d = Double(v - q.fakeQuantize(v)); e += d * d }
                if e < bestError { bestError = e; best = (lo * alpha, hi * alpha) }
            }
            return best
        }
    }

    static func sample(_ values: [Float]) -> [Float] {
        guard values.count > sampleLimit else { return values }
        let stride = Double(values.count) / Double(sampleLimit)
        return (0..<sampleLimit).map { values[Int(Double($0) * stride)] }
    }

    /// Linear-interpolated quantile q in [0, 1] of sorted values.
    static func quantile(_ sorted: [Float], _ q: Double) -> Float {
        let pos = q * Double(sorted.count - 1)
        let i = Int(pos.rounded(.down)), f = Float(pos - Double(i))
        return i + 1 < sorted.count ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i]
    }
}
