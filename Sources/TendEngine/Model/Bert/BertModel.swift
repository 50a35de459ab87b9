import TendCore
import TendTensor

/// A BERT-family sentence encoder as a `Model`: `BertEncoder` (embeddings, layers) + its pooling; the
/// "logits" of `forward(.tokens(…))` are the pooled (optionally L2-normalised) embeddings [batch, hidden].
/// `parameters` are the encoder's tensors under Hugging Face names (no `bert.` prefix) with roles:
/// embeddings → `embedding`, LayerNorm → `norm`, linear biases → `bias`, linear weights → `weight`. They are
/// materialised on first use (a Float copy of each tensor, ~4 bytes per parameter: serving and embedding never
/// ask for them, so a loaded encoder keeps reading its weights from the mapped file), without gradient buffers;
/// a write to a parameter's `value` (pruning, `load`) reaches the encoder at the next forward (by
/// `Parameter.version`), which re-derives only the touched layers' packed copies. Once `parameters` exist,
/// change weights through them, not through `encoder.setParameter`.
/// Not thread-safe (the encoder owns its workspace): give another thread a `copy()`.
public final class BertModel: Model {
    public let encoder: BertEncoder
    private var cachedParameters: [Parameter]?
    /// `Parameter.version` of each cached parameter when last copied into the encoder.
    private var syncedVersions: [UInt64] = []
    private var output = Tensor.empty

    /// Wraps a loaded encoder (weights already set, `weightsDidChange()` called).
    public init(encoder: BertEncoder) {
        self.encoder = encoder
    }

    /// A model of `architecture` with Hugging Face's initialisation from `seed`: N(0, 0.02) linear weights
    /// and embeddings, zero biases, LayerNorm gain 1 and shift 0. Throws `ArchitectureError` for invalid sizes.
    public convenience init(architecture: BertArchitecture, seed: UInt64) throws {
        if let problem = architecture.config.validate() { throw ArchitectureError("bert config: \(problem)") }
        let encoder = BertEncoder(config: architecture.config, pooling: architecture.pooling, normalize: architecture.normalize)
        var generator = SeededGenerator(seed: seed)
        for p in encoder.parameterLayout where p.role == .weight || p.role == .embedding {
            var t = Tensor(shape: Shape(p.shape))
            t.withUnsafeMutableBufferPointer { v in
                for i in 0..<v.count { v[i] = 0.02 * generator.nextGaussian() }
            }
            encoder.setParameter(p.name, t)
        }
        encoder.weightsDidChange()
        self.init(encoder: encoder)
    }

    public var config: BertConfig { encoder.config }

    public var architecture: Architecture {
        .bert(BertArchitecture(config: encoder.config, pooling: encoder.pooling, normalize: encoder.normalize))
    }

    public var parameters: [Parameter] {
        if let cachedParameters { return cachedParameters }
        let made = encoder.namedParameters.map { Parameter(name: $0.name, value: $0.tensor, role: $0.role, gradient: false) }
        cachedParameters = made
        syncedVersions = made.map(\.version)
        return made
    }

    /// Copies parameters written since the last call into the encoder and re-derives the packed copies of
    /// the layers they belong to. `forward`, `traceForward` and `copy` call it; call it before using
    /// `encoder` directly after changing `parameters`.
    public func applyParameterChanges() {
        guard let params = cachedParameters else { return }
        var dirtyLayers = Set<Int>()
        for (i, p) in params.enumerated() where p.version != syncedVersions[i] {
            encoder.setParameter(p.name, p.value)
            syncedVersions[i] = p.version
            if let layer = Self.layerIndex(p.name) { dirtyLayers.insert(layer) }
        }
        for layer in dirtyLayers.sorted() { encoder.weightsDidChange(layer: layer) }
    }

    /// N of `encoder.layer.N.…`, or nil for the embeddings.
    public static func layerIndex(_ name: String) -> Int? {
        let prefix = "encoder.layer."
        guard name.hasPrefix(prefix) else { return nil }
        return Int(name.dropFirst(prefix.count).prefix { $0 != "." })
    }

    /// Pooled embeddings [batch, hidden] of a token batch (the model's buffer: drop it before the next call).
    /// `training` changes nothing (the encoder has no dropout in inference). Stops with `BertModelError`'s
    /// message for features or for tokens the model cannot take (the tokenizer never makes those).
    public func forward(_ batch: Batch, training: Bool) -> Tensor {
        guard case .tokens(let tokens) = batch else { preconditionFailure(BertModelError.featuresGiven.description) }
        applyParameterChanges()
        do { try encoder.encode(EncoderBatch(tokens), into: &output) }
        catch { preconditionFailure(BertModelError.badTokens(error).description) }
        return output
    }

    /// Not implemented yet: stops with `BertModelError.backwardNotSupported` (fine-tuning is issue 14).
    public func backward(_ gradLogits: Tensor) {
        preconditionFailure(BertModelError.backwardNotSupported.description)
    }

    /// An independent model with the same weights and masks (the encoder's weight storage is immutable and shared).
    public func copy() -> BertModel {
        applyParameterChanges()
        let m = BertModel(encoder: encoder.copy())
        if let params = cachedParameters {
            for (dst, src) in zip(m.parameters, params) { dst.mask = src.mask }
        }
        return m
    }

    /// The three embedding tables, then per encoder layer its six linear layers (query, key, value,
    /// attention.output.dense, intermediate.dense, output.dense), with shapes; LayerNorm parameters are in
    /// `parameters` but not listed as rows.
    public var layerGroups: [LayerGroup] {
        encoder.layerListing.map { info in
            switch info.kind {
            case .embedding:
                LayerGroup(name: info.name, kind: .embedding, shape: info.shape, parameterCount: info.parameters,
                           parameterNames: [info.name + ".weight"])
            case .linear:
                LayerGroup(name: info.name, kind: .linear, shape: info.shape, parameterCount: info.parameters,
                           parameterNames: [info.name + ".weight", info.name + ".bias"])
            }
        }
    }

    /// Empty: the encoder's linear layers are not `Dense` layers, so int8 quantization (which swaps `Dense`
    /// layers) leaves the encoder fp32 until transformer compression lands.
    public var linearLayers: [(name: String, layer: Dense)] { [] }

    public var dropoutLayers: [Dropout] { [] }

    /// Reports `embeddings`, each `encoder.layer.N` (packed real tokens' states) and `pooling`.
    public func traceForward(_ batch: Batch, visit: (_ name: String, _ output: Tensor) -> Bool) {
        guard case .tokens(let tokens) = batch else { preconditionFailure(BertModelError.featuresGiven.description) }
        applyParameterChanges()
        do { try encoder.trace(EncoderBatch(tokens), visit: visit) }
        catch { preconditionFailure(BertModelError.badTokens(error).description) }
    }
}
