/// How many weights a magnitude-pruning candidate removes.
public enum PruningTarget: Codable, Sendable, Equatable, CustomStringConvertible {
    /// Every eligible weight with |w| < τ becomes 0 (τ ≥ 0, in weight units).
    case threshold(Float)
    /// The ⌊s·n⌋ smallest-magnitude eligible weights become 0 (s in 0...1). Ties in |w| are broken
    /// by index: lower index first, where the index runs over the eligible parameters in model order
    /// (fc1.weight, fc1.bias, …) and row-major inside each, restricted to the scope's group.
    case sparsity(Double)

    public var description: String {
        switch self {
        case .threshold(let t): return "threshold \(t)"
        case .sparsity(let s): return "sparsity \(s)"
        }
    }
}

/// Whether the selection ranks all eligible weights together or each parameter tensor on its own.
public enum PruningScope: String, Codable, Sendable, Equatable, CaseIterable {
    /// One ranking over every eligible weight of the model (one threshold for all layers).
    case global
    /// Each eligible tensor is pruned to the target on its own (same sparsity in every layer).
    case layer
}

/// A magnitude-pruning candidate: target, scope and which tensors are eligible.
/// Eligible are the weight matrices (`ParameterRole.weight`); biases and LayerNorm gain/shift only
/// with `includeBiases`; embeddings never.
public struct PruningSpec: Codable, Sendable, Equatable {
    public var target: PruningTarget
    public var scope: PruningScope
    /// Also prune biases and LayerNorm parameters.
    public var includeBiases: Bool

    public init(target: PruningTarget, scope: PruningScope = .global, includeBiases: Bool = false) {
        self.target = target; self.scope = scope; self.includeBiases = includeBiases
    }

    public static func sparsity(_ s: Double, scope: PruningScope = .global, includeBiases: Bool = false) -> PruningSpec {
        PruningSpec(target: .sparsity(s), scope: scope, includeBiases: includeBiases)
    }
    public static func threshold(_ t: Float, scope: PruningScope = .global, includeBiases: Bool = false) -> PruningSpec {
        PruningSpec(target: .threshold(t), scope: scope, includeBiases: includeBiases)
    }

    /// Whether `parameter` is pruned under this spec.
    public func isEligible(_ parameter: Parameter) -> Bool {
        switch parameter.role {
        case .weight: true
        case .bias, .norm: includeBiases
        case .embedding: false
        }
    }

    /// A description of what is wrong with the spec, or nil when it is valid.
    public var validationError: String? {
        switch target {
        case .threshold(let t) where !(t >= 0 && t.isFinite): return "pruning threshold must be a finite number ≥ 0, got \(t)"
        case .sparsity(let s) where !(s >= 0 && s <= 1): return "pruning sparsity must lie in 0...1, got \(s)"
        default: return nil
        }
    }
}
