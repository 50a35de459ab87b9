/// TFRecord framing, the container of TensorBoard event files. Each record is
/// `uint64 length (LE) · uint32 masked CRC32C of those 8 bytes · data · uint32 masked CRC32C of data`.
public enum TFRecord {
    /// Framing bytes around the data: 8 + 4 before, 4 after.
    public static let overhead = 16

    /// What lies at an offset of a buffer.
    public enum Step: Equatable, Sendable {
        /// A whole, valid record: its data occupies `data`, the next record starts at `next`.
        case record(data: Range<Int>, next: Int)
        /// The buffer ends inside this record (a writer has not finished it): retry from the same offset later.
        case incomplete
        /// The length is valid but the data fails its CRC: skip to `next`.
        case badDataCRC(next: Int)
        /// The length bytes fail their CRC: nothing after this offset can be trusted.
        case badLengthCRC
    }

    /// Examines the record starting at `offset` of `buffer`.
    @inline(__always)
    public static func step(_ buffer: UnsafeRawBufferPointer, at offset: Int) -> Step {
        let available = buffer.count - offset
        guard available >= 12, let p = buffer.baseAddress else { return .incomplete }
        let length = p.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian
        let lengthCRC = p.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self).littleEndian
        guard CRC32C.masked(UnsafeRawBufferPointer(start: p + offset, count: 8)) == lengthCRC else { return .badLengthCRC }
        guard length <= UInt64(Int.max / 2), Int(length) <= available - overhead else { return .incomplete }
        let start = offset + 12
        let end = start + Int(length)
        let next = end + 4
        let dataCRC = p.loadUnaligned(fromByteOffset: end, as: UInt32.self).littleEndian
        guard CRC32C.masked(UnsafeRawBufferPointer(start: p + start, count: Int(length))) == dataCRC else {
            return .badDataCRC(next: next)
        }
        return .record(data: start..<end, next: next)
    }

    /// Appends the framed record holding `data` to `out`.
    public static func append(_ data: [UInt8], to out: inout [UInt8]) {
        var header = [UInt8](repeating: 0, count: 12)
        header.withUnsafeMutableBytes { h in
            h.storeBytes(of: UInt64(data.count).littleEndian, toByteOffset: 0, as: UInt64.self)
            let crc = CRC32C.masked(UnsafeRawBufferPointer(rebasing: h[0..<8]))
            h.storeBytes(of: crc.littleEndian, toByteOffset: 8, as: UInt32.self)
        }
        out.append(contentsOf: header)
        out.append(contentsOf: data)
        let crc = data.withUnsafeBytes { CRC32C.masked($0) }
        withUnsafeBytes(of: crc.littleEndian) { out.append(contentsOf: $0) }
    }

    /// The framed record holding `data`.
    public static func frame(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count + overhead)
        append(data, to: &out)
        return out
    }
}
