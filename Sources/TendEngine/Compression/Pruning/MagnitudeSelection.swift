import TendTensor

/// Mask selection by weight magnitude, without sorting. Masks are 0/1 Float tensors (0 = pruned)
/// shaped like their inputs.
///
/// Sparsity selection is a two-level radix select on the IEEE bit pattern of |w| (sign bit cleared:
/// for non-negative floats the bit pattern orders like the value, and −0 ties with +0): a 65 536-bin
/// histogram of the high 16 bits finds the bucket holding the k-th smallest magnitude, a second
/// histogram of the low 16 bits inside that bucket finds its exact bit pattern K. Everything below K
/// is pruned, and of the entries equal to K the ones with the lowest index (tensor order, then
/// row-major) are pruned until k are. Three linear passes; NaN magnitudes rank above +∞.
public enum MagnitudeSelection {
    /// Masks pruning exactly `count` entries over all `tensors` together (clamped to 0...total).
    public static func masks(pruningSmallest count: Int, of tensors: [Tensor]) -> [Tensor] {
        let total = tensors.reduce(0) { $0 + $1.count }
        let k = max(0, min(count, total))
        if k == 0 { return tensors.map { Tensor(shape: $0.shape, repeating: 1) } }
        if k == total { return tensors.map { Tensor(shape: $0.shape, repeating: 0) } }

        // Pass 1: histogram of the high 16 bits of |w|.
        var high = [Int32](repeating: 0, count: 1 << 16)
        high.withUnsafeMutableBufferPointer { h in
            for t in tensors {
                t.withUnsafeBufferPointer { p in
                    p.withMemoryRebound(to: UInt32.self) { bits in
                        for b in bits { h[Int((b & 0x7FFF_FFFF) >> 16)] &+= 1 }
                    }
                }
            }
        }
        var below = 0
        var bucket = 0
        while below + Int(high[bucket]) < k { below += Int(high[bucket]); bucket += 1 }
        // Pass 2: histogram of the low 16 bits inside that bucket.
        var low = [Int32](repeating: 0, count: 1 << 16)
        let bucketBits = UInt32(bucket)
        low.withUnsafeMutableBufferPointer { h in
            for t in tensors {
                t.withUnsafeBufferPointer { p in
                    p.withMemoryRebound(to: UInt32.self) { bits in
                        for b in bits where (b & 0x7FFF_FFFF) >> 16 == bucketBits { h[Int(b & 0xFFFF)] &+= 1 }
                    }
                }
            }
        }
        var lowIndex = 0
        while below + Int(low[lowIndex]) < k { below += Int(low[lowIndex]); lowIndex += 1 }
        let key = (bucketBits << 16) | UInt32(lowIndex)
        let equalToPrune = k - below          // 1...low[lowIndex]
        let equalTotal = Int(low[lowIndex])

        // Pass 3: prune everything ≤ key, then give back the equal entries beyond the first `equalToPrune`.
        var out: [Tensor] = []
        out.reserveCapacity(tensors.count)
        for t in tensors {
            var m = Tensor(shape: t.shape)
            t.withUnsafeBufferPointer { p in
                p.withMemoryRebound(to: UInt32.self) { bits in
                    m.withUnsafeMutableBufferPointer { mp in
                        for i in 0..<bits.count { mp[i] = (bits[i] & 0x7FFF_FFFF) > key ? 1 : 0 }
                    }
                }
            }
            out.append(m)
        }
        if equalToPrune < equalTotal {
            var seen = 0
            for (ti, t) in tensors.enumerated() {
                t.withUnsafeBufferPointer { p in
                    p.withMemoryRebound(to: UInt32.self) { bits in
                        out[ti].withUnsafeMutableBufferPointer { mp in
                            for i in 0..<bits.count where (bits[i] & 0x7FFF_FFFF) == key {
                                if seen >= equalToPrune { mp[i] = 1 }
                                seen += 1
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Masks pruning the ⌊sparsity·n⌋ smallest magnitudes over all `tensors` together.
    public static func masks(sparsity: Double, of tensors: [Tensor]) -> [Tensor] {
        let total = tensors.reduce(0) { $0 + $1.count }
        return masks(pruningSmallest: pruneCount(sparsity: sparsity, of: total), of: tensors)
    }

    /// ⌊s·n⌋, computed so that e.g. 0.8 × 10 gives 8 despite binary rounding.
    public static func pruneCount(sparsity: Double, of n: Int) -> Int {
        let s = max(0, min(1, sparsity))
        let exact = s * Double(n)
        let nearest = exact.rounded()
        // Treat products within a few ulps of an integer as that integer.
        return abs(exact - nearest) <= 1e-9 * max(1, exact) ? Int(nearest) : Int(exact.rounded(.down))
    }

    /// Mask with 0 where |w| < `threshold`, 1 elsewhere (NaN stays 1).
    public static func mask(threshold: Float, of tensor: Tensor) -> Tensor {
        var m = Tensor(shape: tensor.shape)
        tensor.withUnsafeBufferPointer { p in
            m.withUnsafeMutableBufferPointer { mp in
                for i in 0..<p.count { mp[i] = abs(p[i]) < threshold ? 0 : 1 }
            }
        }
        return m
    }
}
