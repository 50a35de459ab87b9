/// The validated header of a safetensors file: tensors in header order, metadata strings,
/// and where the data section starts. Built only by `parse`, which checks every rule of the format.
struct SafetensorsHeader {
    var tensors: [SafetensorsTensorInfo]
    var metadata: [String: String]
    /// Absolute file offset of the data section (8 + header length).
    var dataStart: Int
    var dataLength: Int

    /// Largest header accepted (the reference implementation's limit).
    static let maxHeaderBytes = 100_000_000
    /// Most JSON values accepted in a header (a real model with 100k tensors uses under 1M):
    /// bounds the parser's memory whatever the header holds.
    static let maxHeaderValues = 4_000_000

    /// Validates `file` (the whole file, which may be a memory map; only the header bytes are read).
    static func parse(_ file: UnsafeRawBufferPointer, path: String) throws(SafetensorsError) -> SafetensorsHeader {
        let size = file.count
        guard size >= 8 else { throw .truncated(path: path, expectedBytes: 8, actualBytes: size) }
        let declared = file.loadUnaligned(fromByteOffset: 0, as: UInt64.self).littleEndian
        guard declared <= UInt64(maxHeaderBytes) else { throw .headerTooLarge(path: path, declared: declared, limit: maxHeaderBytes) }
        let n = Int(declared)
        guard 8 + n <= size else { throw .headerBeyondFile(path: path, declared: declared, fileSize: size) }
        guard n > 0 else { throw .badJSON(path: path, byteOffset: 8, reason: "header is empty") }
        let json: JSONValue
        do { json = try JSONParser(maxValues: maxHeaderValues).parse(UnsafeRawBufferPointer(rebasing: file[8..<(8 + n)])) } catch {
            throw .badJSON(path: path, byteOffset: 8 + error.offset, reason: error.reason)
        }
        guard case let .object(members) = json else {
            throw .badJSON(path: path, byteOffset: 8, reason: "header is a JSON \(json.kindName), not an object")
        }
        var tensors: [SafetensorsTensorInfo] = []
        tensors.reserveCapacity(members.count)
        var metadata: [String: String] = [:]
        for (key, value) in members {
            if key == "__metadata__" {
                guard case let .object(pairs) = value else {
                    throw .metadataNotString(path: path, key: "__metadata__", kind: value.kindName)
                }
                for (k, v) in pairs {
                    guard let s = v.stringValue else { throw .metadataNotString(path: path, key: k, kind: v.kindName) }
                    metadata[k] = s
                }
                continue
            }
            tensors.append(try tensorInfo(key, value, path: path))
        }
        let headerOrder = tensors
        tensors.sort { ($0.byteRange.lowerBound, $0.byteRange.upperBound) < ($1.byteRange.lowerBound, $1.byteRange.upperBound) }
        // Overlaps: in offset order, a non-empty range must start at or after the furthest end so far.
        var furthest: (end: Int, index: Int)? = nil
        for (i, t) in tensors.enumerated() where !t.byteRange.isEmpty {
            if let f = furthest, t.byteRange.lowerBound < f.end {
                let a = tensors[f.index]
                throw .overlappingRanges(path: path, first: a.name, firstRange: a.byteRange, second: t.name, secondRange: t.byteRange)
            }
            if furthest == nil || t.byteRange.upperBound > furthest!.end { furthest = (t.byteRange.upperBound, i) }
        }
        let dataStart = 8 + n
        let dataLength = size - dataStart
        if let last = furthest, last.end > dataLength {
            // A contiguous layout that runs past the end means the file was cut short;
            // a jump past the end means a corrupt or hostile offset.
            var expected = 0
            var contiguous = true
            for t in tensors where !t.byteRange.isEmpty {
                if t.byteRange.lowerBound != expected { contiguous = false; break }
                expected = t.byteRange.upperBound
            }
            if contiguous {
                let cut = tensors.first { $0.byteRange.upperBound > dataLength }!
                throw .truncatedTensor(path: path, tensor: cut.name, expectedBytes: dataStart + last.end, actualBytes: size)
            }
            let bad = tensors.first { $0.byteRange.upperBound > dataLength }!
            throw .rangeOutsideData(path: path, tensor: bad.name, range: bad.byteRange, dataLength: dataLength, dataStart: dataStart)
        }
        // Zero-length tensors may sit at any offset up to the end of the data section.
        if let bad = tensors.first(where: { $0.byteRange.lowerBound > dataLength }) {
            throw .rangeOutsideData(path: path, tensor: bad.name, range: bad.byteRange, dataLength: dataLength, dataStart: dataStart)
        }
        return SafetensorsHeader(tensors: headerOrder, metadata: metadata, dataStart: dataStart, dataLength: dataLength)
    }

    private static func tensorInfo(_ name: String, _ value: JSONValue, path: String) throws(SafetensorsError) -> SafetensorsTensorInfo {
        guard case .object = value else {
            throw .invalidTensorEntry(path: path, tensor: name, reason: "entry is a \(value.kindName), expected an object with dtype, shape and data_offsets")
        }
        guard let dtypeValue = value["dtype"] else { throw .invalidTensorEntry(path: path, tensor: name, reason: "missing \"dtype\"") }
        guard let dtypeName = dtypeValue.stringValue else {
            throw .invalidTensorEntry(path: path, tensor: name, reason: "\"dtype\" is a \(dtypeValue.kindName), expected a string")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else { throw .unknownDType(path: path, tensor: name, dtype: dtypeName) }
        guard case let .array(shapeItems)? = value["shape"] else {
            throw .invalidTensorEntry(path: path, tensor: name, reason: "missing or non-array \"shape\"")
        }
        var shape: [Int] = []
        shape.reserveCapacity(shapeItems.count)
        var elements = 1
        var overflow = false
        for item in shapeItems {
            guard let d = item.intValue, d >= 0 else {
                throw .invalidTensorEntry(path: path, tensor: name, reason: "shape entries must be non-negative integers, got [\(shapeItems.map(describe).joined(separator: ", "))]")
            }
            shape.append(d)
            let (p, o) = elements.multipliedReportingOverflow(by: d)
            elements = p; overflow = overflow || o
        }
        guard case let .array(offsets)? = value["data_offsets"], offsets.count == 2,
              let begin = offsets[0].intValue, let end = offsets[1].intValue, begin >= 0, end >= 0 else {
            throw .invalidTensorEntry(path: path, tensor: name, reason: "\"data_offsets\" must be [begin, end] with non-negative integers")
        }
        guard begin <= end else {
            throw .invalidTensorEntry(path: path, tensor: name, reason: "data_offsets begin \(begin) is after end \(end)")
        }
        let (bytes, o2) = elements.multipliedReportingOverflow(by: dtype.byteSize)
        if (overflow && !shape.contains(0)) || o2 {
            throw .invalidTensorEntry(path: path, tensor: name, reason: "shape \(shape) has too many elements")
        }
        let actual = end - begin
        guard bytes == actual else {
            throw .byteCountMismatch(path: path, tensor: name, dtype: dtype, shape: shape, expected: bytes, actual: actual)
        }
        return SafetensorsTensorInfo(name: name, dtype: dtype, shape: shape, byteRange: begin..<end)
    }

    private static func describe(_ v: JSONValue) -> String {
        switch v {
        case let .int(i): return String(i)
        case let .double(d): return String(d)
        default: return v.kindName
        }
    }
}
