/// Encodes TensorBoard `Event` records (the inverse of `EventDecoder` for what Tend writes).
public enum EventEncoder {
    /// The first record of every event file: `file_version = "brain.Event:2"`.
    public static func fileVersion(wallTime: Double, version: String = "brain.Event:2") -> [UInt8] {
        var w = ProtoWriter()
        w.double(1, wallTime)
        w.string(3, version)
        return w.bytes
    }

    /// An event with one summary holding `values` (tag, content); scalars as `simple_value`,
    /// histograms as `HistogramProto`, text as a DT_STRING tensor with plugin "text".
    public static func summary(wallTime: Double, step: Int64, values: [(String, EncodedValue)]) -> [UInt8] {
        var w = ProtoWriter()
        w.double(1, wallTime)
        w.int64(2, step)
        w.message(5) { s in
            for (tag, v) in values {
                s.message(1) { val in
                    val.string(1, tag)
                    switch v {
                    case .scalar(let x):
                        val.float(2, x)
                    case .histogram(let h):
                        val.message(5) { hp in
                            hp.double(1, h.min); hp.double(2, h.max); hp.double(3, h.count)
                            hp.double(4, h.sum); hp.double(5, h.sumSquares)
                            hp.packedDoubles(6, h.bucketLimits); hp.packedDoubles(7, h.bucketCounts)
                        }
                    case .text(let text):
                        val.message(9) { meta in meta.message(1) { pd in pd.string(1, "text") } }
                        val.message(8) { t in
                            t.key(1, .varint); t.varint(EventDecoder.DType.string)
                            t.message(2) { shape in shape.message(2) { dim in dim.int64(1, 1) } }
                            t.string(8, text)
                        }
                    }
                }
            }
        }
        return w.bytes
    }

    /// A summary value as Tend writes it.
    public enum EncodedValue: Sendable {
        case scalar(Float)
        case histogram(HistogramProtoValue)
        case text(String)
    }
}

/// The fields of a `HistogramProto`: bucket `i` counts values in `(bucketLimits[i-1], bucketLimits[i]]`
/// (the first from -∞). Build one with `init(values:)`.
public struct HistogramProtoValue: Sendable, Equatable {
    public var min: Double, max: Double, count: Double, sum: Double, sumSquares: Double
    public var bucketLimits: [Double]
    public var bucketCounts: [Double]

    /// TensorFlow's default bucket limits (core/lib/histogram): 1e-12·1.1^k below 1e20 then DBL_MAX,
    /// mirrored negative, with 0 between: 1,551 ascending limits from -DBL_MAX to DBL_MAX.
    public static let defaultLimits: [Double] = {
        var pos: [Double] = []
        var v = 1e-12
        while v < 1e20 { pos.append(v); v *= 1.1 }
        pos.append(Double.greatestFiniteMagnitude)
        return pos.reversed().map { -$0 } + [0] + pos
    }()

    /// Histogram of `values` over the default limits. Runs of empty buckets are dropped except the one just
    /// before a non-empty bucket (which keeps that bucket's left edge), as TensorFlow's encoder does.
    public init<C: Collection>(values: C) where C.Element == Float {
        let limits = Self.defaultLimits
        var counts = [Double](repeating: 0, count: limits.count)
        var lo = Double.infinity, hi = -Double.infinity, s = 0.0, s2 = 0.0, n = 0.0
        for f in values {
            let x = Double(f)
            guard x.isFinite else { continue }
            lo = Swift.min(lo, x); hi = Swift.max(hi, x); s += x; s2 += x * x; n += 1
            // First limit >= x: bucket i holds (limit[i-1], limit[i]].
            var a = 0, b = limits.count - 1
            while a < b { let m = (a + b) / 2; if limits[m] < x { a = m + 1 } else { b = m } }
            counts[a] += 1
        }
        min = n > 0 ? lo : 0; max = n > 0 ? hi : 0; count = n; sum = s; sumSquares = s2
        bucketLimits = []; bucketCounts = []
        for i in 0..<counts.count where counts[i] > 0 || (i + 1 < counts.count && counts[i + 1] > 0) {
            bucketLimits.append(limits[i]); bucketCounts.append(counts[i])
        }
    }
}
