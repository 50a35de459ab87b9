#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import TendTensor

/// Small file helpers for model directories.
enum ModelDirectoryFiles {
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// The JSON value of `path`, or a typed error naming it.
    static func json(_ path: String) throws(HuggingFaceModelError) -> JSONValue {
        let bytes: [UInt8]
        do { bytes = try readWholeFile(path) } catch { throw .unreadable(path: path, reason: error.reason) }
        do { return try JSONParser().parse(bytes) } catch { throw .badJSON(path: path, reason: error.description) }
    }

    /// Lines of a text file (vocab.txt), without the trailing empty line.
    static func lines(_ path: String) throws(HuggingFaceModelError) -> [Substring] {
        let bytes: [UInt8]
        do { bytes = try readWholeFile(path) } catch { throw .unreadable(path: path, reason: error.reason) }
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
