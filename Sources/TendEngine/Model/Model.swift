import TendTensor

/// A network of some family (the multilayer perceptron today) as training, compression, evaluation, checkpoints and
/// serving see it: named parameters with roles, forward/backward on a `Batch`, a deep copy, its
/// `Architecture`, and the blocks the layers panel lists. Code that takes `any Model` never asks
/// which family it has. Not thread-safe (layers own buffers): give another thread a `copy()`.
public protocol Model: Predictor {
    /// The family and its settings; `architecture.makeModel(seed:)` builds a model like this one.
    var architecture: Architecture { get }
    /// Every parameter in a stable order, PyTorch-style names (`fc1.weight`), each with its role.
    var parameters: [Parameter] { get }
    /// Logits [batch.count, outputCount]. `training` enables dropout and keeps what `backward` needs.
    /// The result may be a layer's buffer, reused by the next forward: drop it before calling again.
    func forward(_ batch: Batch, training: Bool) -> Tensor
    /// Backpropagates the gradient of the loss w.r.t. the logits of the last training forward;
    /// overwrites every `Parameter.grad`.
    func backward(_ gradLogits: Tensor)
    /// A deep copy (values, masks, generators) sharing nothing mutable with this model.
    func copy() -> Self
    /// The blocks the layers panel shows, in model order.
    var layerGroups: [LayerGroup] { get }
    /// Every linear layer with its name (`fc1`), wherever it sits: what int8 quantization swaps.
    var linearLayers: [(name: String, layer: Dense)] { get }
    /// The Dropout layers in forward order (their generators go into checkpoints).
    var dropoutLayers: [Dropout] { get }
    /// The layers in forward order when the model is a plain chain (each layer's output is the next
    /// one's input), which lets compressed forms fuse across layers; nil otherwise (the default).
    var sequentialLayers: [Layer]? { get }
    /// Runs an evaluation forward on `batch`, calling `visit(name, output)` after each named block
    /// (a parameter-free block such as an activation reports under the named block before it);
    /// stops early when `visit` returns false.
    func traceForward(_ batch: Batch, visit: (_ name: String, _ output: Tensor) -> Bool)
}

extension Model {
    public var outputCount: Int { architecture.outputs }

    public func predict(_ batch: Batch) -> Tensor {
        var out = forward(batch, training: false)
        // Detach from the layer's buffer so holding the result never costs the next forward a copy.
        out.withUnsafeMutableBufferPointer { _ in }
        return out
    }

    /// `forward(.features(x), training:)`.
    public func forward(_ x: Tensor, training: Bool) -> Tensor { forward(.features(x), training: training) }

    public var layerGroups: [LayerGroup] { LayerGroup.grouping(parameters) }

    public var sequentialLayers: [Layer]? { nil }

    /// Total number of scalar parameters.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// (name, value) of every parameter, in order.
    public func namedTensors() -> [(String, Tensor)] { parameters.map { ($0.name, $0.value) } }

    /// The parameter called `name`, if any.
    public func parameter(named name: String) -> Parameter? { parameters.first { $0.name == name } }

    /// Replaces every parameter's value from `tensors` (extra entries, e.g. optimizer state, are
    /// ignored). Validates everything before changing anything.
    public func load(_ tensors: [String: Tensor]) throws {
        for p in parameters {
            guard let t = tensors[p.name] else { throw ModelLoadError.missingTensor(name: p.name) }
            guard t.shape == p.value.shape else {
                throw ModelLoadError.shapeMismatch(name: p.name, expected: p.value.shape, found: t.shape)
            }
        }
        for p in parameters {
            p.value = tensors[p.name]!
            p.applyMask()
        }
    }
}
