#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Follows one event file: remembers how far it has read, and on each `read` parses the complete
/// records appended since. A truncated last record is left for the next read (the writer is still
/// writing it); a record whose data fails its CRC is skipped with a warning; a bad length CRC stops
/// the file for good, with a warning naming the offset.
final class EventFileTail {
    let path: String
    private(set) var offset = 0
    private(set) var stopped = false
    private(set) var knownSize = 0
    /// Tags seen in this file, with their remembered plugins (metadata comes with a tag's first value only).
    var table = TagTable()

    init(path: String) { self.path = path }

    /// Refreshes `knownSize` from the file system.
    func statSize() -> Int {
        var st = stat()
        if stat(path, &st) == 0 { knownSize = Int(st.st_size) }
        return knownSize
    }

    var isCaughtUp: Bool { stopped || offset >= knownSize }

    /// Reads up to about `chunk` new bytes and decodes them into `into` (a fresh delta of tags).
    /// Returns the number of bytes consumed.
    func read(chunk: Int, capacity: Int, into tags: inout [String: TagSeries], warnings: inout [TensorBoardWarning],
              buffer: inout [UInt8]) -> Int {
        guard !stopped else { return 0 }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            warnings.append(TensorBoardWarning(path: path, offset: offset, kind: .unreadable, message: "cannot open: \(errnoText())"))
            stopped = true
            return 0
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return 0 }
        let size = Int(st.st_size)
        knownSize = size
        if size < offset {
            warnings.append(TensorBoardWarning(path: path, offset: offset, kind: .shrank,
                                               message: "file shrank to \(size) bytes below the read position; no longer followed"))
            stopped = true
            return 0
        }
        guard size > offset else { return 0 }
        var want = min(size - offset, chunk)
        // A record bigger than the chunk: read enough for it (its length is in the first 8 bytes).
        if want >= 8 {
            var lenBytes: UInt64 = 0
            if pread(fd, &lenBytes, 8, off_t(offset)) == 8 {
                let need = Int(clamping: UInt64(littleEndian: lenBytes)) &+ TFRecord.overhead
                if need > want && need > 0 && need <= size - offset { want = need }
            }
        }
        if buffer.count < want { buffer = [UInt8](repeating: 0, count: want) }
        let got: Int = buffer.withUnsafeMutableBytes { b in
            var done = 0
            while done < want {
                let n = pread(fd, b.baseAddress! + done, want - done, off_t(offset + done))
                if n < 0 { if errno == EINTR { continue }; break }
                if n == 0 { break }
                done += n
            }
            return done
        }
        let start = offset
        let consumed = buffer.withUnsafeBytes { b in
            parse(UnsafeRawBufferPointer(rebasing: b[0..<got]), fileOffset: start, capacity: capacity, into: &tags, warnings: &warnings)
        }
        offset += consumed
        return consumed
    }

    /// Parses complete records of `bytes` (which start at `fileOffset`); returns the bytes consumed.
    func parse(_ bytes: UnsafeRawBufferPointer, fileOffset: Int, capacity: Int, into tags: inout [String: TagSeries],
               warnings: inout [TensorBoardWarning]) -> Int {
        var acc = ChunkAccumulator(table: table, capacity: capacity)
        defer {
            table = acc.table
            for (i, series) in acc.series.enumerated() {
                guard let series else { continue }
                let name = table.names[i]
                if tags[name] == nil { tags[name] = series } else { tags[name]!.merge(series) }
            }
        }
        var pos = 0
        loop: while pos < bytes.count {
            switch TFRecord.step(bytes, at: pos) {
            case .incomplete:
                break loop
            case .badLengthCRC:
                warnings.append(TensorBoardWarning(path: path, offset: fileOffset + pos, kind: .badLengthCRC,
                    message: "record length fails its CRC; the rest of the file is ignored"))
                stopped = true
                break loop
            case .badDataCRC(let next):
                warnings.append(TensorBoardWarning(path: path, offset: fileOffset + pos, kind: .badDataCRC,
                    message: "record data fails its CRC; record skipped"))
                pos = next
            case .record(let data, let next):
                let record = UnsafeRawBufferPointer(rebasing: bytes[data])
                do throws(ProtoDecodeError) {
                    try EventDecoder.visit(record, &acc)
                } catch {
                    warnings.append(TensorBoardWarning(path: path, offset: fileOffset + pos, kind: .badProtobuf,
                        message: "undecodable event (\(error.reason) at byte \(error.offset) of its data); record skipped"))
                }
                pos = next
            }
        }
        return pos
    }
}

extension TagSeries {
    @inline(__always)
    mutating func add(_ content: SummaryValue.Content, plugin: String?, step: Int64, wallTime: Double) {
        if let plugin, self.plugin == nil { self.plugin = plugin }
        switch content {
        case .scalar(let v): append(ScalarPoint(step: step, wallTime: wallTime, value: v))
        case .histogram(let h): append(HistogramPoint(step: step, wallTime: wallTime, histogram: h))
        case .text(let t): append(TextPoint(step: step, wallTime: wallTime, text: t))
        case .skipped: skippedCount += 1
        }
    }
}

/// Decodes a whole in-memory event file (or a prefix of one) without a watcher.
public enum EventFileParser {
    /// The tags read from the complete records of `bytes`, the bytes consumed (a truncated last record
    /// is not), and any warnings (offsets relative to `bytes`; `name` stands for the path).
    public static func parse(_ bytes: UnsafeRawBufferPointer, name: String = "<memory>", maxPointsPerTag: Int = 4096)
        -> (tags: [String: TagSeries], consumed: Int, warnings: [TensorBoardWarning]) {
        let tail = EventFileTail(path: name)
        var tags: [String: TagSeries] = [:]
        var warnings: [TensorBoardWarning] = []
        let n = tail.parse(bytes, fileOffset: 0, capacity: maxPointsPerTag, into: &tags, warnings: &warnings)
        return (tags, n, warnings)
    }
}

/// The tags of one file: raw tag bytes → index, found by an FNV-1a hash in an open-addressed table, so a
/// record's tag costs a hash and a memcmp rather than a String and a dictionary lookup.
struct TagTable {
    private(set) var names: [String] = []
    private(set) var plugins: [String?] = []
    private var keys: [[UInt8]] = []
    private var hashes: [UInt64] = []
    private var slots = [Int32](repeating: -1, count: 64)

    @inline(__always)
    static func hash(_ b: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in b { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return h
    }

    /// Index of `tag`, adding it when new.
    @inline(__always)
    mutating func index(of tag: UnsafeRawBufferPointer) -> Int {
        let h = Self.hash(tag)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let k = Int(slots[i])
            if k < 0 { break }
            if hashes[k] == h && keys[k].count == tag.count
                && keys[k].withUnsafeBytes({ tag.count == 0 || memcmp($0.baseAddress!, tag.baseAddress!, tag.count) == 0 }) {
                return k
            }
            i = (i + 1) & mask
        }
        let k = names.count
        names.append(String(decoding: tag, as: UTF8.self))
        keys.append(Array(tag))
        hashes.append(h)
        plugins.append(nil)
        slots[i] = Int32(k)
        if names.count * 2 > slots.count { rehash() }
        return k
    }

    mutating func setPlugin(_ plugin: String, at k: Int) { if plugins[k] != plugin { plugins[k] = plugin } }

    private mutating func rehash() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (k, h) in hashes.enumerated() {
            var i = Int(truncatingIfNeeded: h) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(k)
        }
    }
}

/// Decodes one chunk's records into per-tag series (indexed like the file's `TagTable`).
struct ChunkAccumulator: EventVisitor {
    var table: TagTable
    let capacity: Int
    var series: [TagSeries?] = []
    var wallTime = 0.0
    var step: Int64 = 0
    var current = 0
    var currentPlugin: String?

    init(table: TagTable, capacity: Int) { self.table = table; self.capacity = capacity }

    mutating func header(wallTime: Double, step: Int64, fileVersion: String?) { self.wallTime = wallTime; self.step = step }

    @inline(__always)
    mutating func beginValue(tag: UnsafeRawBufferPointer, plugin: String?) -> String? {
        current = table.index(of: tag)
        if let plugin { table.setPlugin(plugin, at: current) }
        currentPlugin = plugin
        while series.count <= current { series.append(nil) }
        if series[current] == nil { series[current] = TagSeries(tag: table.names[current], capacity: capacity) }
        return table.plugins[current]
    }

    @inline(__always)
    mutating func value(_ content: SummaryValue.Content) {
        series[current]!.add(content, plugin: currentPlugin ?? table.plugins[current], step: step, wallTime: wallTime)
    }
}
