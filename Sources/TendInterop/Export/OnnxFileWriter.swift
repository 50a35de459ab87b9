import Foundation

/// Writes an `OnnxModel` to a `.onnx` file atomically (temp file, fsync, rename), like the safetensors writer.
public enum OnnxFileWriter {
    /// Protobuf messages are limited to 2 GiB; larger models need external data (not written by Tend).
    public static let maximumBytes = Int(Int32.max)

    /// Writes `model` to `path`; returns the byte count. A failed system call throws `FileWriteError` naming
    /// `path` and the size; `path` is untouched then.
    @discardableResult
    public static func write(_ model: OnnxModel, to path: String) throws -> Int {
        let bytes = model.encoded()
        guard bytes.count <= maximumBytes else {
            throw FileWriteError(path: path, code: EFBIG, bytesNeeded: bytes.count)
        }
        var file: AtomicFileWriter
        do { file = try AtomicFileWriter(path: path, expectedBytes: bytes.count) } catch {
            throw error.fileWriteError(bytesNeeded: bytes.count) ?? FileWriteError(path: path, code: EIO, bytesNeeded: bytes.count)
        }
        do {
            try file.write(bytes)
            try file.commit()
        } catch {
            file.abandon()
            throw error.fileWriteError(bytesNeeded: bytes.count) ?? FileWriteError(path: path, code: EIO, bytesNeeded: bytes.count)
        }
        return bytes.count
    }
}
