/// One row of the layers panel: a named block of a model and the parameters it owns.
/// `shape` is the shape of its first parameter (the weight matrix of a linear layer).
public struct LayerGroup: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case linear, norm, embedding, other
    }
    /// Block name, the prefix of its parameters (`fc1`, `ln1`, `encoder.layer.0.attention.self.query`).
    public var name: String
    public var kind: Kind
    public var shape: [Int]
    /// Scalars over all the block's parameters.
    public var parameterCount: Int
    /// Its parameters' full names in model order (`fc1.weight`, `fc1.bias`).
    public var parameterNames: [String]

    public init(name: String, kind: Kind, shape: [Int], parameterCount: Int, parameterNames: [String]) {
        self.name = name; self.kind = kind; self.shape = shape
        self.parameterCount = parameterCount; self.parameterNames = parameterNames
    }

    /// Groups `parameters` by name prefix (up to the last `.`), in order: consecutive parameters
    /// with the same prefix form one group. The kind comes from the first parameter's role.
    public static func grouping(_ parameters: [Parameter]) -> [LayerGroup] {
        var out: [LayerGroup] = []
        for p in parameters {
            let prefix = p.name.lastIndex(of: ".").map { String(p.name[..<$0]) } ?? p.name
            if let last = out.last, last.name == prefix {
                out[out.count - 1].parameterCount += p.count
                out[out.count - 1].parameterNames.append(p.name)
                continue
            }
            let kind: Kind = switch p.role {
            case .weight, .bias: .linear
            case .norm: .norm
            case .embedding: .embedding
            }
            out.append(LayerGroup(name: prefix, kind: kind, shape: p.value.shape.dims, parameterCount: p.count,
                                  parameterNames: [p.name]))
        }
        return out
    }
}
