/// Why a safetensors file could not be read or written. Every case names the file, and the
/// tensor or byte offset (absolute, from the start of the file) where that applies.
public enum SafetensorsError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    /// The file ends before the bytes its header promises.
    case truncated(path: String, expectedBytes: Int, actualBytes: Int)
    /// The file ends inside the data of `tensor` (the first tensor cut short), in a layout that is otherwise whole.
    case truncatedTensor(path: String, tensor: String, expectedBytes: Int, actualBytes: Int)
    /// The 8-byte header length exceeds the reader's sanity limit.
    case headerTooLarge(path: String, declared: UInt64, limit: Int)
    /// The 8-byte header length points past the end of the file.
    case headerBeyondFile(path: String, declared: UInt64, fileSize: Int)
    /// The header is not valid JSON (or not an object); `byteOffset` is absolute in the file.
    case badJSON(path: String, byteOffset: Int, reason: String)
    /// A tensor entry lacks `dtype`/`shape`/`data_offsets` or has values of the wrong kind.
    case invalidTensorEntry(path: String, tensor: String, reason: String)
    case unknownDType(path: String, tensor: String, dtype: String)
    /// `shape` × element size disagrees with the length of `data_offsets`.
    case byteCountMismatch(path: String, tensor: String, dtype: SafetensorsDType, shape: [Int], expected: Int, actual: Int)
    /// `data_offsets` reach past the data section (`dataStart` is its absolute file offset).
    case rangeOutsideData(path: String, tensor: String, range: Range<Int>, dataLength: Int, dataStart: Int)
    case overlappingRanges(path: String, first: String, firstRange: Range<Int>, second: String, secondRange: Range<Int>)
    /// `__metadata__` is not an object of strings.
    case metadataNotString(path: String, key: String, kind: String)
    case tensorNotFound(path: String, tensor: String, available: [String])
    /// Writer: an empty, reserved or repeated tensor name.
    case invalidName(path: String, tensor: String, reason: String)
    /// Writer: the write did not complete; any previous file at `path` is unchanged.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            return "\(path): cannot read safetensors file: \(reason)"
        case let .truncated(path, expected, actual):
            return "\(path): file is truncated: the header describes \(expected) bytes but the file has \(actual)"
        case let .truncatedTensor(path, tensor, expected, actual):
            return "\(path): file is truncated inside tensor \"\(tensor)\": the header describes \(expected) bytes but the file has \(actual) (download or copy it again)"
        case let .headerTooLarge(path, declared, limit):
            return "\(path): header length \(declared) bytes (first 8 bytes) exceeds the \(limit)-byte limit; not a safetensors file or corrupt"
        case let .headerBeyondFile(path, declared, size):
            return "\(path): header length \(declared) bytes (first 8 bytes) runs past the end of the \(size)-byte file; truncated or not a safetensors file"
        case let .badJSON(path, offset, reason):
            return "\(path): header JSON is invalid at byte \(offset): \(reason)"
        case let .invalidTensorEntry(path, tensor, reason):
            return "\(path): tensor \"\(tensor)\": \(reason)"
        case let .unknownDType(path, tensor, dtype):
            return "\(path): tensor \"\(tensor)\": unknown dtype \"\(dtype)\" (known: \(SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", ")))"
        case let .byteCountMismatch(path, tensor, dtype, shape, expected, actual):
            return "\(path): tensor \"\(tensor)\": shape \(shape) of \(dtype.rawValue) needs \(expected) bytes but data_offsets span \(actual)"
        case let .rangeOutsideData(path, tensor, range, length, start):
            return "\(path): tensor \"\(tensor)\": data_offsets [\(range.lowerBound), \(range.upperBound)) (file bytes \(start + range.lowerBound)..<\(start + range.upperBound)) lie outside the \(length)-byte data section"
        case let .overlappingRanges(path, a, ra, b, rb):
            return "\(path): tensors \"\(a)\" [\(ra.lowerBound), \(ra.upperBound)) and \"\(b)\" [\(rb.lowerBound), \(rb.upperBound)) overlap"
        case let .metadataNotString(path, key, kind):
            return "\(path): __metadata__ value for \"\(key)\" is a \(kind); the format allows strings only"
        case let .tensorNotFound(path, tensor, available):
            let shown = available.prefix(20).joined(separator: ", ") + (available.count > 20 ? ", … (\(available.count) in all)" : "")
            return "\(path): no tensor named \"\(tensor)\"; tensors are: \(shown)"
        case let .invalidName(path, tensor, reason):
            return "\(path): tensor name \"\(tensor)\": \(reason)"
        case let .writeFailed(path, reason):
            return "\(path): write failed, previous file left unchanged: \(reason)"
        }
    }
}
