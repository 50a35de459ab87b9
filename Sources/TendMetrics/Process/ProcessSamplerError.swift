/// Why `/proc` could not be read or understood. `path` names the file; lines and columns are 1-based.
public enum ProcessSamplerError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, errno: Int32)
    case missingField(path: String, field: String)
    case malformedField(path: String, field: String, line: Int, column: Int, text: String)

    public var description: String {
        switch self {
        case let .unreadable(path, errno):
            return "\(path): cannot read (errno \(errno)); process metrics need Linux /proc"
        case let .missingField(path, field):
            return "\(path): field '\(field)' not found; unexpected /proc format"
        case let .malformedField(path, field, line, column, text):
            return "\(path):\(line):\(column): field '\(field)' has unexpected value '\(text)'"
        }
    }
}
