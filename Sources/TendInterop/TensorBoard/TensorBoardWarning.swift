/// Something wrong in an event file that did not stop the others from loading: a record skipped
/// (bad data CRC, undecodable protobuf) or a file abandoned (bad length CRC). `offset` is the byte
/// offset of the record in `path`.
public struct TensorBoardWarning: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable { case badDataCRC, badLengthCRC, badProtobuf, unreadable, shrank }
    public var path: String
    public var offset: Int
    public var kind: Kind
    public var message: String

    public init(path: String, offset: Int, kind: Kind, message: String) {
        self.path = path; self.offset = offset; self.kind = kind; self.message = message
    }

    public var description: String { "\(path): byte \(offset): \(message)" }
}
