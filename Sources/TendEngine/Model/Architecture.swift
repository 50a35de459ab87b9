import Foundation

/// What a model family needs to build a model: the payload of one `Architecture` case.
public protocol ArchitectureSpec: Codable, Sendable, Equatable {
    /// The tag stored in checkpoints (`"mlp"`).
    static var family: String { get }
    /// A fresh model with weights drawn from `seed`; throws `ArchitectureError` when the spec is invalid.
    func makeModel(seed: UInt64) throws -> any Model
    /// Width of the logits.
    var outputs: Int { get }
    /// One line for humans, e.g. `64-128-10 relu`.
    var summary: String { get }
    /// The widths reports list (a perceptron's sizes, inputs to outputs).
    var widths: [Int] { get }
    /// Numeric features per row the model takes; nil for a model of token inputs.
    var featureCount: Int? { get }
}

/// The architecture of a model, one case per family: a tagged record stored in checkpoint metadata as
/// `{"family": "mlp", "mlp": {…}}` or `{"family": "bert", "bert": {…}}`. A bare `MLPLayout` (format-1
/// checkpoints) decodes as `.mlp`.
/// A new family adds a case and its `ArchitectureSpec` type (in the family's own files).
public enum Architecture: Codable, Sendable, Equatable {
    case mlp(MLPLayout)
    /// A BERT-family sentence encoder (config + pooling); its logits are the pooled embeddings.
    case bert(BertArchitecture)

    /// The tags `init(from:)` reads.
    public static let families = [MLPLayout.family, BertArchitecture.family]

    /// The family's payload.
    public var spec: any ArchitectureSpec {
        switch self {
        case .mlp(let layout): layout
        case .bert(let bert): bert
        }
    }

    public var family: String { type(of: spec).family }
    public var outputs: Int { spec.outputs }
    public var summary: String { spec.summary }
    public var widths: [Int] { spec.widths }
    public var featureCount: Int? { spec.featureCount }

    /// A fresh model of this architecture (weights from `seed`).
    public func makeModel(seed: UInt64) throws -> any Model { try spec.makeModel(seed: seed) }

    /// The `MLPLayout` of the mlp family, or nil for another family.
    public var mlpLayout: MLPLayout? {
        if case .mlp(let l) = self { return l }
        return nil
    }

    private enum CodingKeys: String, CodingKey { case family, mlp, bert }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let family = try c.decodeIfPresent(String.self, forKey: .family) else {
            self = .mlp(try MLPLayout(from: decoder))   // format 1: the layout itself
            return
        }
        switch family {
        case MLPLayout.family: self = .mlp(try c.decode(MLPLayout.self, forKey: .mlp))
        case BertArchitecture.family: self = .bert(try c.decode(BertArchitecture.self, forKey: .bert))
        default:
            throw DecodingError.dataCorruptedError(forKey: .family, in: c,
                debugDescription: "unknown model family \"\(family)\" (supported: \(Self.families.joined(separator: ", ")))")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(family, forKey: .family)
        switch self {
        case .mlp(let layout): try c.encode(layout, forKey: .mlp)
        case .bert(let bert): try c.encode(bert, forKey: .bert)
        }
    }

    /// Sorted-keys JSON, as stored under `Checkpoint.Key.arch`.
    public var json: String {
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        return String(decoding: (try? enc.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// Reads `Checkpoint.Key.arch` text: a tagged record (format 2) or a bare `MLPLayout` (format 1).
    public init(json text: String) throws {
        self = try JSONDecoder().decode(Architecture.self, from: Data(text.utf8))
    }
}

/// An architecture that cannot be built, with what is wrong in its own words.
public struct ArchitectureError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
