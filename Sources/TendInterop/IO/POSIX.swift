#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The text of the current `errno` ("No such file or directory").
func errnoText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

/// Reads a whole regular file into memory with `read(2)`, appending `extraZeroBytes` zero bytes
/// (a terminator for C-style scanners). Throws `FileReadError` naming the path.
func readWholeFile(_ path: String, extraZeroBytes: Int = 0) throws(FileReadError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw FileReadError(path: path, reason: errnoText()) }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { throw FileReadError(path: path, reason: errnoText()) }
    guard (st.st_mode & S_IFMT) == S_IFREG else { throw FileReadError(path: path, reason: "not a regular file") }
    // One spare byte beyond the reported size shows EOF without a regrowth; the file may grow meanwhile.
    var capacity = Int(st.st_size) + 1
    var bytes = [UInt8](repeating: 0, count: capacity + extraZeroBytes)
    var filled = 0
    while true {
        if filled == capacity {
            capacity += max(65536, capacity / 2)
            bytes.append(contentsOf: [UInt8](repeating: 0, count: capacity + extraZeroBytes - bytes.count))
        }
        let n = bytes.withUnsafeMutableBytes { buf in read(fd, buf.baseAddress! + filled, capacity - filled) }
        if n < 0 {
            if errno == EINTR { continue }
            throw FileReadError(path: path, reason: errnoText())
        }
        if n == 0 { break }
        filled += n
    }
    bytes.removeLast(bytes.count - filled - extraZeroBytes)
    return bytes
}

/// A file could not be opened or read.
struct FileReadError: Error {
    var path: String
    var reason: String
}
