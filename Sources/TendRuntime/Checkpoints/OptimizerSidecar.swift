import Foundation
import TendEngine
import TendInterop
import TendTensor

/// Keeps a checkpoint's optimizer state (`adam.m.*`, `adam.v.*`, `adamw.*`, `sgd.velocity.*`) in a sibling
/// file, `NAME.optimizer.safetensors` beside `NAME.safetensors`, so the weights file holds exactly the
/// model's tensors and PyTorch's `load_state_dict(strict=True)` takes it. The weights file's metadata names
/// the sibling (`optimizer_file`, a file name in the same directory). Checkpoints written before, with the
/// state inline, still read and resume as they are.
///
/// Writing order: the sibling first, then the weights file (each atomic), so a weights file that names a
/// sibling always finds one written for it; a sibling without its weights file is a leftover.
public enum OptimizerSidecar {
    /// Metadata key of the weights file naming its sibling.
    public static let metadataKey = "optimizer_file"
    /// Name prefixes of optimizer state tensors (`Optimizer.stateTensors()`).
    public static let statePrefixes = ["adam.", "adamw.", "sgd."]

    /// `DIR/NAME.optimizer.safetensors` for `DIR/NAME.safetensors`.
    public static func siblingPath(of path: String) -> String {
        let stem = path.hasSuffix(".safetensors") ? String(path.dropLast(".safetensors".count)) : path
        return stem + ".optimizer.safetensors"
    }

    /// True for a sibling's file name (listings of checkpoints skip these).
    public static func isSibling(_ name: String) -> Bool { name.hasSuffix(".optimizer.safetensors") }

    /// True for an optimizer state tensor's name.
    public static func isOptimizerState(_ name: String) -> Bool { statePrefixes.contains { name.hasPrefix($0) } }

    /// Writes `checkpoint` as weights at `path` and, when it holds optimizer state, that state in the sibling.
    /// `write` is the atomic safetensors writer (injected so the store keeps its own error handling).
    public static func write(_ checkpoint: Checkpoint, to path: String,
                             write: ([(String, Tensor)], [String: String], String) throws -> Void = { try SafetensorsWriter.write(tensors: $0, metadata: $1, to: $2) }) throws {
        let weights = checkpoint.tensors.filter { !isOptimizerState($0.0) }
        let state = checkpoint.tensors.filter { isOptimizerState($0.0) }
        var meta = checkpoint.metadata
        if state.isEmpty {
            meta[metadataKey] = nil
        } else {
            let sibling = siblingPath(of: path)
            try write(state, [Checkpoint.Key.format: checkpoint.metadata[Checkpoint.Key.format] ?? Checkpoint.formatVersion,
                              "weights_file": (path as NSString).lastPathComponent], sibling)
            meta[metadataKey] = (sibling as NSString).lastPathComponent
        }
        try write(weights, meta, path)
    }

    /// Reads the checkpoint at `path` with its sibling's state appended when its metadata names one;
    /// a file without the key (older, state inline, or no state) reads as it is. Throws
    /// `CheckpointError.missingMetadata`-style `ModelFileError.tensorsDoNotFit` when the named sibling is gone.
    public static func read(_ path: String) throws -> Checkpoint {
        let file = try SafetensorsFile(path: path)
        var tensors: [(String, Tensor)] = []
        for info in file.tensorInfo { tensors.append((info.name, try file.floatTensor(info.name))) }
        if let name = file.metadata[metadataKey] {
            let sibling = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: sibling) else {
                throw ModelFileError.tensorsDoNotFit(path: path, reason: "its optimizer state file \(name) is missing; "
                    + "the weights load alone (tend eval), resuming needs \(sibling)")
            }
            let state = try SafetensorsFile(path: sibling)
            for info in state.tensorInfo { tensors.append((info.name, try state.floatTensor(info.name))) }
        }
        return Checkpoint(tensors: tensors, metadata: file.metadata)
    }
}
