import TendCore
import TendTensor

/// A BERT encoder with a classification head (dropout + Linear on the pooled vector) and a mean
/// cross-entropy loss, for fine-tuning: `forward(_:labels:training:)` keeps the activations the backward
/// needs, `backward()` overwrites every trainable parameter's gradient. Parameters are `Parameter`s named
/// as Hugging Face names them (`embeddings.word_embeddings.weight`, `encoder.layer.0.attention.self.query.weight`,
/// …, then `classifier.weight` [classes, hidden] and `classifier.bias`), read from the encoder's
/// `namedParameters` at init; `write(to:)` puts the trained values back. Owns its workspace: one thread.
public final class BertClassifierTraining {
    public let config: BertConfig
    public let classes: Int
    public var pooling: Pooling
    /// Dropout rates, applied only in training forwards.
    public var dropout: BertDropoutRates
    /// Every parameter: the encoder's, in its `namedParameters` order, then the head's two.
    public let parameters: [Parameter]
    /// Draws every dropout mask; set it (or its state) to replay a step's masks exactly.
    public var generator: SeededGenerator
    /// When true, no gradient reaches the embedding tables and their LayerNorm (left 0).
    public var freezesEmbeddings = false
    /// The lowest this many encoder layers get no gradient (left 0), and the backward stops above them.
    public var frozenLayers = 0 {
        didSet { precondition(frozenLayers >= 0 && frozenLayers <= config.layers, "frozenLayers \(frozenLayers) outside 0...\(config.layers)") }
    }

    /// Head-only training (`--freeze-encoder`): no gradient reaches the encoder, and the backward stops at the head.
    public func freezeEncoder() {
        freezesEmbeddings = true
        frozenLayers = config.layers
    }

    /// Whether every encoder parameter is frozen.
    public var encoderIsFrozen: Bool { freezesEmbeddings && frozenLayers == config.layers }

    /// Parameters the optimizer should update (all but the frozen ones).
    public var trainableParameters: [Parameter] {
        parameters.enumerated().filter { !isFrozen(index: $0.offset) }.map(\.element)
    }

    struct LayerSlots {
        var query, queryBias, key, keyBias, value, valueBias, output, outputBias, norm1, norm1Bias: Int
        var intermediate, intermediateBias, output2, output2Bias, norm2, norm2Bias: Int
        var all: [Int] { [query, queryBias, key, keyBias, value, valueBias, output, outputBias, norm1, norm1Bias,
                          intermediate, intermediateBias, output2, output2Bias, norm2, norm2Bias] }
    }
    let word, position, tokenType, embeddingNorm, embeddingNormBias: Int
    let layerSlots: [LayerSlots]
    let head, headBias: Int
    let workspace = TrainingWorkspace()
    /// Whether the last forward ran with dropout (masks present for the backward).
    var lastForwardDropped = false
    /// The attention-dropout rate the last forward applied (0: the probabilities were not dropped).
    var lastAttentionRate: Float = 0
    var lastLabels: [Int] = []
    var hasForward = false

    /// Wraps `encoder`'s weights (shared copy-on-write until the first update) and a head for `classes`
    /// classes: `headWeight` [classes, hidden] and `headBias` [classes], or N(0, 0.02²) and 0 (as
    /// Hugging Face initialises `classifier`) drawn from `seed`.
    public init(encoder: BertEncoder, classes: Int, pooling: Pooling = .mean, dropout: BertDropoutRates = .init(),
                headWeight: Tensor? = nil, headBias: Tensor? = nil, seed: UInt64 = 0) {
        precondition(classes >= 2, "BertClassifierTraining: \(classes) classes; a classifier needs at least 2")
        config = encoder.config
        self.classes = classes
        self.pooling = pooling
        self.dropout = dropout
        generator = SeededGenerator(seed: seed ^ 0x5EED_D80B)
        let h = encoder.config.hiddenSize
        var head = SeededGenerator(seed: seed)
        let w = headWeight ?? Tensor(shape: Shape([classes, h]), storage: (0..<(classes * h)).map { _ in 0.02 * head.nextGaussian() })
        let b = headBias ?? Tensor(shape: Shape([classes]))
        precondition(w.shape == Shape([classes, h]) && b.shape == Shape([classes]),
                     "BertClassifierTraining: head \(w.shape) / \(b.shape), expected [\(classes), \(h)] / [\(classes)]")
        var params = encoder.namedParameters.map { Parameter(name: $0.name, value: $0.tensor, role: $0.role) }
        params.append(Parameter(name: "classifier.weight", value: w, role: .weight))
        params.append(Parameter(name: "classifier.bias", value: b, role: .bias))
        parameters = params
        var index: [String: Int] = [:]
        for (i, p) in params.enumerated() { index[p.name] = i }
        func at(_ name: String) -> Int {
            guard let i = index[name] else { preconditionFailure("BertClassifierTraining: the encoder lists no parameter \(name)") }
            return i
        }
        word = at("embeddings.word_embeddings.weight")
        position = at("embeddings.position_embeddings.weight")
        tokenType = at("embeddings.token_type_embeddings.weight")
        embeddingNorm = at("embeddings.LayerNorm.weight")
        embeddingNormBias = at("embeddings.LayerNorm.bias")
        layerSlots = (0..<encoder.config.layers).map { l in
            let p = "encoder.layer.\(l)."
            return LayerSlots(query: at(p + "attention.self.query.weight"), queryBias: at(p + "attention.self.query.bias"),
                              key: at(p + "attention.self.key.weight"), keyBias: at(p + "attention.self.key.bias"),
                              value: at(p + "attention.self.value.weight"), valueBias: at(p + "attention.self.value.bias"),
                              output: at(p + "attention.output.dense.weight"), outputBias: at(p + "attention.output.dense.bias"),
                              norm1: at(p + "attention.output.LayerNorm.weight"), norm1Bias: at(p + "attention.output.LayerNorm.bias"),
                              intermediate: at(p + "intermediate.dense.weight"), intermediateBias: at(p + "intermediate.dense.bias"),
                              output2: at(p + "output.dense.weight"), output2Bias: at(p + "output.dense.bias"),
                              norm2: at(p + "output.LayerNorm.weight"), norm2Bias: at(p + "output.LayerNorm.bias"))
        }
        self.head = at("classifier.weight")
        self.headBias = at("classifier.bias")
    }

    /// Whether parameter `index` is frozen by `freezesEmbeddings` / `frozenLayers`.
    func isFrozen(index: Int) -> Bool {
        if freezesEmbeddings && [word, position, tokenType, embeddingNorm, embeddingNormBias].contains(index) { return true }
        for l in 0..<frozenLayers where layerSlots[l].all.contains(index) { return true }
        return false
    }

    /// The parameter named `name`, or nil.
    public func parameter(_ name: String) -> Parameter? { parameters.first { $0.name == name } }

    /// Every gradient under its parameter's name (copies sharing storage copy-on-write).
    public func namedGradients() -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for p in parameters { out[p.name] = p.grad }
        return out
    }

    /// Logits [sequences, classes] of the last forward.
    public var logits: Tensor {
        let n = workspace.sequences * classes
        return Tensor(shape: Shape([workspace.sequences, classes]), storage: Array(UnsafeBufferPointer(start: workspace.logits.p, count: n)))
    }

    /// Puts the current encoder parameter values into `encoder` (same config) by name and rebuilds its
    /// derived weights, so inference serves the fine-tuned model. The head is not part of the encoder.
    public func write(to encoder: BertEncoder) {
        precondition(encoder.config == config, "BertClassifierTraining.write: encoder config differs")
        for p in parameters where p.name != "classifier.weight" && p.name != "classifier.bias" {
            let known = encoder.setParameter(p.name, p.value)
            precondition(known, "BertClassifierTraining.write: the encoder has no parameter \(p.name)")
        }
        encoder.weightsDidChange()
    }
}

/// Why a training batch was refused.
public enum BertTrainingError: Error, Equatable, CustomStringConvertible {
    case input(EncoderInputError)
    case labelCount(labels: Int, sequences: Int)
    case labelOutOfRange(sequence: Int, label: Int, classes: Int)

    public var description: String {
        switch self {
        case .input(let e): return e.description
        case let .labelCount(l, s): return "\(l) labels for \(s) sequences; give one label per sequence"
        case let .labelOutOfRange(s, l, c): return "sequence \(s): label \(l) is outside the head's \(c) classes (0..<\(c))"
        }
    }
}

/// Calls `body` with the value and gradient base pointers of `parameters` (valid only during the call).
func withParameterPointers<R>(_ parameters: [Parameter],
                              _ body: (_ values: [UnsafePointer<Float>], _ grads: [UnsafeMutablePointer<Float>]) -> R) -> R {
    var values: [UnsafePointer<Float>] = [], grads: [UnsafeMutablePointer<Float>] = []
    values.reserveCapacity(parameters.count); grads.reserveCapacity(parameters.count)
    func nest(_ i: Int) -> R {
        if i == parameters.count { return body(values, grads) }
        return parameters[i].value.withUnsafeBufferPointer { v in
            values.append(v.baseAddress!)
            return parameters[i].grad.withUnsafeMutableBufferPointer { g in
                grads.append(g.baseAddress!)
                return nest(i + 1)
            }
        }
    }
    return nest(0)
}
