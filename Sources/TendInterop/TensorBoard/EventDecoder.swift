/// Decodes TensorBoard `Event` protos by hand (field numbers of tensorboard/compat/proto event.proto,
/// summary.proto, histogram.proto, tensor.proto, tensor_shape.proto). Reads scalars in all three
/// encodings (simple_value; tensor float_val/double_val/half_val; tensor_content of DT_FLOAT, DT_DOUBLE,
/// DT_HALF, DT_BFLOAT16), histograms (HistogramProto and `[k, 3]` tensors) and text; anything else
/// becomes `.skipped`. Unknown fields are skipped, so newer writers still read.
public enum EventDecoder {
    /// TensorFlow `DataType` numbers used here.
    enum DType {
        static let float: UInt64 = 1, double: UInt64 = 2, int32: UInt64 = 3, string: UInt64 = 7
        static let int64: UInt64 = 9, bfloat16: UInt64 = 14, half: UInt64 = 19
    }

    /// Decodes one record's data. `pluginOf(tag)` supplies the plugin remembered for a tag whose value
    /// carries no metadata (writers attach it to a tag's first value only).
    public static func decode(_ record: UnsafeRawBufferPointer,
                              pluginOf: (String) -> String? = { _ in nil }) throws(ProtoDecodeError) -> TensorBoardEvent {
        let r: Result<TensorBoardEvent, ProtoDecodeError> = withoutActuallyEscaping(pluginOf) { lookup in
            var v = EventBuilder(pluginOf: lookup)
            do throws(ProtoDecodeError) { try visit(record, &v) } catch { return .failure(error) }
            return .success(v.event)
        }
        return try r.get()
    }

    public static func decode(_ record: [UInt8], pluginOf: (String) -> String? = { _ in nil }) throws(ProtoDecodeError) -> TensorBoardEvent {
        let r: Result<TensorBoardEvent, ProtoDecodeError> = record.withUnsafeBytes { b in
            do throws(ProtoDecodeError) { return .success(try decode(b, pluginOf: pluginOf)) } catch { return .failure(error) }
        }
        return try r.get()
    }

    /// Collects a whole event (the convenience path).
    struct EventBuilder: EventVisitor {
        let pluginOf: (String) -> String?
        var event = TensorBoardEvent(wallTime: 0, step: 0)
        var tag = ""
        var plugin: String?
        mutating func header(wallTime: Double, step: Int64, fileVersion: String?) {
            event.wallTime = wallTime; event.step = step; event.fileVersion = fileVersion
        }
        mutating func beginValue(tag raw: UnsafeRawBufferPointer, plugin p: String?) -> String? {
            tag = String(decoding: raw, as: UTF8.self)
            plugin = p
            return p ?? pluginOf(tag)
        }
        mutating func value(_ content: SummaryValue.Content) {
            event.values.append(SummaryValue(tag: tag, plugin: plugin, content: content))
        }
    }

    /// Streaming form: `header` once, after the event's fields are read, then for each summary value
    /// `beginValue` (raw tag bytes and the value's own plugin; returns the plugin to interpret a tensor
    /// with) followed by `value`. Allocates nothing for simple scalars.
    @inline(__always)
    static func visit<V: EventVisitor>(_ record: UnsafeRawBufferPointer, _ visitor: inout V) throws(ProtoDecodeError) {
        var r = ProtoReader(record)
        var wall = 0.0
        var step: Int64 = 0
        var version: String?
        var summary: ProtoReader?
        while let (field, wire) = try r.nextField() {
            switch (field, wire) {
            case (1, .fixed64): wall = try r.double()
            case (2, .varint): step = Int64(bitPattern: try r.varint())
            case (3, .lengthDelimited): version = try r.string()
            case (5, .lengthDelimited): summary = try r.message()
            default: try r.skip(wire)
            }
        }
        visitor.header(wallTime: wall, step: step, fileVersion: version)
        guard var s = summary else { return }
        while let (field, wire) = try s.nextField() {
            if field == 1 && wire == .lengthDelimited {
                var v = try s.message()
                try decodeValue(&v, &visitor)
            } else {
                try s.skip(wire)
            }
        }
    }

    @inline(__always)
    static func decodeValue<V: EventVisitor>(_ r: inout ProtoReader, _ visitor: inout V) throws(ProtoDecodeError) {
        var tag = UnsafeRawBufferPointer(start: nil, count: 0)
        var plugin: String?
        var simple: Float?
        var histo: ProtoReader?
        var tensor: ProtoReader?
        var other: String?
        while let (field, wire) = try r.nextField() {
            switch (field, wire) {
            case (1, .lengthDelimited): tag = try r.bytes()
            case (2, .fixed32): simple = try r.float()
            case (3, _): try r.skip(wire); other = "old-style histogram"
            case (4, _): try r.skip(wire); other = "image"
            case (5, .lengthDelimited): histo = try r.message()
            case (6, _): try r.skip(wire); other = "audio"
            case (8, .lengthDelimited): tensor = try r.message()
            case (9, .lengthDelimited):
                var meta = try r.message()
                plugin = try pluginName(&meta)
            default: try r.skip(wire)
            }
        }
        let kind = visitor.beginValue(tag: tag, plugin: plugin)
        if let simple { visitor.value(.scalar(Double(simple))); return }
        if var histo { visitor.value(.histogram(try histogramProto(&histo))); return }
        if var tensor { visitor.value(try tensorContent(&tensor, plugin: kind)); return }
        visitor.value(.skipped(kind: other ?? plugin ?? "empty value"))
    }

    /// `SummaryMetadata.plugin_data.plugin_name`.
    static func pluginName(_ meta: inout ProtoReader) throws(ProtoDecodeError) -> String? {
        var name: String?
        while let (field, wire) = try meta.nextField() {
            if field == 1 && wire == .lengthDelimited {
                var pd = try meta.message()
                while let (f, w) = try pd.nextField() {
                    if f == 1 && w == .lengthDelimited { name = try pd.string() } else { try pd.skip(w) }
                }
            } else {
                try meta.skip(wire)
            }
        }
        return name
    }

    static func histogramProto(_ r: inout ProtoReader) throws(ProtoDecodeError) -> TensorBoardHistogram {
        var minV = 0.0, maxV = 0.0, sum: Double?, sumSq: Double?
        var limits: [Double] = [], counts: [Double] = []
        while let (field, wire) = try r.nextField() {
            switch (field, wire) {
            case (1, .fixed64): minV = try r.double()
            case (2, .fixed64): maxV = try r.double()
            case (3, .fixed64): _ = try r.double()
            case (4, .fixed64): sum = try r.double()
            case (5, .fixed64): sumSq = try r.double()
            case (6, _): try r.repeatedDoubles(wire, into: &limits)
            case (7, _): try r.repeatedDoubles(wire, into: &counts)
            default: try r.skip(wire)
            }
        }
        guard limits.count == counts.count else {
            throw r.error("histogram has \(limits.count) bucket limits but \(counts.count) counts")
        }
        var buckets: [TensorBoardHistogram.Bucket] = []
        buckets.reserveCapacity(counts.count)
        for i in 0..<counts.count {
            let left = i == 0 ? minV : limits[i - 1]
            let right = i == counts.count - 1 ? maxV : limits[i]
            buckets.append(.init(left: left, right: right, count: counts[i]))
        }
        return TensorBoardHistogram(buckets: buckets, sum: sum, sumSquares: sumSq)
    }

    /// The fields of a TensorProto that Tend reads, pointing into the record (no copies).
    struct TensorFields {
        var dtype: UInt64 = 0
        var dims: [Int64] = []
        var content: UnsafeRawBufferPointer?
        var packedFloats: UnsafeRawBufferPointer?
        var packedDoubles: UnsafeRawBufferPointer?
        var list: [Double] = []
        var strings: [String] = []

        var elementCount: Int { dims.reduce(1) { $0 * Int(max($1, 0)) } }

        /// Number of numeric values present (from whichever representation is set).
        var available: Int {
            if let content {
                switch dtype {
                case DType.float, DType.int32: return content.count / 4
                case DType.double, DType.int64: return content.count / 8
                case DType.half, DType.bfloat16: return content.count / 2
                default: return 0
                }
            }
            if let packedFloats { return packedFloats.count / 4 }
            if let packedDoubles { return packedDoubles.count / 8 }
            return list.count
        }

        @inline(__always)
        func number(_ i: Int) -> Double {
            if let c = content {
                switch dtype {
                case DType.float: return Double(Float(bitPattern: c.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian))
                case DType.double: return Double(bitPattern: c.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self).littleEndian)
                case DType.half: return Double(ElementConversion.halfToFloat(c.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian))
                case DType.bfloat16: return Double(ElementConversion.bfloat16ToFloat(c.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian))
                case DType.int32: return Double(Int32(bitPattern: c.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian))
                case DType.int64: return Double(Int64(bitPattern: c.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self).littleEndian))
                default: return .nan
                }
            }
            if let p = packedFloats { return Double(Float(bitPattern: p.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian)) }
            if let p = packedDoubles { return Double(bitPattern: p.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self).littleEndian) }
            return list[i]
        }
    }

    static func tensorFields(_ r: inout ProtoReader) throws(ProtoDecodeError) -> TensorFields {
        var t = TensorFields()
        var halfBits: [UInt64] = []
        var ints: [UInt64] = []
        while let (field, wire) = try r.nextField() {
            switch (field, wire) {
            case (1, .varint): t.dtype = try r.varint()
            case (2, .lengthDelimited):
                var shape = try r.message()
                while let (f, w) = try shape.nextField() {
                    guard f == 2 && w == .lengthDelimited else { try shape.skip(w); continue }
                    var dim = try shape.message()
                    var size: Int64 = 0
                    while let (df, dw) = try dim.nextField() {
                        if df == 1 && dw == .varint { size = Int64(bitPattern: try dim.varint()) } else { try dim.skip(dw) }
                    }
                    t.dims.append(size)
                }
            case (4, .lengthDelimited): t.content = try r.bytes()
            case (5, .lengthDelimited) where t.list.isEmpty && t.packedFloats == nil: t.packedFloats = try r.bytes()
            case (5, _): try r.repeatedFloats(wire, into: &t.list)
            case (6, .lengthDelimited) where t.list.isEmpty && t.packedDoubles == nil: t.packedDoubles = try r.bytes()
            case (6, _): try r.repeatedDoubles(wire, into: &t.list)
            case (7, _), (10, _): try r.repeatedVarints(wire, into: &ints)
            case (8, .lengthDelimited): t.strings.append(try r.string())
            case (13, _): try r.repeatedVarints(wire, into: &halfBits)
            default: try r.skip(wire)
            }
        }
        if t.content != nil { return t }
        if !halfBits.isEmpty {
            let convert: (UInt16) -> Float = t.dtype == DType.bfloat16 ? ElementConversion.bfloat16ToFloat : ElementConversion.halfToFloat
            t.list = halfBits.map { Double(convert(UInt16(truncatingIfNeeded: $0))) }
        } else if !ints.isEmpty && t.packedFloats == nil && t.packedDoubles == nil && t.list.isEmpty {
            t.list = ints.map { Double(Int64(bitPattern: t.dtype == DType.int32 ? UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: $0))) : $0)) }
        }
        return t
    }

    /// Interprets a tensor by its plugin: scalars, histograms (`[k, 3]`), text; others skipped.
    static func tensorContent(_ r: inout ProtoReader, plugin: String?) throws(ProtoDecodeError) -> SummaryValue.Content {
        let start = r.pos
        let t = try tensorFields(&r)
        if plugin == "scalars" {
            guard t.available >= 1 else {
                throw ProtoDecodeError(offset: r.origin + start, reason: "scalar tensor (dtype \(t.dtype)) holds no value")
            }
            return .scalar(t.number(0))
        }
        if plugin == nil && t.dtype != DType.string {
            // No plugin known: a one-element numeric tensor is a scalar; anything else is not read.
            guard t.available >= 1, t.elementCount == 1 else { return .skipped(kind: "tensor") }
            return .scalar(t.number(0))
        }
        switch plugin {
        case "histograms":
            let n = t.available
            guard n % 3 == 0 else {
                throw ProtoDecodeError(offset: r.origin + start, reason: "histogram tensor holds \(n) numbers, not rows of 3")
            }
            var buckets: [TensorBoardHistogram.Bucket] = []
            buckets.reserveCapacity(n / 3)
            for k in 0..<(n / 3) {
                buckets.append(.init(left: t.number(3 * k), right: t.number(3 * k + 1), count: t.number(3 * k + 2)))
            }
            return .histogram(TensorBoardHistogram(buckets: buckets))
        case "text", nil:
            return .text(t.strings)
        case let other?:
            return .skipped(kind: other)
        }
    }
}

/// Receives the parts of an event as `EventDecoder.visit` decodes them (generic, so calls are static).
protocol EventVisitor {
    mutating func header(wallTime: Double, step: Int64, fileVersion: String?)
    /// A summary value begins: its raw tag bytes and the plugin named in its own metadata (nil if none).
    /// Returns the plugin its tensor (if any) should be interpreted with.
    mutating func beginValue(tag: UnsafeRawBufferPointer, plugin: String?) -> String?
    mutating func value(_ content: SummaryValue.Content)
}
