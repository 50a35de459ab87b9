import Foundation
import TendEngine
import TendTensor
import TendInterop

/// Writes checkpoints as safetensors files under `directory`, atomically, keeping the newest
/// `keepEpochs` epoch checkpoints (older `epoch-*` files are deleted; `last`, `manual-*` are kept).
public final class FileCheckpointStore: CheckpointStore {
    public let directory: String
    public let keepEpochs: Int

    public init(directory: String, keepEpochs: Int = 5) throws {
        self.directory = directory
        self.keepEpochs = keepEpochs
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    public func save(_ checkpoint: Checkpoint, name: String) throws -> String {
        let path = (directory as NSString).appendingPathComponent(name + ".safetensors")
        try SafetensorsWriter.write(tensors: checkpoint.tensors, metadata: checkpoint.metadata, to: path)
        if name.hasPrefix("epoch-") { pruneOld() }
        return path
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
