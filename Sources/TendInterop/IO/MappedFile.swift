#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory map of a whole file (`mmap(PROT_READ, MAP_PRIVATE)`). Pages are read from
/// disk only when touched, so opening a multi-GB file costs what its first pages cost.
/// Unmapped on deinit. The file must not be truncated by another process while mapped (SIGBUS).
final class MappedFile: @unchecked Sendable {
    let path: String
    let base: UnsafeRawPointer?
    let count: Int

    init(path: String) throws(FileReadError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileReadError(path: path, reason: errnoText()) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw FileReadError(path: path, reason: errnoText()) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw FileReadError(path: path, reason: "not a regular file") }
        count = Int(st.st_size)
        if count == 0 { base = nil; return }
        let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { throw FileReadError(path: path, reason: "mmap failed: \(errnoText())") }
        base = UnsafeRawPointer(p)
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// Bytes of the mapping in this process's resident set: the `Rss:` of its entry in `/proc/self/smaps`;
    /// where that is not readable, the pages `mincore` finds in memory (which counts the page cache, so it
    /// can be larger). nil if neither works.
    func residentBytes() -> Int? {
        guard let base, count > 0 else { return 0 }
        if let rss = Self.smapsRSS(start: UInt(bitPattern: base)) { return min(count, rss) }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        var vec = [UInt8](repeating: 0, count: (count + page - 1) / page)
        let rc = vec.withUnsafeMutableBufferPointer { v in mincore(UnsafeMutableRawPointer(mutating: base), count, v.baseAddress!) }
        guard rc == 0 else { return nil }
        return min(count, vec.reduce(0) { $0 + Int($1 & 1) } * page)
    }

    /// `Rss:` (bytes) of the `/proc/self/smaps` entry starting at `start`, or nil.
    static func smapsRSS(start: UInt) -> Int? {
        guard let bytes = try? readWholeFile("/proc/self/smaps") else { return nil }
        let hex = String(start, radix: 16)
        let key = String(repeating: "0", count: max(0, 8 - hex.count)) + hex + "-"   // smaps pads to 8 digits
        var inEntry = false
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            // An entry header is "start-end perms offset dev inode path"; field lines are "Name: value".
            let head = line.prefix { $0 != " " }
            if head.contains("-") && head.allSatisfy({ $0.isHexDigit || $0 == "-" }) {
                inEntry = head.hasPrefix(key)
                continue
            }
            if inEntry && line.hasPrefix("Rss:") {
                let kb = line.dropFirst(4).split(separator: " ").first.flatMap { Int($0) }
                return kb.map { $0 * 1024 }
            }
        }
        return nil
    }

    /// Drops the whole pages of `range` (offsets into the file; all of it when nil) from this process's resident set
    /// (`madvise(MADV_DONTNEED)`; they stay in the page cache and come back, unchanged, when touched): after a
    /// validation or packing pass that read them.
    func releaseResidentPages(in range: Range<Int>? = nil) {
        guard let base, count > 0 else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let r = range ?? 0..<count
        let start = (r.lowerBound + page - 1) / page * page
        let end = r.upperBound >= count ? count : r.upperBound / page * page
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }
}
