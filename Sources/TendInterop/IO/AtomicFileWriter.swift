#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that readers see either the old complete file or the new complete one:
/// data goes to `<path>.tmp-<pid>` in the same directory, is fsynced, renamed over `path`,
/// and the directory is fsynced. On any failure the temporary file is removed and `path` is untouched.
/// `expectedBytes` (the whole file's size, when known) goes into a full disk's message; `io` is the write
/// call (a failing one in tests).
struct AtomicFileWriter {
    let path: String
    let tmpPath: String
    let expectedBytes: Int?
    let io: WriteCall
    private var fd: Int32 = -1

    init(path: String, expectedBytes: Int? = nil, io: WriteCall = .system) throws(AtomicWriteError) {
        self.path = path
        self.tmpPath = "\(path).tmp-\(getpid())"
        self.expectedBytes = expectedBytes
        self.io = io
        fd = open(tmpPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let code = errno
            throw AtomicWriteError(path: path, reason: "cannot create temporary file \(tmpPath): \(errnoText(code))", code: code)
        }
    }

    /// Writes all of `bytes` at the current position.
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws(AtomicWriteError) {
        if let failure = io.writeAll(fd, bytes) {
            throw AtomicWriteError(path: path, reason: "write to \(tmpPath) failed: \(errnoText(failure.code))", code: failure.code)
        }
    }

    mutating func write(_ bytes: [UInt8]) throws(AtomicWriteError) {
        var copy = self
        let result: Result<Void, AtomicWriteError> = bytes.withUnsafeBytes { b in
            do throws(AtomicWriteError) { try copy.write(b); return .success(()) } catch { return .failure(error) }
        }
        self = copy
        try result.get()
    }

    /// fsyncs, closes and renames the temporary file over `path`, then fsyncs the directory (unless
    /// `syncDirectory` is false: a later commit in the same directory will, e.g. a checkpoint after its sibling).
    mutating func commit(syncDirectory: Bool = true) throws(AtomicWriteError) {
        guard fsync(fd) == 0 else {
            let code = errno
            throw AtomicWriteError(path: path, reason: "fsync of \(tmpPath) failed: \(errnoText(code))", code: code)
        }
        let rc = close(fd)
        fd = -1
        guard rc == 0 else { throw AtomicWriteError(path: path, reason: "close of \(tmpPath) failed: \(errnoText())") }
        guard rename(tmpPath, path) == 0 else {
            throw AtomicWriteError(path: path, reason: "rename \(tmpPath) → \(path) failed: \(errnoText())")
        }
        guard syncDirectory else { return }
        let dir = Self.directory(of: path)
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }

    /// Closes and deletes the temporary file (after a failure). `path` is untouched.
    mutating func abandon() {
        if fd >= 0 { close(fd); fd = -1 }
        unlink(tmpPath)
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }
}

/// An atomic write failed; the target file was left as it was. `code`: the errno, when a system call failed.
struct AtomicWriteError: Error {
    var path: String
    var reason: String
    var code: Int32? = nil

    /// Tend's message for a failed system call (`path: no space left on device (needed 2.1 MB)`), nil otherwise.
    func fileWriteError(bytesNeeded: Int?) -> FileWriteError? {
        code.map { FileWriteError(path: path, code: $0, bytesNeeded: bytesNeeded) }
    }
}
