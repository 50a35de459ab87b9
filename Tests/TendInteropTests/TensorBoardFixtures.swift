import Foundation
@testable import TendInterop

/// An independent, minimal protobuf encoder used to build event files the way other writers
/// (TensorFlow, PyTorch, tensorboardX) lay them out, straight from the published .proto field numbers.
struct PB {
    var b: [UInt8] = []
    mutating func varint(_ v: UInt64) { var v = v; while v >= 0x80 { b.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }; b.append(UInt8(v)) }
    mutating func tag(_ f: UInt64, _ w: UInt64) { varint(f << 3 | w) }
    mutating func f64(_ f: UInt64, _ v: Double) { tag(f, 1); b += withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }
    mutating func f32(_ f: UInt64, _ v: Float) { tag(f, 5); b += withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }
    mutating func int(_ f: UInt64, _ v: Int64) { tag(f, 0); varint(UInt64(bitPattern: v)) }
    mutating func bytes(_ f: UInt64, _ v: [UInt8]) { tag(f, 2); varint(UInt64(v.count)); b += v }
    mutating func str(_ f: UInt64, _ s: String) { bytes(f, Array(s.utf8)) }
    mutating func msg(_ f: UInt64, _ build: (inout PB) -> Void) { var m = PB(); build(&m); bytes(f, m.b) }
}

enum Fixture {
    static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian, Array.init) }

    /// Frames `data` as a TFRecord with a bitwise (table-free) CRC-32C, independent of the code under test.
    static func frame(_ data: [UInt8]) -> [UInt8] {
        let len = le(UInt64(data.count))
        return len + le(maskedBitwiseCRC(len)) + data + le(maskedBitwiseCRC(data))
    }

    static func bitwiseCRC(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    static func maskedBitwiseCRC(_ bytes: [UInt8]) -> UInt32 {
        let c = bitwiseCRC(bytes)
        return ((c >> 15) | (c << 17)) &+ 0xA282_EAD8
    }

    static func event(wall: Double, step: Int64, _ values: [(inout PB) -> Void]) -> [UInt8] {
        var e = PB()
        e.f64(1, wall)
        e.int(2, step)
        e.msg(5) { s in for v in values { s.msg(1, v) } }
        return e.b
    }

    static func versionEvent(_ wall: Double) -> [UInt8] { var e = PB(); e.f64(1, wall); e.str(3, "brain.Event:2"); return e.b }

    static func plugin(_ name: String) -> (inout PB) -> Void { { v in v.msg(9) { m in m.msg(1) { pd in pd.str(1, name) } } } }

    /// A TF2-style scalar: tensor DT_FLOAT, shape [], tensor_content of 4 bytes, plugin "scalars" metadata.
    static func tensorContentScalar(_ tag: String, _ x: Float, withMetadata: Bool = true) -> (inout PB) -> Void {
        { v in
            v.str(1, tag)
            if withMetadata { plugin("scalars")(&v) }
            v.msg(8) { t in t.int(1, 1); t.msg(2) { _ in }; t.bytes(4, le(x.bitPattern)) }
        }
    }

    /// A scalar as tensor DT_DOUBLE with double_val (packed), no metadata.
    static func doubleValScalar(_ tag: String, _ x: Double) -> (inout PB) -> Void {
        { v in v.str(1, tag); v.msg(8) { t in t.int(1, 2); t.msg(2) { _ in }; t.bytes(6, le(x.bitPattern)) } }
    }

    /// A DT_HALF scalar in tensor_content.
    static func halfContentScalar(_ tag: String, bits: UInt16) -> (inout PB) -> Void {
        { v in v.str(1, tag); plugin("scalars")(&v); v.msg(8) { t in t.int(1, 19); t.bytes(4, le(bits)) } }
    }

    static func simpleScalar(_ tag: String, _ x: Float) -> (inout PB) -> Void { { v in v.str(1, tag); v.f32(2, x) } }

    /// A TF2 histogram: [k, 3] DT_DOUBLE tensor_content, plugin "histograms".
    static func histogramTensor(_ tag: String, rows: [(Double, Double, Double)]) -> (inout PB) -> Void {
        { v in
            v.str(1, tag); plugin("histograms")(&v)
            v.msg(8) { t in
                t.int(1, 2)
                t.msg(2) { s in s.msg(2) { d in d.int(1, Int64(rows.count)) }; s.msg(2) { d in d.int(1, 3) } }
                var content: [UInt8] = []
                for r in rows { content += le(r.0.bitPattern) + le(r.1.bitPattern) + le(r.2.bitPattern) }
                t.bytes(4, content)
            }
        }
    }

    /// A TF1 HistogramProto.
    static func histogramProto(_ tag: String, min: Double, max: Double, limits: [Double], counts: [Double]) -> (inout PB) -> Void {
        { v in
            v.str(1, tag)
            v.msg(5) { h in
                h.f64(1, min); h.f64(2, max); h.f64(3, counts.reduce(0, +)); h.f64(4, 0); h.f64(5, 0)
                h.bytes(6, limits.flatMap { le($0.bitPattern) }); h.bytes(7, counts.flatMap { le($0.bitPattern) })
            }
        }
    }

    /// A TF1 image summary (Summary.Image) — must be skipped.
    static func image(_ tag: String) -> (inout PB) -> Void {
        { v in v.str(1, tag); v.msg(4) { i in i.int(1, 2); i.int(2, 2); i.int(3, 3); i.bytes(4, [0x89, 0x50, 0x4E, 0x47]) } }
    }

    /// A TF2 image summary: string tensor with plugin "images" — must be skipped.
    static func imageTensor(_ tag: String) -> (inout PB) -> Void {
        { v in v.str(1, tag); plugin("images")(&v); v.msg(8) { t in t.int(1, 7); t.bytes(8, Array("2".utf8)); t.bytes(8, Array("2".utf8)); t.bytes(8, [0x89, 0x50]) } }
    }
}
