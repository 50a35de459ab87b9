import TendCore
import TendTensor

/// A multilayer perceptron built from an `MLPLayout`: for each hidden size,
/// `fcK` (Dense) → `lnK` (LayerNorm, optional) → activation → Dropout (optional); then the output
/// Dense. Hidden Dense layers use He init for ReLU/GELU and Xavier for tanh/sigmoid; the output
/// layer uses Xavier. Parameters are named like PyTorch: `fc1.weight`, `fc1.bias`, `ln1.weight`, …
/// Buffers are reused between steps of equal batch size, so a training step allocates nothing.
/// Not thread-safe (the layers own their buffers): give another thread a `copy()`.
public final class MLP: Model {
    public let layout: MLPLayout
    public let seed: UInt64
    /// Layers in forward order.
    public let layers: [Layer]
    /// The Dense layers in order (fc1…fcN).
    public let denseLayers: [Dense]
    /// Every parameter in order: fc1.weight, fc1.bias, ln1.weight, ln1.bias, fc2.weight, …
    public let parameters: [Parameter]

    /// Throws `ArchitectureError` when `layout` is invalid (`MLPLayout.validationError`).
    public convenience init(layout: MLPLayout, seed: UInt64) throws {
        if let problem = layout.validationError { throw ArchitectureError(problem) }
        self.init(valid: layout, seed: seed, randomWeights: true)
    }

    init(valid layout: MLPLayout, seed: UInt64, randomWeights: Bool) {
        self.layout = layout
        self.seed = seed
        var generator = SeededGenerator(seed: seed)
        var layers: [Layer] = []
        var dense: [Dense] = []
        let hiddenInit: Dense.Initialization = (layout.activation == .relu || layout.activation == .gelu) ? .he : .xavier
        let count = layout.sizes.count - 1
        for k in 0..<count {
            let isOutput = k == count - 1
            let fc = Dense(name: "fc\(k + 1)", inputs: layout.sizes[k], outputs: layout.sizes[k + 1],
                           initialization: randomWeights ? (isOutput ? .xavier : hiddenInit) : .zeros,
                           generator: &generator)
            if k == 0 { fc.computesInputGradient = false }
            layers.append(fc)
            dense.append(fc)
            if isOutput { break }
            if layout.layerNorm { layers.append(LayerNorm(name: "ln\(k + 1)", features: layout.sizes[k + 1])) }
            layers.append(MLP.activationLayer(layout.activation))
            if layout.dropout > 0 { layers.append(Dropout(rate: layout.dropout, seed: seed &+ 0x9E37_79B9 &* UInt64(k + 1))) }
        }
        self.layers = layers
        self.denseLayers = dense
        self.parameters = layers.flatMap(\.parameters)
    }

    /// A fresh layer computing `activation`.
    public static func activationLayer(_ activation: Activation) -> Layer {
        switch activation {
        case .relu: ReLU()
        case .gelu: GELU()
        case .tanh: Tanh()
        case .sigmoid: Sigmoid()
        }
    }

    public var architecture: Architecture { .mlp(layout) }

    /// Logits for `batch`, which must carry features [rows, inputs].
    public func forward(_ batch: Batch, training: Bool) -> Tensor {
        forward(batch.featureMatrix(for: "MLP"), training: training)
    }

    /// Logits [batch, outputs] for `x` [batch, inputs]. `training` enables dropout and keeps what
    /// `backward` needs. The result is the output layer's buffer: drop it before the next forward.
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.rank == 2 && x.cols == layout.inputs, "MLP: input \(x.shape) does not have \(layout.inputs) features")
        var h = x
        for layer in layers { h = layer.forward(h, training: training) }
        return h
    }

    /// Backpropagates the gradient of the loss w.r.t. the logits; overwrites every `Parameter.grad`.
    public func backward(_ gradLogits: Tensor) {
        var g = gradLogits
        for layer in layers.reversed() { g = layer.backward(g) }
    }

    /// The Dropout layers in forward order (empty without dropout).
    public var dropoutLayers: [Dropout] { layers.compactMap { $0 as? Dropout } }

    public var sequentialLayers: [Layer]? { layers }

    public var linearLayers: [(name: String, layer: Dense)] {
        denseLayers.map { (String($0.weight.name.dropLast(".weight".count)), $0) }
    }

    public func traceForward(_ batch: Batch, visit: (_ name: String, _ output: Tensor) -> Bool) {
        var h = batch.featureMatrix(for: "MLP"), lastNamed = "input"
        for layer in layers {
            if let name = layer.parameters.first.map({ String($0.name.split(separator: ".").first ?? "") }), !name.isEmpty {
                lastNamed = name
            }
            h = layer.forward(h, training: false)
            if !visit(lastNamed, h) { return }
        }
    }

    /// A deep copy (values, masks, dropout generators) sharing nothing mutable with this model;
    /// for serving snapshots and rollbacks.
    public func copy() -> MLP {
        let m = MLP(valid: layout, seed: seed, randomWeights: false)
        for (dst, src) in zip(m.parameters, parameters) {
            dst.value = src.value
            dst.mask = src.mask
        }
        for case let (dst as Dropout, src as Dropout) in zip(m.layers, layers) { dst.generator = src.generator }
        return m
    }
}
