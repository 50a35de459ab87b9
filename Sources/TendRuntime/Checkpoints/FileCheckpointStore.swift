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
            try SafetensorsWriter.write(tensors: checkpoint.tensors, metadata: checkpoint.metadata, to: path, io: io)
        } catch var e as FileWriteError {
            e.note = previousCheckpoint(excluding: name).map { "the previous checkpoint \($0) is intact" }
                ?? "no earlier checkpoint was written"
            onWriteFailure?(e)
            throw e
        }
        if name.hasPrefix("epoch-") { pruneOld() }
        return path
    }

    /// The stem of the newest checkpoint file in the directory other than `name` (by modification time).
    public func previousCheckpoint(excluding name: String) -> String? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        var best: (String, Date)?
        for n in names where n.hasSuffix(".safetensors") && n != name + ".safetensors" {
            let attrs = try? FileManager.default.attributesOfItem(atPath: (directory as NSString).appendingPathComponent(n))
            let date = attrs?[.modificationDate] as? Date ?? .distantPast
            if best == nil || date > best!.1 || (date == best!.1 && n > best!.0) { best = (n, date) }
        }
        return best.map { String($0.0.dropLast(".safetensors".count)) }
    }

    private func pruneOld() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let epochs = names.filter { $0.hasPrefix("epoch-") && $0.hasSuffix(".safetensors") }.sorted()
        for old in epochs.dropLast(keepEpochs) {
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(old))
        }
    }
}

/// Reads a checkpoint written by `FileCheckpointStore` (or any safetensors file) into a `Checkpoint` value.
public func readCheckpoint(path: String) throws -> Checkpoint {
    let file = try SafetensorsFile(path: path)
    var tensors: [(String, Tensor)] = []
    for info in file.tensorInfo { tensors.append((info.name, try file.floatTensor(info.name))) }
    return Checkpoint(tensors: tensors, metadata: file.metadata)
}
