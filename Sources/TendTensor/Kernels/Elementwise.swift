import CKernels

/// Elementwise kernels over whole tensors. Outputs are reshaped with `ensureShape` (no allocation
/// when the shape is unchanged). All loops run over raw buffers so the compiler vectorises them.

@inline(__always)
func map1(_ x: Tensor, into y: inout Tensor, _ f: (Float) -> Float) {
    y.ensureShape(x.shape)
    x.withUnsafeBufferPointer { px in
        y.withUnsafeMutableBufferPointer { py in
            let n = px.count
            guard n > 0 else { return }
            let a = px.baseAddress!, b = py.baseAddress!
            for i in 0..<n { b[i] = f(a[i]) }
        }
    }
}

@inline(__always)
func map2(_ x: Tensor, _ z: Tensor, into y: inout Tensor, _ f: (Float, Float) -> Float) {
    precondition(x.shape == z.shape, "elementwise: shapes differ (\(x.shape) vs \(z.shape))")
    y.ensureShape(x.shape)
    x.withUnsafeBufferPointer { px in
        z.withUnsafeBufferPointer { pz in
            y.withUnsafeMutableBufferPointer { py in
                let n = px.count
                guard n > 0 else { return }
                let a = px.baseAddress!, c = pz.baseAddress!, b = py.baseAddress!
                for i in 0..<n { b[i] = f(a[i], c[i]) }
            }
        }
    }
}

/// `map1` with an explicit eight-lane body (for kernels the auto-vectoriser will not touch).
@inline(__always)
func map1v(_ x: Tensor, into y: inout Tensor, _ f8: (F8) -> F8, _ f: (Float) -> Float) {
    y.ensureShape(x.shape)
    x.withUnsafeBufferPointer { px in
        y.withUnsafeMutableBufferPointer { py in
            let n = px.count
            guard n > 0 else { return }
            let a = px.baseAddress!, b = py.baseAddress!
            var i = 0
            while i + 8 <= n { b.store8(f8(a.load8(i)), i); i += 8 }
            while i < n { b[i] = f(a[i]); i += 1 }
        }
    }
}

/// `map2` with an explicit eight-lane body.
@inline(__always)
func map2v(_ x: Tensor, _ z: Tensor, into y: inout Tensor, _ f8: (F8, F8) -> F8, _ f: (Float, Float) -> Float) {
    precondition(x.shape == z.shape, "elementwise: shapes differ (\(x.shape) vs \(z.shape))")
    y.ensureShape(x.shape)
    x.withUnsafeBufferPointer { px in
        z.withUnsafeBufferPointer { pz in
            y.withUnsafeMutableBufferPointer { py in
                let n = px.count
                guard n > 0 else { return }
                let a = px.baseAddress!, c = pz.baseAddress!, b = py.baseAddress!
                var i = 0
                while i + 8 <= n { b.store8(f8(a.load8(i), c.load8(i)), i); i += 8 }
                while i < n { b[i] = f(a[i], c[i]); i += 1 }
            }
        }
    }
}

@inline(__always)
func mutate1(_ x: inout Tensor, _ f: (Float) -> Float) {
    x.withUnsafeMutableBufferPointer { p in
        guard let a = p.baseAddress else { return }
        for i in 0..<p.count { a[i] = f(a[i]) }
    }
}

/// `c = a + b` (same shapes).
public func add(_ a: Tensor, _ b: Tensor, into c: inout Tensor) { map2(a, b, into: &c) { $0 + $1 } }

/// `c = a − b` (same shapes).
public func subtract(_ a: Tensor, _ b: Tensor, into c: inout Tensor) { map2(a, b, into: &c) { $0 - $1 } }

/// `c = a ⊙ b` (Hadamard product, same shapes), through the C kernel `variant`.
public func multiply(_ a: Tensor, _ b: Tensor, into c: inout Tensor, variant: KernelVariant = .best) {
    precondition(a.shape == b.shape, "multiply: shapes differ (\(a.shape) vs \(b.shape))")
    c.ensureShape(a.shape)
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                guard let x = pa.baseAddress, let y = pb.baseAddress, let z = pc.baseAddress else { return }
                ck_multiply(variant.c, pa.count, x, y, z)
            }
        }
    }
}

/// `x *= s` in place.
public func scale(_ x: inout Tensor, by s: Float) { mutate1(&x) { $0 * s } }

/// `y += alpha · x` in place (same shapes).
public func axpy(_ alpha: Float, _ x: Tensor, _ y: inout Tensor) {
    precondition(x.shape == y.shape, "axpy: shapes differ (\(x.shape) vs \(y.shape))")
    x.withUnsafeBufferPointer { px in
        y.withUnsafeMutableBufferPointer { py in
            guard let a = px.baseAddress, let b = py.baseAddress else { return }
            for i in 0..<px.count { b[i] += alpha * a[i] }
        }
    }
}

/// `x ⊙= mask` in place: zeroes the entries where `mask` is 0 (mask holds 0 or 1).
public func applyMask(_ x: inout Tensor, mask: Tensor) {
    precondition(x.shape == mask.shape, "applyMask: mask \(mask.shape) does not match tensor \(x.shape)")
    mask.withUnsafeBufferPointer { pm in
        x.withUnsafeMutableBufferPointer { px in
            guard let m = pm.baseAddress, let a = px.baseAddress else { return }
            for i in 0..<px.count { a[i] *= m[i] }
        }
    }
}

extension Tensor {
    public static func + (a: Tensor, b: Tensor) -> Tensor { var c = Tensor.empty; add(a, b, into: &c); return c }
    public static func - (a: Tensor, b: Tensor) -> Tensor { var c = Tensor.empty; subtract(a, b, into: &c); return c }
    public static func * (s: Float, a: Tensor) -> Tensor { var c = a; scale(&c, by: s); return c }

    /// Largest absolute difference to `other` (same shapes); for tests and checks.
    public func maxAbsDifference(_ other: Tensor) -> Float {
        precondition(shape == other.shape, "maxAbsDifference: shapes differ (\(shape) vs \(other.shape))")
        var m: Float = 0
        for i in 0..<count { m = Swift.max(m, abs(storage[i] - other.storage[i])) }
        return m
    }
}
