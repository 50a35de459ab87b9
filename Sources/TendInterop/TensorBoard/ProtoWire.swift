/// Protocol-buffer wire types (the low 3 bits of a field key).
enum WireType: UInt8 {
    case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5
}

/// A malformed protobuf message; `offset` is relative to the start of the record's data.
public struct ProtoDecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    public var offset: Int
    public var reason: String
    public var description: String { "protobuf error at byte \(offset) of the record: \(reason)" }
}

/// A forward-only reader over one protobuf message in memory (no copies, no allocation).
/// Hand-written for the handful of TensorBoard messages Tend reads; unknown fields are skipped.
struct ProtoReader {
    let base: UnsafeRawPointer
    let end: Int
    /// Offset of the reader's first byte within the enclosing record (for error messages).
    let origin: Int
    var pos: Int

    init(_ bytes: UnsafeRawBufferPointer, origin: Int = 0) {
        // An empty buffer may have a nil base; any non-nil pointer works because nothing is read.
        base = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!
        end = bytes.count
        self.origin = origin
        pos = 0
    }

    var isAtEnd: Bool { pos >= end }

    func error(_ reason: String) -> ProtoDecodeError { ProtoDecodeError(offset: origin + pos, reason: reason) }

    @inline(__always)
    mutating func varint() throws(ProtoDecodeError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while pos < end {
            let b = base.load(fromByteOffset: pos, as: UInt8.self)
            pos += 1
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
            if shift >= 64 { throw error("varint longer than 10 bytes") }
        }
        throw error("message ends inside a varint")
    }

    /// The next field's number and wire type, or nil at the end of the message.
    @inline(__always)
    mutating func nextField() throws(ProtoDecodeError) -> (number: UInt64, wire: WireType)? {
        guard pos < end else { return nil }
        let key = try varint()
        guard let wire = WireType(rawValue: UInt8(key & 7)) else { throw error("unknown wire type \(key & 7)") }
        let number = key >> 3
        guard number > 0 else { throw error("field number 0") }
        return (number, wire)
    }

    @inline(__always)
    mutating func fixed64() throws(ProtoDecodeError) -> UInt64 {
        guard pos + 8 <= end else { throw error("message ends inside a fixed64") }
        defer { pos += 8 }
        return base.loadUnaligned(fromByteOffset: pos, as: UInt64.self).littleEndian
    }

    @inline(__always)
    mutating func fixed32() throws(ProtoDecodeError) -> UInt32 {
        guard pos + 4 <= end else { throw error("message ends inside a fixed32") }
        defer { pos += 4 }
        return base.loadUnaligned(fromByteOffset: pos, as: UInt32.self).littleEndian
    }

    mutating func double() throws(ProtoDecodeError) -> Double { Double(bitPattern: try fixed64()) }
    mutating func float() throws(ProtoDecodeError) -> Float { Float(bitPattern: try fixed32()) }

    /// A length-delimited field's bytes (valid as long as the record buffer is).
    @inline(__always)
    mutating func bytes() throws(ProtoDecodeError) -> UnsafeRawBufferPointer {
        let n = try varint()
        guard n <= UInt64(end - pos) else { throw error("length \(n) runs past the end of the message") }
        let r = UnsafeRawBufferPointer(start: base + pos, count: Int(n))
        pos += Int(n)
        return r
    }

    /// A nested message's reader (with offsets kept relative to the record).
    mutating func message() throws(ProtoDecodeError) -> ProtoReader {
        let start = pos
        let b = try bytes()
        var r = ProtoReader(b, origin: origin + start)
        r.pos = 0
        return r
    }

    mutating func string() throws(ProtoDecodeError) -> String {
        String(decoding: try bytes(), as: UTF8.self)
    }

    /// Skips the value of a field of wire type `wire`.
    mutating func skip(_ wire: WireType) throws(ProtoDecodeError) {
        switch wire {
        case .varint: _ = try varint()
        case .fixed64: guard pos + 8 <= end else { throw error("message ends inside a fixed64") }; pos += 8
        case .fixed32: guard pos + 4 <= end else { throw error("message ends inside a fixed32") }; pos += 4
        case .lengthDelimited: _ = try bytes()
        case .startGroup, .endGroup: throw error("groups are not supported")
        }
    }

    /// Repeated scalars: packed (one length-delimited run) or one element per field occurrence.
    mutating func repeatedDoubles(_ wire: WireType, into out: inout [Double]) throws(ProtoDecodeError) {
        switch wire {
        case .fixed64: out.append(try double())
        case .lengthDelimited:
            let b = try bytes()
            guard b.count % 8 == 0 else { throw error("packed doubles of \(b.count) bytes") }
            for i in 0..<(b.count / 8) { out.append(Double(bitPattern: b.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self).littleEndian)) }
        default: throw error("repeated double with wire type \(wire.rawValue)")
        }
    }

    mutating func repeatedFloats(_ wire: WireType, into out: inout [Double]) throws(ProtoDecodeError) {
        switch wire {
        case .fixed32: out.append(Double(try float()))
        case .lengthDelimited:
            let b = try bytes()
            guard b.count % 4 == 0 else { throw error("packed floats of \(b.count) bytes") }
            for i in 0..<(b.count / 4) { out.append(Double(Float(bitPattern: b.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self).littleEndian))) }
        default: throw error("repeated float with wire type \(wire.rawValue)")
        }
    }

    mutating func repeatedVarints(_ wire: WireType, into out: inout [UInt64]) throws(ProtoDecodeError) {
        switch wire {
        case .varint: out.append(try varint())
        case .lengthDelimited:
            var sub = try message()
            while !sub.isAtEnd { out.append(try sub.varint()) }
        default: throw error("repeated varint with wire type \(wire.rawValue)")
        }
    }
}

/// Appends protobuf wire encoding to a byte array.
struct ProtoWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }

    mutating func key(_ field: UInt64, _ wire: WireType) { varint(field << 3 | UInt64(wire.rawValue)) }

    mutating func double(_ field: UInt64, _ v: Double) {
        key(field, .fixed64)
        withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func float(_ field: UInt64, _ v: Float) {
        key(field, .fixed32)
        withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func int64(_ field: UInt64, _ v: Int64) { key(field, .varint); varint(UInt64(bitPattern: v)) }

    mutating func bytesField(_ field: UInt64, _ b: [UInt8]) {
        key(field, .lengthDelimited); varint(UInt64(b.count)); bytes.append(contentsOf: b)
    }

    mutating func string(_ field: UInt64, _ s: String) { bytesField(field, Array(s.utf8)) }

    mutating func message(_ field: UInt64, _ build: (inout ProtoWriter) -> Void) {
        var sub = ProtoWriter()
        build(&sub)
        bytesField(field, sub.bytes)
    }

    mutating func packedDoubles(_ field: UInt64, _ values: [Double]) {
        key(field, .lengthDelimited)
        varint(UInt64(values.count * 8))
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
    }
}
