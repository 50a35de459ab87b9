import TendTensor

/// An open safetensors file. Opening maps the file and validates only the header, so a
/// multi-GB file opens in the time it takes to read its header; tensor bytes are read
/// (paged in) when a tensor is requested. Immutable after init; safe to share across threads.
public final class SafetensorsFile: @unchecked Sendable {
    public let path: String
    /// Every tensor, in header order (the order the writer was given), with dtype, shape and byte range; reading it touches no data.
    public let tensorInfo: [SafetensorsTensorInfo]
    /// The `__metadata__` strings (empty if absent).
    public let metadata: [String: String]
    /// Absolute file offset of the data section.
    public let dataStart: Int
    /// Size of the whole file in bytes.
    public let fileSize: Int

    private let storage: Storage
    private let index: [String: Int]

    private enum Storage {
        case mapped(MappedFile)
        case owned([UInt8])
    }

    /// Maps and validates the file at `path`.
    public init(path: String) throws {
        let map: MappedFile
        do { map = try MappedFile(path: path) } catch { throw SafetensorsError.unreadable(path: path, reason: error.reason) }
        let header = try SafetensorsHeader.parse(map.bytes, path: path)
        self.path = path
        self.storage = .mapped(map)
        self.fileSize = map.count
        self.tensorInfo = header.tensors
        self.metadata = header.metadata
        self.dataStart = header.dataStart
        self.index = Dictionary(header.tensors.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Validates a file already in memory; `name` stands for the path in errors.
    public init(bytes: [UInt8], name: String = "<memory>") throws {
        let header = try bytes.withUnsafeBytes { buf in try SafetensorsHeader.parse(buf, path: name) }
        self.path = name
        self.storage = .owned(bytes)
        self.fileSize = bytes.count
        self.tensorInfo = header.tensors
        self.metadata = header.metadata
        self.dataStart = header.dataStart
        self.index = Dictionary(header.tensors.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Tensor names in header order.
    public var names: [String] { tensorInfo.map(\.name) }

    /// The entry for `name`, or `SafetensorsError.tensorNotFound` listing the names.
    public func info(_ name: String) throws -> SafetensorsTensorInfo {
        guard let i = index[name] else { throw SafetensorsError.tensorNotFound(path: path, tensor: name, available: names) }
        return tensorInfo[i]
    }

    private func withData<R>(_ info: SafetensorsTensorInfo, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch storage {
        case let .mapped(map):
            return try body(UnsafeRawBufferPointer(rebasing: map.bytes[(dataStart + info.byteRange.lowerBound)..<(dataStart + info.byteRange.upperBound)]))
        case let .owned(bytes):
            return try bytes.withUnsafeBytes { all in
                try body(UnsafeRawBufferPointer(rebasing: all[(dataStart + info.byteRange.lowerBound)..<(dataStart + info.byteRange.upperBound)]))
            }
        }
    }

    /// The tensor `name` as Float, converting F64/F16/BF16/integers/BOOL on load. Shape `[]` gives a scalar tensor.
    public func floatTensor(_ name: String) throws -> Tensor {
        let info = try info(name)
        let count = info.elementCount
        let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            withData(info) { raw in
                if count > 0 { ElementConversion.convert(info.dtype, from: raw.baseAddress!, count: count, into: out.baseAddress!) }
            }
            initialized = count
        }
        return Tensor(shape: Shape(info.shape), storage: values)
    }

    /// Every tensor as Float, in header order.
    public func floatTensors() throws -> [(name: String, tensor: Tensor)] {
        try tensorInfo.map { ($0.name, try floatTensor($0.name)) }
    }

    /// The raw little-endian bytes of tensor `name` (for U8/I8/I32 blobs of quantized or sparse storage).
    public func bytes(_ name: String) throws -> [UInt8] {
        let info = try info(name)
        return withData(info) { Array($0) }
    }

    /// Calls `body` with the tensor's bytes in place (no copy; valid only during the call).
    public func withBytes<R>(_ name: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let info = try info(name)
        return try withData(info, body)
    }

    /// The F32 tensor `name` read in place from the mapping (no copy; the storage keeps this file mapped),
    /// or nil when that cannot be: another dtype, data not 4-byte aligned, a big-endian host, or a file
    /// read into memory rather than mapped.
    public func borrowedFloats(_ name: String) throws -> WeightStorage? {
        let info = try info(name)
        guard info.dtype == .f32, 1.littleEndian == 1, case let .mapped(map) = storage, let base = map.base else { return nil }
        let offset = dataStart + info.byteRange.lowerBound
        let address = base + offset
        guard Int(bitPattern: address) % MemoryLayout<Float>.alignment == 0, info.elementCount > 0 else { return nil }
        return WeightStorage(borrowing: address.assumingMemoryBound(to: Float.self), shape: Shape(info.shape), owner: self)
    }

    /// Bytes of the file mapped (its size when mapped, 0 when read into memory).
    public var mappedBytes: Int {
        if case .mapped = storage { return fileSize }
        return 0
    }

    /// Bytes of the mapping in this process's resident set (`/proc/self/smaps`, else `mincore`); 0 for a file read into memory.
    public var residentMappedBytes: Int {
        if case let .mapped(map) = storage { return map.residentBytes() ?? 0 }
        return 0
    }

    /// Drops the mapping's pages (of tensor `name` only, whole pages inside its data, when given) from the
    /// resident set; they are re-read from the page cache when touched.
    public func releaseResidentPages(of name: String? = nil) {
        guard case let .mapped(map) = storage else { return }
        guard let name else { map.releaseResidentPages(); return }
        guard let info = try? info(name) else { return }
        map.releaseResidentPages(in: (dataStart + info.byteRange.lowerBound)..<(dataStart + info.byteRange.upperBound))
    }
}
