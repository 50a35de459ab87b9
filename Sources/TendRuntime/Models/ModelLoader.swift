import Foundation
import TendEngine
import TendInterop
import TendTensor

/// Where a command gets its model: a Tend checkpoint, or plain safetensors weights trained elsewhere
/// (`fc1.weight` [out, in], `fc1.bias`, … as a PyTorch `nn.Linear` stack saves them) with `arch`.
/// Plain values (the executable's `ModelSource` parses them from flags).
public struct ModelLoader: Sendable {
    public var checkpoint: String?
    public var weights: String?
    public var arch: String?
    public var activation = "relu"
    public var normalize = "none"
    /// `--rename 'PATTERN=REPL'` rules applied to `weights`' tensor names before the layout is matched.
    public var renames: [String] = []

    public init(checkpoint: String? = nil, weights: String? = nil, arch: String? = nil, activation: String = "relu",
                normalize: String = "none", renames: [String] = []) {
        self.checkpoint = checkpoint; self.weights = weights; self.arch = arch
        self.activation = activation; self.normalize = normalize; self.renames = renames
    }

    /// A loaded model: the network, its input normalisation, and what was read.
    public struct Loaded {
        public var model: any Model
        /// nil when the normaliser must be fitted on the data at hand (`--normalize standard|minmax` with --weights).
        public var normalizer: Normalizer?
        public var normalization: NormalizationKind
        public var path: String
        public var metadata: [String: String]
        public var usedTensors: [String]
        public var ignoredTensors: [String]
        /// Set for int8 files (`tend quantize`): evaluation runs on the int8 path; `model` then holds ŵ.
        public var quantized: QuantizedModel? = nil
        /// `--weights`: the name layout recognised (`nn.Sequential indices 0, 2, 4`, `fcN`, …); nil for checkpoints.
        public var weightLayout: String? = nil

        /// The model inference should run: int8 when quantized, else the fp32 network.
        public var servable: any Predictor { quantized ?? model }
        /// Class index ↔ data label: the checkpoint's `class_labels`, else the identity (older files, imported weights).
        public var classLabels: ClassLabels { ClassLabels.of(metadata, classes: model.outputCount) }
    }

    public func load() throws -> Loaded {
        if let checkpoint, let q = try loadQuantized(path: checkpoint) { return q }
        if let checkpoint {
            let ck = try readModelFile(path: checkpoint)
            guard let archText = ck.metadata[Checkpoint.Key.arch] else {
                throw ModelFileError.notATendCheckpoint(path: checkpoint)
            }
            let architecture: Architecture
            do { architecture = try Architecture(json: archText) }
            catch { throw ModelFileError.unreadableMetadata(path: checkpoint, key: Checkpoint.Key.arch, excerpt: String(archText.prefix(80))) }
            let model: any Model
            do { model = try architecture.makeModel(seed: 0) } catch { throw ModelFileError.invalidArchitecture(path: checkpoint, reason: "\(error)") }
            let dict = Dictionary(ck.tensors, uniquingKeysWith: { a, _ in a })
            do { try model.load(dict) } catch { throw ModelFileError.tensorsDoNotFit(path: checkpoint, reason: "\(error)") }
            var norm: Normalizer? = nil
            if let n = ck.metadata[Checkpoint.Key.normalizer] {
                norm = try? JSONDecoder().decode(Normalizer.self, from: Data(n.utf8))
                if norm == nil { throw ModelFileError.unreadableMetadata(path: checkpoint, key: Checkpoint.Key.normalizer, excerpt: nil) }
            }
            let names = Set(model.parameters.map(\.name))
            return Loaded(model: model, normalizer: norm ?? nil, normalization: norm?.kind ?? .none, path: checkpoint,
                          metadata: ck.metadata, usedTensors: ck.tensors.map(\.0).filter { names.contains($0) },
                          ignoredTensors: ck.tensors.map(\.0).filter { !names.contains($0) })
        }
        let path = weights!
        let sizes = try parseWidths(arch!, what: "--arch")
        guard sizes.count >= 2 else { throw OptionError.rejected(option: "--arch", value: arch!, reason: "need at least an input and an output width, e.g. 64-32-10") }
        guard let act = Activation(rawValue: activation.lowercased()) else {
            throw OptionError.invalid(option: "--activation", value: activation, expected: "relu, gelu, tanh or sigmoid")
        }
        guard let kind = NormalizationKind(parsing: normalize) else {
            throw OptionError.invalid(option: "--normalize", value: normalize, expected: "none, standard, minmax or scale:K")
        }
        let rules = try renames.map(WeightNameMapping.Rename.init(parsing:))
        let file = try SafetensorsFile(path: path)
        let model = try Architecture.mlp(MLPLayout(sizes: sizes, activation: act, dropout: 0, layerNorm: false)).makeModel(seed: 0)
        let all = try SparseSafetensors.denseTensors(file)
        let mapping = try WeightNameMapping.resolve(all.map { ($0.0, $0.1.shape.dims) }, widths: sizes, renames: rules, path: path)
        var dict: [String: Tensor] = [:]
        for (name, t) in all { if let target = mapping.modelNames[name] { dict[target] = t } }
        do { try model.load(dict) } catch { throw ModelFileError.tensorsDoNotFit(path: path, reason: "\(error) (names read as \(mapping.layout))") }
        let fixed: Normalizer?
        switch kind {
        case .none: fixed = .identity(features: sizes[0])
        case .scale: fixed = Normalizer.fit(kind, on: Tensor(shape: [1, sizes[0]]))
        default: fixed = nil
        }
        return Loaded(model: model, normalizer: fixed, normalization: kind, path: path, metadata: file.metadata,
                      usedTensors: all.map(\.0).filter { mapping.modelNames[$0] != nil },
                      ignoredTensors: all.map(\.0).filter { mapping.modelNames[$0] == nil }, weightLayout: mapping.layout)
    }
}

/// Reads a checkpoint or weights file, rebuilding tensors stored sparse by `tend prune`.
public func readModelFile(path: String) throws -> Checkpoint {
    let file = try SafetensorsFile(path: path)
    return Checkpoint(tensors: try SparseSafetensors.denseTensors(file), metadata: file.metadata)
}


extension ModelLoader {
    /// An int8 file written by `tend quantize` (metadata `tend.quant.format`), or nil for any other file.
    public func loadQuantized(path: String) throws -> Loaded? {
        let file = try SafetensorsFile(path: path)
        guard file.metadata[QuantizedArchive.format] != nil else { return nil }
        guard let archText = file.metadata[Checkpoint.Key.arch],
              let architecture = try? Architecture(json: archText) else {
            throw ModelFileError.int8WithoutArch(path: path)
        }
        var records: [String: QuantizedTensorRecord] = [:]
        for info in file.tensorInfo {
            switch info.dtype {
            case .i8:
                let bytes = try file.bytes(info.name)
                records[info.name] = QuantizedTensorRecord(name: info.name, shape: info.shape, payload: .int8(bytes.map { Int8(bitPattern: $0) }))
            default:
                records[info.name] = QuantizedTensorRecord(name: info.name, shape: info.shape, payload: .float(try file.floatTensor(info.name).storage))
            }
        }
        let q: QuantizedModel
        do { q = try QuantizedArchive.model(architecture: architecture, records: records, metadata: file.metadata) }
        catch { throw ModelFileError.tensorsDoNotFit(path: path, reason: "\(error)") }
        var norm: Normalizer? = nil
        if let n = file.metadata[Checkpoint.Key.normalizer] {
            norm = try? JSONDecoder().decode(Normalizer.self, from: Data(n.utf8))
            if norm == nil { throw ModelFileError.unreadableMetadata(path: path, key: Checkpoint.Key.normalizer, excerpt: nil) }
        }
        return Loaded(model: q.dequantizedModel(), normalizer: norm, normalization: norm?.kind ?? .none, path: path,
                      metadata: file.metadata, usedTensors: file.names, ignoredTensors: [], quantized: q)
    }
}
