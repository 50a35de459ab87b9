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
    var size = Int(st.st_size)
    var bytes = [UInt8](repeating: 0, count: size + extraZeroBytes)
    var filled = 0
    while true {
        if filled == size {
            // The file may have grown since fstat: read until EOF.
            bytes.append(contentsOf: [UInt8](repeating: 0, count: 65536))
            size += 65536
        }
        let n = bytes.withUnsafeMutableBytes { buf in read(fd, buf.baseAddress! + filled, size - filled) }
        if n < 0 {
            if errno == EINTR { continue }
            throw FileReadError(path: path, reason: errnoText())
        }
        if n == 0 { break }
        filled += n
    }
    bytes.removeSubrange(filled..<(bytes.count - extraZeroBytes))
    return bytes
}

/// A file could not be opened or read.
struct FileReadError: Error {
    var path: String
    var reason: String
}
