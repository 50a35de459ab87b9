import TendCore
import TendTensor
@testable import TendEngine

/// Central finite differences for gradient checks (Double accumulation of the probe loss).
enum GradientCheck {
    static let step: Float = 1e-2

    static func randomTensor(_ dims: [Int], _ g: inout SeededGenerator, scale: Float = 1, awayFromZero: Float = 0) -> Tensor {
        let s = Shape(dims)
        return Tensor(shape: s, storage: (0..<s.count).map { _ in
            var v = g.nextGaussian() * scale
            if awayFromZero > 0 && abs(v) < awayFromZero { v = v < 0 ? -awayFromZero - abs(v) : awayFromZero + abs(v) }
            return v
        })
    }

    /// ‖a − n‖ / max(‖a‖, ‖n‖): relative error of an analytic gradient vs a numeric one.
    static func relativeError(_ a: Tensor, _ n: Tensor) -> Double {
        precondition(a.shape == n.shape)
        var d = 0.0, na = 0.0, nn = 0.0
        for i in 0..<a.count {
            let x = Double(a.storage[i]), y = Double(n.storage[i])
            d += (x - y) * (x - y); na += x * x; nn += y * y
        }
        return d.squareRoot() / max(na.squareRoot(), nn.squareRoot(), 1e-12)
    }

    /// Numeric gradient of `loss` w.r.t. `tensor` (perturbed in place through `set`).
    static func numeric(_ base: Tensor, set: (Tensor) -> Void, loss: () -> Double) -> Tensor {
        var grad = Tensor(shape: base.shape)
        var t = base
        for i in 0..<base.count {
            let v = base.storage[i]
            t.storage[i] = v + step; set(t); let up = loss()
            t.storage[i] = v - step; set(t); let down = loss()
            t.storage[i] = v; set(t)
            grad.storage[i] = Float((up - down) / (2 * Double(step)))
        }
        return grad
    }

    /// Σ R ⊙ y in Double: a probe loss whose gradient w.r.t. y is R.
    static func dot(_ r: Tensor, _ y: Tensor) -> Double {
        var s = 0.0
        for i in 0..<r.count { s += Double(r.storage[i]) * Double(y.storage[i]) }
        return s
    }

    /// Checks a layer's input and parameter gradients; returns the worst relative error.
    static func check(_ layer: Layer, input x: Tensor, seed: UInt64 = 1) -> Double {
        var g = SeededGenerator(seed: seed)
        let y = layer.forward(x, training: true)
        let r = randomTensor(y.shape.dims, &g)
        let analyticInput = layer.backward(r)
        let analyticParams = layer.parameters.map(\.grad)
        var worst = 0.0
        var xv = x
        if analyticInput.count > 0 {
            let n = numeric(x, set: { xv = $0 }, loss: { dot(r, layer.forward(xv, training: true)) })
            worst = max(worst, relativeError(analyticInput, n))
        }
        for (p, a) in zip(layer.parameters, analyticParams) {
            let n = numeric(p.value, set: { p.value = $0 }, loss: { dot(r, layer.forward(x, training: true)) })
            worst = max(worst, relativeError(a, n))
        }
        return worst
    }
}
