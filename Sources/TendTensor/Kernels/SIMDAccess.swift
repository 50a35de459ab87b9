/// Unaligned 8-lane loads and stores for explicitly vectorised kernels (the auto-vectoriser gives
/// up on loops touching many buffers, such as the optimizer updates).
typealias F8 = SIMD8<Float>

extension UnsafePointer where Pointee == Float {
    @inline(__always) func load8(_ i: Int) -> F8 { UnsafeRawPointer(self + i).loadUnaligned(as: F8.self) }
}

extension UnsafeMutablePointer where Pointee == Float {
    @inline(__always) func load8(_ i: Int) -> F8 { UnsafeRawPointer(self + i).loadUnaligned(as: F8.self) }
    @inline(__always) func store8(_ v: F8, _ i: Int) { UnsafeMutableRawPointer(self + i).storeBytes(of: v, as: F8.self) }
}

extension FastMath {
    /// Eight-lane `exp` with the same polynomial and clamping as `FastMath.exp`.
    @inline(__always)
    static func exp8(_ x: F8) -> F8 {
        let xc = x.replacing(with: 88.3, where: x .> 88.3).replacing(with: -87.3, where: x .< -87.3)
        let shifted = xc * 1.442_695_04 + 12_582_912.0
        let n = shifted - 12_582_912.0
        let r = (xc - n * 0.693_359_375) - n * -2.121_944_4e-4
        var p = F8(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        let y = p * r * r + r + 1
        let nBits = unsafeBitCast(shifted, to: SIMD8<UInt32>.self) &- 0x4B40_0000
        return y * unsafeBitCast((nBits &+ 127) &<< 23, to: F8.self)
    }

    @inline(__always) static func tanh8(_ x: F8) -> F8 { 1 - 2 / (exp8(2 * x) + 1) }
    @inline(__always) static func sigmoid8(_ x: F8) -> F8 { 1 / (1 + exp8(-x)) }
}
