import CKernels

/// Activation kernels as forward/backward pairs. Backward kernels take the upstream gradient and
/// whichever forward value makes the derivative cheapest (the output for ReLU/tanh/sigmoid, the
/// input for GELU) and write `gradInput = gradOutput ⊙ f′`.

/// `y = max(x, 0)` (NaN and −0 give +0), through the C kernel `variant`.
public func reluForward(_ x: Tensor, into y: inout Tensor, variant: KernelVariant = .best) {
    y.ensureShape(x.shape)
    x.withUnsafeBufferPointer { px in
        y.withUnsafeMutableBufferPointer { py in
            guard let a = px.baseAddress, let b = py.baseAddress else { return }
            ck_relu_forward(variant.c, px.count, a, b)
        }
    }
}

/// `gradInput = gradOutput · [output > 0]` (the subgradient at 0 is 0), through the C kernel `variant`.
public func reluBackward(gradOutput g: Tensor, output y: Tensor, into gradInput: inout Tensor, variant: KernelVariant = .best) {
    precondition(g.shape == y.shape, "reluBackward: gradient \(g.shape) does not match output \(y.shape)")
    gradInput.ensureShape(g.shape)
    g.withUnsafeBufferPointer { pg in
        y.withUnsafeBufferPointer { py in
            gradInput.withUnsafeMutableBufferPointer { po in
                guard let a = pg.baseAddress, let b = py.baseAddress, let c = po.baseAddress else { return }
                ck_relu_backward(variant.c, pg.count, a, b, c)
            }
        }
    }
}

/// √(2/π), the constant of the tanh approximation of GELU.
@usableFromInline let geluC: Float = 0.797_884_56
@usableFromInline let geluA: Float = 0.044_715

/// GELU, tanh approximation (PyTorch `approximate="tanh"`):
/// `y = ½x(1 + tanh(√(2/π)(x + 0.044715x³)))`.
public func geluForward(_ x: Tensor, into y: inout Tensor) {
    map1v(x, into: &y, { (v: F8) -> F8 in
        let inner: F8 = geluC * (v + geluA * v * v * v)
        let t: F8 = FastMath.tanh8(inner)
        return 0.5 * v * (1 + t)
    }, { v in
        let t = FastMath.tanh(geluC * (v + geluA * v * v * v))
        return 0.5 * v * (1 + t)
    })
}

/// Exact derivative of the tanh-approximated GELU, from the forward input.
public func geluBackward(gradOutput g: Tensor, input x: Tensor, into gradInput: inout Tensor) {
    map2v(g, x, into: &gradInput, { (gv: F8, v: F8) -> F8 in
        let v2: F8 = v * v
        let inner: F8 = geluC * (v + geluA * v2 * v)
        let t: F8 = FastMath.tanh8(inner)
        let slope: F8 = geluC * (1 + 3 * geluA * v2)
        let half: F8 = 0.5 * (1 + t)
        let d: F8 = half + 0.5 * v * (1 - t * t) * slope
        return gv * d
    }, { gv, v in
        let v2 = v * v
        let t = FastMath.tanh(geluC * (v + geluA * v2 * v))
        let d = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * geluC * (1 + 3 * geluA * v2)
        return gv * d
    })
}

/// `y = tanh(x)`.
public func tanhForward(_ x: Tensor, into y: inout Tensor) { map1v(x, into: &y, { FastMath.tanh8($0) }, { FastMath.tanh($0) }) }

/// `gradInput = gradOutput · (1 − y²)`, from the forward output.
public func tanhBackward(gradOutput g: Tensor, output y: Tensor, into gradInput: inout Tensor) {
    map2(g, y, into: &gradInput) { $0 * (1 - $1 * $1) }
}

/// `y = σ(x) = 1 / (1 + e⁻ˣ)`.
public func sigmoidForward(_ x: Tensor, into y: inout Tensor) { map1v(x, into: &y, { FastMath.sigmoid8($0) }, { FastMath.sigmoid($0) }) }

/// `gradInput = gradOutput · y(1 − y)`, from the forward output.
public func sigmoidBackward(gradOutput g: Tensor, output y: Tensor, into gradInput: inout Tensor) {
    map2(g, y, into: &gradInput) { $0 * $1 * (1 - $1) }
}
