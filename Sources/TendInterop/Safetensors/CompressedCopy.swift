import Foundation

/// Writes a pruned and/or int8-quantized copy of a safetensors file (what `w` on `tend inspect` does).
/// Pruning sets every float weight with |w| < `threshold` (compared as Float, as the scan bins them) to +0 in
/// its own dtype. Quantization stores each float tensor of rank ≥ 2 as I8 codes of the same name and shape
/// (symmetric, one scale per channel of dimension 0, round to nearest even, levels −127...127) plus an F32
/// tensor `NAME.scale` of one scale per channel (w ≈ code × scale); rank ≤ 1 float tensors (biases, norms)
/// stay in their dtype. Integer and bool tensors are copied as they are. The write is atomic; tensors are
/// produced one at a time from the mapped input, so memory stays near one tensor's size.
public enum CompressedCopy {
    /// What was written.
    public struct Summary: Sendable, Equatable {
        public var path: String
        public var tensors: Int
        /// Float weights set to zero by pruning (excluding those already zero).
        public var zeroed: Int
        public var quantizedTensors: Int
        public var bytes: Int
    }

    public static func write(_ file: SafetensorsFile, threshold: Float?, quantizeInt8: Bool, to path: String) throws -> Summary {
        var entries: [SafetensorsEntry] = []
        let zeroed = ZeroCounter()
        var quantized = 0
        for info in file.tensorInfo {
            let isFloat = TensorStatsScanner.scans(info.dtype)
            let n = info.elementCount
            if !isFloat || (threshold == nil && (!quantizeInt8 || info.shape.count < 2)) {
                entries.append(SafetensorsEntry(name: info.name, dtype: info.dtype, shape: info.shape) { try file.bytes(info.name) })
                continue
            }
            let tau = threshold ?? 0
            if quantizeInt8 && info.shape.count >= 2 {
                quantized += 1
                let rows = Swift.max(1, info.shape[0]), rowLength = n / rows
                // The writer lays out the F32 scales before the I8 codes, so each entry derives what it needs.
                entries.append(SafetensorsEntry(name: info.name, dtype: .i8, shape: info.shape) {
                    let values = try prunedFloats(file, info, tau: tau, zeroed: zeroed)
                    let s = rowScales(values, rows: rows, rowLength: rowLength)
                    var codes = [UInt8](repeating: 0, count: n)
                    for r in 0..<rows where s[r] > 0 {
                        for k in 0..<rowLength where values[r * rowLength + k].isFinite {
                            let q = Swift.min(Swift.max(values[r * rowLength + k] / s[r], -127), 127).rounded(.toNearestOrEven)
                            codes[r * rowLength + k] = UInt8(bitPattern: Int8(q))
                        }
                    }
                    return codes
                })
                entries.append(SafetensorsEntry(name: info.name + ".scale", dtype: .f32, shape: [rows]) {
                    let values = try prunedFloats(file, info, tau: tau, zeroed: ZeroCounter())
                    return rowScales(values, rows: rows, rowLength: rowLength).flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
                })
                continue
            }
            entries.append(SafetensorsEntry(name: info.name, dtype: info.dtype, shape: info.shape) {
                let values = try file.floatTensor(info.name).storage
                var out = try file.bytes(info.name)
                let size = info.dtype.byteSize
                var count = 0
                for i in 0..<n where abs(values[i]) < tau && values[i].bitPattern != 0 {
                    for b in 0..<size { out[i * size + b] = 0 }
                    if values[i] != 0 { count += 1 }
                }
                zeroed.add(count)
                return out
            })
        }
        var metadata = file.metadata
        metadata["tend.source"] = (file.path as NSString).lastPathComponent
        if let threshold { metadata["tend.pruned_below"] = String(threshold) }
        if quantizeInt8 {
            metadata["tend.quantization"] = "int8 symmetric per channel (dim 0) for float tensors of rank >= 2; NAME.scale holds F32 scales, w = code * scale"
        }
        try SafetensorsWriter.write(entries: entries, metadata: metadata, to: path)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return Summary(path: path, tensors: entries.count, zeroed: zeroed.value, quantizedTensors: quantized, bytes: size)
    }

    static func prunedFloats(_ file: SafetensorsFile, _ info: SafetensorsTensorInfo, tau: Float, zeroed: ZeroCounter) throws -> [Float] {
        var v = try file.floatTensor(info.name).storage
        var count = 0
        for i in v.indices where abs(v[i]) < tau {
            if v[i] != 0 { count += 1 }
            v[i] = 0
        }
        zeroed.add(count)
        return v
    }

    /// absmax/127 of each channel's finite values (0 for an all-zero channel).
    static func rowScales(_ v: [Float], rows: Int, rowLength: Int) -> [Float] {
        (0..<rows).map { r in
            var m: Float = 0
            for k in 0..<rowLength where v[r * rowLength + k].isFinite { m = Swift.max(m, abs(v[r * rowLength + k])) }
            return m / 127
        }
    }
    final class ZeroCounter: @unchecked Sendable {
        var value = 0
        func add(_ n: Int) { value += n }
    }
}
