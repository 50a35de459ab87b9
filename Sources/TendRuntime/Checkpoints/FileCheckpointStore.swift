import Foundation
import TendEngine
import TendTensor
import TendInterop

/// Writes checkpoints as safetensors files under `directory`, atomically, keeping the newest
/// `keepEpochs` epoch checkpoints (older `epoch-*` files are deleted; `last`, `manual-*` are kept).
/// Opening it removes the temporary files of killed writers (`*.tmp-PID` of dead processes).
/// A failed write throws (and reports to `onWriteFailure`) a `FileWriteError` naming the file, the size
/// and the previous checkpoint, which is intact.
public final class FileCheckpointStore: CheckpointStore {
    public let directory: String
    public let keepEpochs: Int
    /// The write call (tests inject a failing one).
    public let io: WriteCall
    /// Runs before each checkpoint is written (the session flushes metrics.jsonl and the event file, so the
    /// metrics always cover at least what the newest checkpoint covers).
    public var beforeSave: (() -> Void)?
    /// Hears of every failed checkpoint write at once (on the thread that saved).
    public var onWriteFailure: ((FileWriteError) -> Void)?
    /// Stale temporary files removed when the store was opened.
    public let removedTempFiles: [String]

    public init(directory: String, keepEpochs: Int = 5, io: WriteCall = .system) throws {
        self.directory = directory
        self.keepEpochs = keepEpochs
        self.io = io
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        removedTempFiles = StaleTempFiles.remove(in: directory)
    }

    public func save(_ checkpoint: Checkpoint, name: String) throws -> String {
        beforeSave?()
        let path = (directory as NSString).appendingPathComponent(name + ".safetensors")
        do {
            // The optimizer state first, in its sibling: a weights file only ever appears with its state beside it.
            var meta = checkpoint.metadata
            if checkpoint.optimizerStateCount > 0 {
                let sibling = FileCheckpointStore.optimizerFileName(name)
                try SafetensorsWriter.write(tensors: Array(checkpoint.optimizerTensors),
                                            metadata: ["tend.optimizer_state_of": name + ".safetensors",
                                                       Checkpoint.Key.step: checkpoint.metadata[Checkpoint.Key.step] ?? ""],
                                            to: (directory as NSString).appendingPathComponent(sibling), io: io,
                                            syncDirectory: false)   // the weights' commit below syncs the directory
                meta[Checkpoint.Key.optimizerFile] = sibling
            }
            try SafetensorsWriter.write(tensors: Array(checkpoint.modelTensors), metadata: meta, to: path, io: io)
        } catch var e as FileWriteError {
            e.note = previousCheckpoint(excluding: name).map { "the previous checkpoint \($0) is intact" }
                ?? "no earlier checkpoint was written"
            onWriteFailure?(e)
            throw e
        }
        if name.hasPrefix("epoch-") { pruneOld() }
        return path
    }

    /// `NAME.optimizer.safetensors`: the sibling holding checkpoint NAME's optimizer state.
    public static func optimizerFileName(_ name: String) -> String { name + optimizerSuffix }
    static let optimizerSuffix = ".optimizer.safetensors"

    /// True for a checkpoint's weights file name (not an optimizer sibling).
    public static func isCheckpointFile(_ fileName: String) -> Bool {
        fileName.hasSuffix(".safetensors") && !fileName.hasSuffix(optimizerSuffix)
    }

    /// The stem of the newest checkpoint file in the directory other than `name` (by modification time).
    public func previousCheckpoint(excluding name: String) -> String? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        var best: (String, Date)?
        for n in names where FileCheckpointStore.isCheckpointFile(n) && n != name + ".safetensors" {
            let attrs = try? FileManager.default.attributesOfItem(atPath: (directory as NSString).appendingPathComponent(n))
            let date = attrs?[.modificationDate] as? Date ?? .distantPast
            if best == nil || date > best!.1 || (date == best!.1 && n > best!.0) { best = (n, date) }
        }
        return best.map { String($0.0.dropLast(".safetensors".count)) }
    }

    private func pruneOld() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let epochs = names.filter { $0.hasPrefix("epoch-") && FileCheckpointStore.isCheckpointFile($0) }.sorted()
        for old in epochs.dropLast(keepEpochs) {
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(old))
            let stem = String(old.dropLast(".safetensors".count))
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(FileCheckpointStore.optimizerFileName(stem)))
        }
    }
}

/// Reads a checkpoint written by `FileCheckpointStore` (or any safetensors file) into a `Checkpoint` value,
/// with the optimizer state of its sibling file (`optimizer_file`) appended. Older checkpoints hold the state
/// inline (`adam.m.*` beside the weights) and read as they are.
public func readCheckpoint(path: String) throws -> Checkpoint {
    let file = try SafetensorsFile(path: path)
    var tensors: [(String, Tensor)] = []
    for info in file.tensorInfo { tensors.append((info.name, try file.floatTensor(info.name))) }
    var count = 0
    if let sibling = file.metadata[Checkpoint.Key.optimizerFile] {
        let siblingPath = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(sibling)
        let state = try SafetensorsFile(path: siblingPath)
        // `last` is rewritten in place: a kill between its two renames pairs new state with old weights.
        let weightsStep = file.metadata[Checkpoint.Key.step] ?? "", stateStep = state.metadata[Checkpoint.Key.step] ?? ""
        guard weightsStep == stateStep else {
            throw CheckpointError.badMetadata(key: Checkpoint.Key.optimizerFile,
                                              value: "\(siblingPath) holds the optimizer state of step \(stateStep), \(path) the weights of step \(weightsStep); resume from an epoch-* checkpoint")
        }
        for info in state.tensorInfo { tensors.append((info.name, try state.floatTensor(info.name))) }
        count = state.tensorInfo.count
    }
    return Checkpoint(tensors: tensors, metadata: file.metadata, optimizerStateCount: count)
}
