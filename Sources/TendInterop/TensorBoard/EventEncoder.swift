import Foundation
/// Encodes TensorBoard `Event` records (the inverse of `EventDecoder` for what Tend writes).
public enum EventEncoder {
    /// The first record of every event file: `file_version = "brain.Event:2"`.
    public static func fileVersion(wallTime: Double, version: String = "brain.Event:2") -> [UInt8] {
        var w = ProtoWriter()
        w.double(1, wallTime)
        w.string(3, version)
        return w.bytes
    }

    /// `SessionLog.status` values (tensorboard/compat/proto/event.proto).
    public enum SessionStatus: UInt64, Sendable { case start = 1, stop = 2, checkpoint = 3 }

    /// An event holding a `SessionLog` (field 6): status, checkpoint path, message.
    public static func sessionLog(wallTime: Double, step: Int64, status: SessionStatus, message: String, checkpointPath: String = "") -> [UInt8] {
        var w = ProtoWriter()
        w.double(1, wallTime)
        w.int64(2, step)
        w.message(6) { log in
            log.key(1, .varint); log.varint(status.rawValue)
            if !checkpointPath.isEmpty { log.string(2, checkpointPath) }
            if !message.isEmpty { log.string(3, message) }
        }
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
        limits.withUnsafeBufferPointer { lim in
            for f in values {
                let x = Double(f)
                guard x.isFinite else { continue }
                lo = Swift.min(lo, x); hi = Swift.max(hi, x); s += x; s2 += x * x; n += 1
                counts[Self.bucketIndex(x, limits: lim)] += 1
            }
        }
        min = n > 0 ? lo : 0; max = n > 0 ? hi : 0; count = n; sum = s; sumSquares = s2
        bucketLimits = []; bucketCounts = []
        for i in 0..<counts.count where counts[i] > 0 || (i + 1 < counts.count && counts[i + 1] > 0) {
            bucketLimits.append(limits[i]); bucketCounts.append(counts[i])
        }
    }

    /// Number of positive limits (1e-12·1.1^k below 1e20, then DBL_MAX); the default limits are these
    /// mirrored negative, then 0, then these.
    static let positiveCount = (defaultLimits.count - 1) / 2

    /// The bucket of finite `x` in `limits` (the default limits): the first limit >= x, as a binary search
    /// finds it. Computed from log₁.₁ and corrected by a step or two against the table, so the result is
    /// exact: ~10× faster than the search, which took 7% of a digits run writing weight histograms.
    @inline(__always)
    static func bucketIndex(_ x: Double, limits: UnsafeBufferPointer<Double>) -> Int {
        let p = positiveCount
        if x == 0 { return p }
        // First positive limit >= y, as an index into the positive half (0..<p).
        // First positive limit >= y, as an index j into the positive half: limits[p + 1 + j].
        @inline(__always) func firstPositive(atLeast y: Double) -> Int {
            let guess = (log(y / 1e-12) / log(1.1)).rounded(.up)
            var j = guess.isFinite ? Swift.max(0, Swift.min(p - 1, Int(guess))) : (guess > 0 ? p - 1 : 0)
            while j > 0 && limits[p + j] >= y { j -= 1 }   // the limit before is also >= y
            while limits[p + 1 + j] < y { j += 1 }          // ends at DBL_MAX at the latest
            return j
        }
        if x > 0 { return p + 1 + firstPositive(atLeast: x) }
        // x < 0: the first limit >= x is -(largest positive limit <= -x), or 0 when -x is below every limit.
        let y = -x
        let j = firstPositive(atLeast: y)
        let q = limits[p + 1 + j] == y ? j : j - 1   // largest positive index with limit <= y
        return q < 0 ? p : p - 1 - q
    }
}
