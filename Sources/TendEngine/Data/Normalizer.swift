import TendTensor

/// How features are rescaled before the model sees them. Fitted on the training split only.
public enum NormalizationKind: Codable, Sendable, Equatable, CustomStringConvertible {
    case none
    /// (x − mean) / std per feature (std 0 → 1).
    case standard
    /// (x − min) / (max − min) per feature (range 0 → 1).
    case minMax
    /// x / K for every feature (e.g. `scale:16` for digit pixels).
    case scale(Float)

    /// Parses `none`, `standard`, `minmax`, `scale:K`.
    public init?(parsing text: String) {
        let t = text.lowercased()
        switch t {
        case "none": self = .none
        case "standard", "zscore": self = .standard
        case "minmax", "min-max": self = .minMax
        default:
            guard t.hasPrefix("scale:"), let k = Float(t.dropFirst(6)), k != 0, k.isFinite else { return nil }
            self = .scale(k)
        }
    }

    public var description: String {
        switch self {
        case .none: return "none"
        case .standard: return "standard"
        case .minMax: return "minmax"
        case .scale(let k): return "scale:\(k)"
        }
    }
}

/// A fitted per-feature affine map `x' = (x − offset[j]) · factor[j]`. Stored with the model (checkpoint
/// metadata `normalizer`): its JSON carries `formula` (`Normalizer.formula`) beside `offset` and `factor`,
/// so a reader elsewhere knows how they combine; decoding refuses another formula and accepts its absence
/// (files written before it).
public struct Normalizer: Codable, Sendable, Equatable {
    public var kind: NormalizationKind
    public var offset: [Float]
    public var factor: [Float]

    /// How `offset` and `factor` combine, as written into the JSON.
    public static let formula = "x' = (x − offset) · factor"

    private enum CodingKeys: String, CodingKey { case kind, offset, factor, formula }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let f = try c.decodeIfPresent(String.self, forKey: .formula), f != Self.formula {
            throw DecodingError.dataCorruptedError(forKey: .formula, in: c,
                                                   debugDescription: "normalizer formula \"\(f)\" is not \"\(Self.formula)\"")
        }
        let offset = try c.decode([Float].self, forKey: .offset), factor = try c.decode([Float].self, forKey: .factor)
        guard offset.count == factor.count else {
            throw DecodingError.dataCorruptedError(forKey: .factor, in: c, debugDescription: "\(offset.count) offsets vs \(factor.count) factors")
        }
        self.init(kind: try c.decode(NormalizationKind.self, forKey: .kind), offset: offset, factor: factor)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(offset, forKey: .offset)
        try c.encode(factor, forKey: .factor)
        try c.encode(Self.formula, forKey: .formula)
    }

    public init(kind: NormalizationKind, offset: [Float], factor: [Float]) {
        precondition(offset.count == factor.count, "Normalizer: \(offset.count) offsets vs \(factor.count) factors")
        self.kind = kind; self.offset = offset; self.factor = factor
    }

    /// The identity for `features` columns.
    public static func identity(features: Int) -> Normalizer {
        Normalizer(kind: .none, offset: [Float](repeating: 0, count: features), factor: [Float](repeating: 1, count: features))
    }

    /// Fits `kind` on `x` ([rows, features]); statistics in Double.
    public static func fit(_ kind: NormalizationKind, on x: Tensor) -> Normalizer {
        let n = x.rows, d = x.cols
        switch kind {
        case .none: return .identity(features: d)
        case .scale(let k):
            return Normalizer(kind: kind, offset: [Float](repeating: 0, count: d), factor: [Float](repeating: 1 / k, count: d))
        case .standard:
            var mean = [Double](repeating: 0, count: d), sq = [Double](repeating: 0, count: d)
            for i in 0..<n { for j in 0..<d { mean[j] += Double(x.storage[i * d + j]) } }
            for j in 0..<d { mean[j] /= Double(max(n, 1)) }
            for i in 0..<n { for j in 0..<d { let v = Double(x.storage[i * d + j]) - mean[j]; sq[j] += v * v } }
            let factor = (0..<d).map { j -> Float in
                let std = (sq[j] / Double(max(n, 1))).squareRoot()
                return std > 1e-12 ? Float(1 / std) : 1
            }
            return Normalizer(kind: kind, offset: mean.map { Float($0) }, factor: factor)
        case .minMax:
            var lo = [Float](repeating: .infinity, count: d), hi = [Float](repeating: -.infinity, count: d)
            for i in 0..<n { for j in 0..<d { let v = x.storage[i * d + j]; lo[j] = min(lo[j], v); hi[j] = max(hi[j], v) } }
            if n == 0 { lo = [Float](repeating: 0, count: d); hi = lo }
            let factor = (0..<d).map { j -> Float in hi[j] - lo[j] > 0 ? 1 / (hi[j] - lo[j]) : 1 }
            return Normalizer(kind: kind, offset: lo, factor: factor)
        }
    }

    /// `x` rescaled ([rows, features] with features == offset.count).
    public func apply(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2 && x.cols == offset.count,
                     "Normalizer: data has \(x.rank == 2 ? x.cols : -1) features, normaliser was fitted on \(offset.count)")
        var out = x
        let d = offset.count
        out.storage.withUnsafeMutableBufferPointer { p in
            offset.withUnsafeBufferPointer { o in
                factor.withUnsafeBufferPointer { f in
                    var i = 0
                    while i < p.count {
                        for j in 0..<d { p[i + j] = (p[i + j] - o[j]) * f[j] }
                        i += d
                    }
                }
            }
        }
        return out
    }

    public func apply(_ data: Dataset) -> Dataset {
        var d = data
        d.features = apply(data.features)
        return d
    }
}
