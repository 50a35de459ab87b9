#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only file of whole records (metrics.jsonl lines, TFRecord-framed events). A batch that fails to
/// write (a full disk) is cut off again (`ftruncate` to the length before it), so the file always ends at a record
/// boundary; the caller keeps the batch for the next try. Not thread-safe: its owner serialises calls.
struct RecordFile {
    let path: String
    private(set) var fd: Int32
    /// Bytes of whole records in the file: where the next batch starts.
    private(set) var length: Int
    let io: WriteCall

    /// Opens `path` for appending (creating it), keeping its first `validLength(bytes)` bytes: a torn tail left by a
    /// crash is cut off. `validLength` gets the file's current contents; nil keeps everything.
    init(path: String, io: WriteCall, validLength: (([UInt8]) -> Int)? = nil) throws(FileReadError) {
        self.path = path
        self.io = io
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileReadError(path: path, reason: errnoText()) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { let r = errnoText(); Glibc.close(fd); throw FileReadError(path: path, reason: r) }
        var length = Int(st.st_size)
        if length > 0, let validLength {
            let bytes = (try? readWholeFile(path)) ?? []
            let keep = min(validLength(bytes), bytes.count)
            if keep < length, ftruncate(fd, off_t(keep)) == 0 { length = keep }
        }
        self.fd = fd
        self.length = length
    }

    /// Appends `bytes` whole or not at all; on failure the file is truncated back and the error names the file.
    mutating func append(_ bytes: [UInt8]) -> FileWriteError? {
        guard fd >= 0, !bytes.isEmpty else { return nil }
        let failure = bytes.withUnsafeBytes { io.writeAll(fd, $0) }
        guard let failure else { length += bytes.count; return nil }
        if failure.written > 0 { _ = ftruncate(fd, off_t(length)) }
        return FileWriteError(path: path, code: failure.code, bytesNeeded: bytes.count)
    }

    /// Writes the file's data to the disk (`fdatasync`).
    func sync() { if fd >= 0 { _ = fdatasync(fd) } }

    mutating func close() {
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = Glibc.close(fd)
        fd = -1
    }

    /// Bytes of `contents` up to and including its last newline (a metrics.jsonl without its torn last line).
    static func wholeLines(_ contents: [UInt8]) -> Int {
        guard let last = contents.lastIndex(of: 0x0A) else { return 0 }
        return last + 1
    }
}
