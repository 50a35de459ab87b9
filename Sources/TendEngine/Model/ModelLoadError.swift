import TendTensor

/// Why `Model.load` refused a set of tensors.
public enum ModelLoadError: Error, Equatable, CustomStringConvertible {
    /// The model needs a tensor the set does not contain.
    case missingTensor(name: String)
    /// A tensor exists under the right name but with another shape.
    case shapeMismatch(name: String, expected: Shape, found: Shape)

    public var description: String {
        switch self {
        case .missingTensor(let name):
            "model tensor '\(name)' is missing from the checkpoint"
        case .shapeMismatch(let name, let expected, let found):
            "model tensor '\(name)' has shape \(found) in the checkpoint but the model expects \(expected) (different layout?)"
        }
    }
}
