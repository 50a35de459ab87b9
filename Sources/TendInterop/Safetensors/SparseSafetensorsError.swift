/// Why a sparse tensor in a Tend safetensors file could not be read; names the file and tensor.
public enum SparseSafetensorsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The `tend.sparse.<tensor>` metadata entry is not `{"scheme":…,"shape":[…]}`.
    case badDescription(path: String, tensor: String, value: String, reason: String)
    /// The components disagree with each other or with the described shape.
    case inconsistent(path: String, tensor: String, reason: String)

    public var description: String {
        switch self {
        case let .badDescription(path, tensor, value, reason):
            return "\(path): metadata \"\(SparseSafetensors.metadataPrefix)\(tensor)\" = \(value.prefix(120)): \(reason)"
        case let .inconsistent(path, tensor, reason):
            return "\(path): sparse tensor \"\(tensor)\": \(reason)"
        }
    }
}
