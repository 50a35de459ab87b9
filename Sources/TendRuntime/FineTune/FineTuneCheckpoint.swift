import Foundation
import TendEngine
import TendInterop
import TendTensor

/// A fine-tune checkpoint: a directory that is a Hugging Face model directory (the input model's tensor names
/// and `config.json`, tokenizer and pooling files copied), whose `model.safetensors` also holds the head
/// (`classifier.weight` [classes, hidden], `classifier.bias`) and Tend's metadata (`tend.*`: labels, pooling,
/// max length, optimizer step, recipe), with the AdamW state (`adamw.{m,v}.<name>`) in `optimizer.safetensors`
/// beside it. `transformers.AutoModel.from_pretrained(dir)` loads the encoder unchanged.
public enum FineTuneCheckpoint {
    public static let weightsFile = "model.safetensors"
    public static let optimizerFile = "optimizer.safetensors"
    /// Files copied from the input model directory when present.
    static let sideFiles = ["config.json", "vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                            "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json", "1_Pooling/config.json"]

    /// Metadata keys of `model.safetensors` (besides `Checkpoint.Key.step`, `.epoch`, `.classLabels`, `.dataPath`, `.labelColumn`).
    public enum Key {
        public static let kind = "tend.kind"
        public static let options = "tend.options"
        public static let pooling = "tend.pooling"
        public static let maxLength = "tend.max_length"
        public static let textColumn = "tend.text_column"
        public static let baseModel = "tend.base_model"
    }
    public static let kindValue = "bert-classifier"

    /// Writes checkpoint `name` under `directory` atomically: into `.NAME.tmp-PID`, then renamed over `NAME`
    /// (the previous one is removed only after). `tensors` are the weights (already named as in the input model),
    /// `optimizerState` the AdamW moments; `sideFiles` the input directory's (`readSideFiles`).
    /// Returns the checkpoint's path.
    @discardableResult
    public static func write(directory: String, name: String, tensors: [(String, Tensor)], optimizerState: [(String, Tensor)],
                             metadata: [String: String], sideFiles: [(String, Data)]) throws -> String {
        let fm = FileManager.default
        let final = (directory as NSString).appendingPathComponent(name)
        let tmp = (directory as NSString).appendingPathComponent(".\(name).tmp-\(getpid())")
        try? fm.removeItem(atPath: tmp)
        do {
            try fm.createDirectory(atPath: tmp, withIntermediateDirectories: true)
            for (f, bytes) in sideFiles {
                let to = (tmp as NSString).appendingPathComponent(f)
                try fm.createDirectory(atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try bytes.write(to: URL(fileURLWithPath: to))
            }
        } catch {
            throw RunError.cannotWrite(what: "checkpoint", path: tmp, reason: error.localizedDescription)
        }
        var meta = metadata
        meta["format"] = "pt"   // transformers refuses safetensors metadata without it
        meta[Key.kind] = kindValue
        meta[Checkpoint.Key.optimizerFile] = optimizerFile
        try SafetensorsWriter.write(tensors: optimizerState, metadata: ["format": "pt", Checkpoint.Key.step: meta[Checkpoint.Key.step] ?? ""],
                                    to: (tmp as NSString).appendingPathComponent(optimizerFile), syncDirectory: false)
        try SafetensorsWriter.write(tensors: tensors, metadata: meta, to: (tmp as NSString).appendingPathComponent(weightsFile))
        let old = (directory as NSString).appendingPathComponent(".\(name).old-\(getpid())")
        do {
            if fm.fileExists(atPath: final) || (try? fm.destinationOfSymbolicLink(atPath: final)) != nil { try fm.moveItem(atPath: final, toPath: old) }
            try fm.moveItem(atPath: tmp, toPath: final)
        } catch {
            throw RunError.cannotWrite(what: "checkpoint", path: final, reason: error.localizedDescription)
        }
        try? fm.removeItem(atPath: old)
        return final
    }

    /// The config, tokenizer and pooling files of model directory `source` that exist, by relative path.
    public static func readSideFiles(_ source: String) -> [(String, Data)] {
        sideFiles.compactMap { f in FileManager.default.contents(atPath: (source as NSString).appendingPathComponent(f)).map { (f, $0) } }
    }

    /// Whether `path` is a directory (a fine-tune checkpoint, not an MLP's .safetensors file).
    public static func isCheckpoint(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// A checkpoint read back: the encoder (mapped from the directory), the head, labels and optimizer state.
    public struct Loaded {
        public var directory: String
        public var encoder: LoadedEncoder
        public var tokenizer: WordPieceTokenizer
        public var headWeight: Tensor
        public var headBias: Tensor
        public var classLabels: ClassLabels
        public var metadata: [String: String]
        /// `adamw.{m,v}.<name>` (empty when the optimizer file is absent).
        public var optimizerState: [String: Tensor]
        public var step: Int
        public var maxLength: Int?
        public var pooling: Pooling
        /// The recipe the run was started with.
        public var options: FineTuneOptions?
    }

    /// Reads checkpoint directory `path`. A directory without Tend's head (a plain pretrained model, or another
    /// family's checkpoint) is `TextFineTuneError.notAFineTuneCheckpoint` naming it.
    public static func read(_ path: String) throws -> Loaded {
        var dir = path
        while dir.count > 1 && dir.hasSuffix("/") { dir.removeLast() }
        let weights = (dir as NSString).appendingPathComponent(weightsFile)
        guard FileManager.default.fileExists(atPath: weights) else { throw TextFineTuneError.notAFineTuneCheckpoint(path: dir, reason: "no \(weightsFile) in it") }
        let file = try SafetensorsFile(path: weights)
        guard file.metadata[Key.kind] == kindValue, file.names.contains("classifier.weight"), file.names.contains("classifier.bias") else {
            throw TextFineTuneError.notAFineTuneCheckpoint(path: dir, reason: "\(weights) has no tend.kind=\(kindValue) head (classifier.weight, classifier.bias)")
        }
        let encoder = try HuggingFaceModel.loadEncoder(directory: dir)
        let tokenizer = try TokenizerFiles.load(directory: dir)
        let w = try file.floatTensor("classifier.weight"), b = try file.floatTensor("classifier.bias")
        let labels = ClassLabels.of(file.metadata, classes: w.shape[0])
        guard labels.count == w.shape[0] else {
            throw TextFineTuneError.notAFineTuneCheckpoint(path: dir, reason: "class_labels lists \(labels.count) labels, the head has \(w.shape[0]) rows")
        }
        let step = Int(file.metadata[Checkpoint.Key.step] ?? "") ?? 0
        var state: [String: Tensor] = [:]
        let optPath = (dir as NSString).appendingPathComponent(optimizerFile)
        if FileManager.default.fileExists(atPath: optPath) {
            let opt = try SafetensorsFile(path: optPath)
            guard (opt.metadata[Checkpoint.Key.step] ?? "") == (file.metadata[Checkpoint.Key.step] ?? "") else {
                throw TextFineTuneError.notAFineTuneCheckpoint(path: dir, reason: "\(optPath) holds the state of step \(opt.metadata[Checkpoint.Key.step] ?? "?"), the weights are of step \(step)")
            }
            for (n, t) in try opt.floatTensors() { state[n] = t }
        }
        let options = file.metadata[Key.options].flatMap { try? JSONDecoder().decode(FineTuneOptions.self, from: Data($0.utf8)) }
        return Loaded(directory: dir, encoder: encoder, tokenizer: tokenizer, headWeight: w, headBias: b, classLabels: labels,
                      metadata: file.metadata, optimizerState: state, step: step,
                      maxLength: file.metadata[Key.maxLength].flatMap { Int($0) },
                      pooling: file.metadata[Key.pooling].flatMap { Pooling(rawValue: $0) } ?? encoder.encoder.pooling, options: options)
    }
}

/// Why a fine-tune run or checkpoint was refused.
public enum TextFineTuneError: Error, CustomStringConvertible, Equatable {
    case notAFineTuneCheckpoint(path: String, reason: String)
    case classesDiffer(path: String, data: String, checkpointLabels: [Int], dataLabels: [Int])
    case emptySplit(path: String, split: String, rows: Int)

    public var description: String {
        switch self {
        case let .notAFineTuneCheckpoint(p, r): return "\(p) is not a Tend fine-tune checkpoint: \(r) (give RUN/checkpoints/epoch-NNNN or last)"
        case let .classesDiffer(p, d, c, l):
            return "\(d) has labels \(l.map(String.init).joined(separator: ",")); the checkpoint \(p) was made for \(c.map(String.init).joined(separator: ","))"
        case let .emptySplit(p, s, n): return "\(p): the \(s) split is empty (\(n) rows in all); give more rows or change --val-fraction/--test-fraction/--limit"
        }
    }
}
