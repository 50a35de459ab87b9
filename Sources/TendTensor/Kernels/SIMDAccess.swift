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

/// √x for x ≥ 0 in eight lanes, pure arithmetic so it stays vectorised (Swift's `squareRoot()`
/// goes through libm's `sqrtf` one lane at a time on Linux): bit-trick reciprocal square root
/// refined by three Newton steps (relative error ≈ 2e-7), then x · (1/√x). √0 = 0.
@inline(__always)
func sqrt8(_ x: F8) -> F8 {
    let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self)
    var y = unsafeBitCast(SIMD8<UInt32>(repeating: 0x5F37_59DF) &- (bits &>> 1), to: F8.self)
    let h = 0.5 * x
    y = y * (1.5 - h * y * y)
    y = y * (1.5 - h * y * y)
    y = y * (1.5 - h * y * y)
    return x * y
}
