import TendTensor

/// Writes safetensors files atomically. The header lists tensors in the given order (`__metadata__`
/// first when non-empty, keys sorted) and is padded with spaces to a multiple of 8 bytes; the data
/// section holds them contiguously, widest element type first (stable), so every tensor starts at a
/// file offset that is a multiple of its element size (mmap-friendly for any reader).
/// The file appears complete at `path` or not at all (temporary file, fsync, rename, fsync of the directory).
public enum SafetensorsWriter {
    /// Writes F32 tensors in the given order.
    /// A failed system call (full disk, …) throws `FileWriteError` naming `path` and the file's size; `path` is untouched.
    /// `syncDirectory: false` leaves the directory's fsync to a later write in the same directory.
    public static func write(tensors: [(String, Tensor)], metadata: [String: String] = [:], to path: String,
                             io: WriteCall = .system, syncDirectory: Bool = true) throws {
        try write(entries: tensors.map { SafetensorsEntry(name: $0.0, tensor: $0.1) }, metadata: metadata, to: path, io: io,
                  syncDirectory: syncDirectory)
    }

    /// Writes typed entries in the given order.
    public static func write(entries: [SafetensorsEntry], metadata: [String: String] = [:], to path: String,
                             io: WriteCall = .system, syncDirectory: Bool = true) throws {
        let (header, layout) = try headerBytes(entries: entries, metadata: metadata, path: path)
        let total = layout.reduce(8 + header.count) { $0 + (entries[$1].expectedByteCount ?? 0) }
        var file: AtomicFileWriter
        do { file = try AtomicFileWriter(path: path, expectedBytes: total, io: io) } catch {
            throw error.fileWriteError(bytesNeeded: total) ?? SafetensorsError.writeFailed(path: path, reason: error.reason)
        }
        do {
            var length = UInt64(header.count).littleEndian
            try withUnsafeBytes(of: &length) { try file.write($0) }
            try file.write(header)
            for entry in layout.map({ entries[$0] }) {
                switch entry.payload {
                case let .bytes(b): try file.write(b)
                case let .floats(f): try f.withUnsafeBytes { try file.write($0) }
                case let .produce(make):
                    let b: [UInt8]
                    do { b = try make() } catch {
                        throw SafetensorsError.writeFailed(path: path, reason: "data for tensor \"\(entry.name)\" failed: \(error)")
                    }
                    guard b.count == entry.expectedByteCount else {
                        throw SafetensorsError.byteCountMismatch(path: path, tensor: entry.name, dtype: entry.dtype, shape: entry.shape,
                                                                 expected: entry.expectedByteCount ?? -1, actual: b.count)
                    }
                    try file.write(b)
                }
            }
            try file.commit(syncDirectory: syncDirectory)
        } catch let error as AtomicWriteError {
            file.abandon()
            throw error.fileWriteError(bytesNeeded: total) ?? SafetensorsError.writeFailed(path: path, reason: error.reason)
        } catch {
            file.abandon()
            throw error
        }
    }

    /// The header JSON, padded with spaces to a multiple of 8 bytes, and the order (indices into
    /// `entries`) in which their bytes follow. Validates names and byte counts.
    static func headerBytes(entries: [SafetensorsEntry], metadata: [String: String], path: String) throws -> (header: [UInt8], layout: [Int]) {
        var out: [UInt8] = [UInt8(ascii: "{")]
        var first = true
        func comma() { if !first { out.append(UInt8(ascii: ",")) }; first = false }
        if !metadata.isEmpty {
            comma()
            JSONWriter.appendString("__metadata__", to: &out)
            out.append(contentsOf: Array(":{".utf8))
            for (i, key) in metadata.keys.sorted().enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                JSONWriter.appendString(metadata[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        var seen = Set<String>()
        var sizes: [Int] = []
        for e in entries {
            if e.name.isEmpty { throw SafetensorsError.invalidName(path: path, tensor: e.name, reason: "empty name") }
            if e.name == "__metadata__" { throw SafetensorsError.invalidName(path: path, tensor: e.name, reason: "reserved for metadata") }
            if !seen.insert(e.name).inserted { throw SafetensorsError.invalidName(path: path, tensor: e.name, reason: "appears twice") }
            guard let size = e.expectedByteCount else {
                throw SafetensorsError.invalidName(path: path, tensor: e.name, reason: "invalid shape \(e.shape)")
            }
            let given: Int?
            switch e.payload {
            case let .bytes(b): given = b.count
            case let .floats(f): given = f.count * 4
            case .produce: given = nil
            }
            if let given, given != size {
                throw SafetensorsError.byteCountMismatch(path: path, tensor: e.name, dtype: e.dtype, shape: e.shape, expected: size, actual: given)
            }
            sizes.append(size)
        }
        // Widest elements first keeps every tensor aligned to its element size.
        let layout = entries.indices.sorted { a, b in
            let (wa, wb) = (entries[a].dtype.byteSize, entries[b].dtype.byteSize)
            return wa != wb ? wa > wb : a < b
        }
        var offsets = [Int](repeating: 0, count: entries.count)
        var offset = 0
        for i in layout { offsets[i] = offset; offset += sizes[i] }
        for (i, e) in entries.enumerated() {
            comma()
            JSONWriter.appendString(e.name, to: &out)
            out.append(contentsOf: ":{\"dtype\":".utf8)
            JSONWriter.appendString(e.dtype.rawValue, to: &out)
            out.append(contentsOf: ",\"shape\":[".utf8)
            out.append(contentsOf: e.shape.map(String.init).joined(separator: ",").utf8)
            out.append(contentsOf: "],\"data_offsets\":[\(offsets[i]),\(offsets[i] + sizes[i])]}".utf8)
        }
        out.append(UInt8(ascii: "}"))
        while out.count % 8 != 0 { out.append(0x20) }
        return (out, layout)
    }
}
