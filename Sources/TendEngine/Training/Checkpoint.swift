import TendTensor

/// A serialisable training state: named tensors (weights, optimizer state) and string metadata.
/// Tensor names follow PyTorch (`fc1.weight`, `fc1.bias`); optimizer state is prefixed (`adam.m.fc1.weight`).
/// The last `optimizerStateCount` tensors are the optimizer's state; file stores keep them in a sibling file
/// (`NAME.optimizer.safetensors`) so the weights file holds exactly the model's state dict.
public struct Checkpoint: Sendable {
    public var tensors: [(String, Tensor)]
    public var metadata: [String: String]
    /// How many of the trailing `tensors` are optimizer state (0: none, or not known).
    public var optimizerStateCount: Int
    public init(tensors: [(String, Tensor)], metadata: [String: String], optimizerStateCount: Int = 0) {
        self.tensors = tensors; self.metadata = metadata; self.optimizerStateCount = optimizerStateCount
    }

    /// The model's tensors (everything but the optimizer state).
    public var modelTensors: ArraySlice<(String, Tensor)> { tensors.dropLast(min(optimizerStateCount, tensors.count)) }
    /// The optimizer state tensors.
    public var optimizerTensors: ArraySlice<(String, Tensor)> { tensors.suffix(min(optimizerStateCount, tensors.count)) }

    /// `tend.format` of the checkpoints written now: 2 stores `arch` as a tagged `Architecture`
    /// record; format 1 (or no `tend.format`) stored a bare `MLPLayout`, which still loads as the mlp family.
    public static let formatVersion = "2"

    /// The architecture recorded under `Key.arch` (either format).
    public static func architecture(_ metadata: [String: String]) throws -> Architecture {
        guard let text = metadata[Key.arch] else { throw CheckpointError.missingMetadata(key: Key.arch) }
        do { return try Architecture(json: text) } catch { throw CheckpointError.badMetadata(key: Key.arch, value: text) }
    }

    /// The training config recorded under `Key.config` (either format).
    public static func trainConfig(_ metadata: [String: String]) throws -> TrainConfig {
        guard let text = metadata[Key.config] else { throw CheckpointError.missingMetadata(key: Key.config) }
        do { return try TrainConfig.decode(json: text) } catch { throw CheckpointError.badMetadata(key: Key.config, value: text) }
    }

    /// A model built from `architecture(metadata)` with the checkpoint's weights loaded.
    public func model() throws -> any Model {
        let model = try Checkpoint.architecture(metadata).makeModel(seed: 0)
        try model.load(Dictionary(tensors, uniquingKeysWith: { a, _ in a }))
        return model
    }

    /// The value written under `Key.normalizerFormula`.
    public static let normalizerFormula = "x' = (x - offset[j]) * factor[j] for each input feature j, applied before the first layer"

    /// Metadata keys written by the trainer.
    public enum Key {
        public static let format = "tend.format"
        public static let arch = "arch"
        public static let config = "config"
        public static let normalizer = "normalizer"
        /// How `normalizer`'s `offset` and `factor` apply, in words a loader in another language can follow.
        public static let normalizerFormula = "normalizer_formula"
        public static let epoch = "epoch"
        public static let step = "step"
        public static let seed = "seed"
        public static let samplerState = "sampler_rng"
        /// Generator states of the model's Dropout layers in forward order, `;`-separated
        /// (each like `sampler_rng`); absent without dropout and in checkpoints written before it existed.
        public static let dropoutState = "dropout_rng"
        public static let optimizer = "optimizer"
        public static let optimizerSteps = "optimizer_steps"
        public static let bestValLoss = "best_val_loss"
        public static let staleEvals = "stale_evals"
        public static let classes = "classes"
        /// The data label of each class, comma separated (`ClassLabels`); absent in older checkpoints (identity).
        public static let classLabels = "class_labels"
        public static let featureNames = "feature_names"
        public static let labelColumn = "label"
        public static let dataPath = "data"
        public static let reason = "reason"
        public static let alerts = "alerts"
        /// File name (same directory) of the sibling file holding the optimizer state, when there is one.
        public static let optimizerFile = "optimizer_file"
    }
}

/// Where the trainer sends checkpoints; `name` is a file stem like `epoch-0003` or `last`.
/// Returns the path written. Implementations must write atomically.
public protocol CheckpointStore: AnyObject {
    func save(_ checkpoint: Checkpoint, name: String) throws -> String
}

/// Errors restoring a checkpoint, naming what is wrong.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    case missingMetadata(key: String)
    case badMetadata(key: String, value: String)
    case missingTensor(name: String)
    case shapeMismatch(name: String, expected: [Int], got: [Int])

    public var description: String {
        switch self {
        case .missingMetadata(let k): return "checkpoint metadata has no \"\(k)\" entry"
        case .badMetadata(let k, let v): return "checkpoint metadata \"\(k)\" has an unreadable value: \(v.prefix(80))"
        case .missingTensor(let n): return "checkpoint has no tensor \"\(n)\""
        case .shapeMismatch(let n, let e, let g): return "checkpoint tensor \"\(n)\" has shape \(g), the model needs \(e)"
        }
    }
}
