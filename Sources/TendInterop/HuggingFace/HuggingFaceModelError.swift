/// Why a Hugging Face model directory could not be loaded. Every case names the file, and the tensor
/// or field where that applies.
public enum HuggingFaceModelError: Error, Equatable, Sendable, CustomStringConvertible {
    case notADirectory(path: String)
    case noConfig(directory: String)
    case unreadable(path: String, reason: String)
    case badJSON(path: String, reason: String)
    case unsupportedModelType(path: String, found: String, supported: [String])
    case missingField(path: String, field: String)
    case invalidConfig(path: String, reason: String)
    case noWeights(directory: String)
    case missingWeight(path: String, tensor: String)
    case wrongShape(path: String, tensor: String, expected: [Int], found: [Int])
    case unsupportedDType(path: String, tensor: String, dtype: String, supported: [String])
    case vocabularyMismatch(path: String, entries: Int, configPath: String, vocabularySize: Int)
    /// The safetensors file (or a shard) is truncated or corrupt; the underlying error names the file.
    case corruptWeights(SafetensorsError)
    case badPooling(path: String, reason: String)

    public var description: String {
        switch self {
        case let .notADirectory(path):
            return "\(path): not a directory; --model takes a Hugging Face model directory (config.json, model.safetensors, vocab.txt)"
        case let .noConfig(dir):
            return "\(dir): no config.json; a Hugging Face model directory has config.json beside model.safetensors (run make models, or huggingface-cli download MODEL --local-dir DIR)"
        case let .unreadable(path, reason): return "\(path): cannot read: \(reason)"
        case let .badJSON(path, reason): return "\(path): invalid JSON: \(reason)"
        case let .unsupportedModelType(path, found, supported):
            return "\(path): model_type \"\(found)\" is not supported; supported: \(supported.joined(separator: ", "))"
        case let .missingField(path, field): return "\(path): required field \"\(field)\" is missing or not a number"
        case let .invalidConfig(path, reason): return "\(path): \(reason)"
        case let .noWeights(dir): return "\(dir): no model.safetensors or model.safetensors.index.json (PyTorch .bin weights are not read; convert them to safetensors)"
        case let .missingWeight(path, tensor): return "\(path): weight \"\(tensor)\" is missing (also looked for \"bert.\(tensor)\")"
        case let .wrongShape(path, tensor, expected, found):
            return "\(path): weight \"\(tensor)\" has shape \(found), expected \(expected) from config.json"
        case let .unsupportedDType(path, tensor, dtype, supported):
            return "\(path): weight \"\(tensor)\" has dtype \(dtype); supported: \(supported.joined(separator: ", "))"
        case let .vocabularyMismatch(path, entries, configPath, size):
            return "\(path): \(entries) entries, but \(configPath) says vocab_size \(size)"
        case let .corruptWeights(error): return error.description
        case let .badPooling(path, reason): return "\(path): \(reason)"
        }
    }
}
