import Foundation
import Testing
import TendInterop
import TendTensor
import TendCore

/// Builds a safetensors file by hand (header text as given) for malformed-input tests.
func rawSafetensors(header: String, data: [UInt8], declaredLength: UInt64? = nil) -> [UInt8] {
    let h = Array(header.utf8)
    var out: [UInt8] = []
    withUnsafeBytes(of: (declaredLength ?? UInt64(h.count)).littleEndian) { out.append(contentsOf: $0) }
    return out + h + data
}

@Suite struct SafetensorsTests {
    @Test func roundTripsFloatTensorsWithMetadata() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let path = dir.file("model.safetensors")
        let w = Tensor(shape: [2, 3], storage: [1, -2, 3.5, 0, 1e-8, -7])
        let b = Tensor(shape: [3], storage: [0.1, 0.2, 0.3])
        let scalar = Tensor(shape: [], storage: [42])
        let empty = Tensor(shape: [0, 4], storage: [])
        try SafetensorsWriter.write(tensors: [("layer0.weight", w), ("layer0.bias", b), ("step", scalar), ("empty", empty)],
                                    metadata: ["step": "120", "note": "quote \" and \\ and ü"], to: path)
        let f = try SafetensorsFile(path: path)
        #expect(f.names == ["layer0.weight", "layer0.bias", "step", "empty"])
        #expect(try f.floatTensor("layer0.weight") == w)
        #expect(try f.floatTensor("layer0.bias") == b)
        #expect(try f.floatTensor("step") == scalar)
        #expect(try f.floatTensor("empty") == empty)
        #expect(f.metadata == ["step": "120", "note": "quote \" and \\ and ü"])
        #expect(f.dataStart % 8 == 0)
        #expect(try f.info("layer0.bias").byteRange == 24..<36)
        #expect(dir.entries() == ["model.safetensors"])
    }

    @Test func roundTripsRawBlobsOfEveryDType() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        var rng = SeededGenerator(seed: 3)
        var entries: [SafetensorsEntry] = []
        for (i, dtype) in SafetensorsDType.allCases.enumerated() {
            let shape = [i % 3 + 1, 2]
            let bytes = (0..<(shape.reduce(1, *) * dtype.byteSize)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            entries.append(SafetensorsEntry(name: "t_\(dtype.rawValue)", dtype: dtype, shape: shape, bytes: bytes))
        }
        let path = dir.file("blobs.safetensors")
        try SafetensorsWriter.write(entries: entries, to: path)
        let f = try SafetensorsFile(path: path)
        for e in entries {
            let info = try f.info(e.name)
            #expect(info.dtype == e.dtype && info.shape == e.shape)
        }
        let original = try SafetensorsFile(bytes: dir.read("blobs.safetensors"))
        for e in entries { #expect(try f.bytes(e.name) == original.bytes(e.name)) }
        // U8 blob bytes come back verbatim.
        let u8 = SafetensorsEntry(name: "q", dtype: .u8, shape: [4], bytes: [0, 1, 254, 255])
        try SafetensorsWriter.write(entries: [u8], to: path)
        #expect(try SafetensorsFile(path: path).bytes("q") == [0, 1, 254, 255])
        #expect(try SafetensorsFile(path: path).floatTensor("q").storage == [0, 1, 254, 255])
    }

    @Test func mixedDTypesAreLaidOutAlignedAndKeepTheirOrder() throws {
        let entries = [
            SafetensorsEntry(name: "codes", dtype: .u8, shape: [3], bytes: [1, 2, 3]),
            SafetensorsEntry(name: "w", tensor: Tensor(shape: [2], storage: [1, 2])),
            SafetensorsEntry(name: "idx", dtype: .i16, shape: [1], bytes: [7, 0]),
            SafetensorsEntry(name: "big", dtype: .i64, shape: [1], bytes: [9, 0, 0, 0, 0, 0, 0, 0]),
        ]
        let dir = TempDir(); defer { dir.cleanup() }
        let path = dir.file("mixed.safetensors")
        try SafetensorsWriter.write(entries: entries, to: path)
        let f = try SafetensorsFile(path: path)
        #expect(f.names == ["codes", "w", "idx", "big"])
        for info in f.tensorInfo { #expect((f.dataStart + info.byteRange.lowerBound) % info.dtype.byteSize == 0) }
        #expect(try f.info("big").byteRange == 0..<8)
        #expect(try f.bytes("codes") == [1, 2, 3])
        #expect(try f.floatTensor("idx").storage == [7])
        #expect(try f.floatTensor("big").storage == [9])
    }

    @Test func readsPythonWrittenFixtureConvertingEveryDType() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let f = try SafetensorsFile(path: dir.write("python_all_dtypes.safetensors", bytes: pythonAllDTypesSafetensors))
        #expect(f.metadata == ["format": "pt", "source": "hand-written numpy"])
        #expect(try f.floatTensor("f64") == Tensor(shape: [2, 2], storage: [1.5, -2.25, 1e-3, 3e5]))
        #expect(try f.floatTensor("f32").storage == [0.1, -0.2, 0.3])
        #expect(try f.floatTensor("f16").storage == [1, -2, 0.5, 65504, 0x1p-24])
        #expect(try f.floatTensor("bf16").storage == [1, -3.5, 0.15625])
        #expect(try f.floatTensor("i64").storage == [-1_099_511_627_776, 7])
        #expect(try f.floatTensor("i32") == Tensor(shape: [2, 2], storage: [-5, 6, 7, -8]))
        #expect(try f.floatTensor("i16").storage == [-300, 300])
        #expect(try f.floatTensor("i8").storage == [-128, 0, 127])
        #expect(try f.floatTensor("u8").storage == [0, 200, 255])
        #expect(try f.floatTensor("bool").storage == [1, 0, 1])
        #expect(f.tensorInfo.count == 10)
    }

    @Test func unknownTensorListsTheNames() throws {
        let f = try SafetensorsFile(bytes: pythonAllDTypesSafetensors, name: "fixture.safetensors")
        #expect(throws: SafetensorsError.tensorNotFound(path: f.path, tensor: "nope", available: f.names)) { try f.floatTensor("nope") }
    }

    @Test func malformedFilesGiveTheirSpecificError() {
        let ok = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        func open(_ bytes: [UInt8]) throws { _ = try SafetensorsFile(bytes: bytes, name: "m.safetensors") }
        let p = "m.safetensors"
        #expect(throws: SafetensorsError.truncated(path: p, expectedBytes: 8, actualBytes: 3)) { try open([1, 2, 3]) }
        let dir = TempDir(); defer { dir.cleanup() }
        let emptyFile = dir.write("empty.safetensors", bytes: [])
        #expect(throws: SafetensorsError.truncated(path: emptyFile, expectedBytes: 8, actualBytes: 0)) { try SafetensorsFile(path: emptyFile) }
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(path: dir.path) }
        #expect(throws: SafetensorsError.headerTooLarge(path: p, declared: UInt64.max, limit: 100_000_000)) {
            try open(rawSafetensors(header: ok, data: [UInt8](repeating: 0, count: 8), declaredLength: .max))
        }
        #expect(throws: SafetensorsError.headerBeyondFile(path: p, declared: 1000, fileSize: 8 + ok.utf8.count + 8)) {
            try open(rawSafetensors(header: ok, data: [UInt8](repeating: 0, count: 8), declaredLength: 1000))
        }
        #expect(throws: SafetensorsError.badJSON(path: p, byteOffset: 8 + 5, reason: "expected ':' after key \"a\"")) {
            try open(rawSafetensors(header: #"{"a" {}}"#, data: []))
        }
        #expect(throws: SafetensorsError.unknownDType(path: p, tensor: "a", dtype: "F8")) {
            try open(rawSafetensors(header: #"{"a":{"dtype":"F8","shape":[2],"data_offsets":[0,2]}}"#, data: [0, 0]))
        }
        #expect(throws: SafetensorsError.byteCountMismatch(path: p, tensor: "a", dtype: .f32, shape: [3], expected: 12, actual: 8)) {
            try open(rawSafetensors(header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: [UInt8](repeating: 0, count: 8)))
        }
        let outside = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[1000,1004]}}"#
        #expect(throws: SafetensorsError.rangeOutsideData(path: p, tensor: "b", range: 1000..<1004, dataLength: 8, dataStart: 8 + outside.utf8.count)) {
            try open(rawSafetensors(header: outside,
                                    data: [UInt8](repeating: 0, count: 8)))
        }
        #expect(throws: SafetensorsError.overlappingRanges(path: p, first: "a", firstRange: 0..<8, second: "b", secondRange: 4..<8)) {
            try open(rawSafetensors(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
                                    data: [UInt8](repeating: 0, count: 8)))
        }
        #expect(throws: SafetensorsError.truncatedTensor(path: p, tensor: "a", expectedBytes: 8 + ok.utf8.count + 8, actualBytes: 8 + ok.utf8.count + 5)) {
            try open(rawSafetensors(header: ok, data: [0, 0, 0, 0, 0]))
        }
        #expect(throws: SafetensorsError.metadataNotString(path: p, key: "epoch", kind: "number")) {
            try open(rawSafetensors(header: #"{"__metadata__":{"epoch":3}}"#, data: []))
        }
        #expect(throws: SafetensorsError.invalidTensorEntry(path: p, tensor: "a", reason: "shape entries must be non-negative integers, got [-2]")) {
            try open(rawSafetensors(header: #"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, data: [UInt8](repeating: 0, count: 8)))
        }
        #expect(throws: SafetensorsError.invalidTensorEntry(path: p, tensor: "a", reason: "shape [4294967296, 4294967296] has too many elements")) {
            try open(rawSafetensors(header: #"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#, data: [UInt8](repeating: 0, count: 8)))
        }
    }

    @Test func errorMessagesNameFileTensorAndOffsets() {
        let e = SafetensorsError.rangeOutsideData(path: "m.st", tensor: "w", range: 100..<140, dataLength: 120, dataStart: 64)
        #expect(e.description == "m.st: tensor \"w\": data_offsets [100, 140) (file bytes 164..<204) lie outside the 120-byte data section")
    }

    @Test func mutatedFilesNeverCrash() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let path = dir.file("v.safetensors")
        try SafetensorsWriter.write(tensors: [("a", Tensor(shape: [2, 2], storage: [1, 2, 3, 4])), ("b", Tensor(shape: [3], storage: [5, 6, 7]))],
                                    metadata: ["k": "v"], to: path)
        let seeds = [dir.read("v.safetensors"), pythonAllDTypesSafetensors]
        var rng = SeededGenerator(seed: 99)
        var opened = 0, rejected = 0
        for i in 0..<4000 {
            var bytes = seeds[i % 2]
            let edits = Int(rng.next() % 4) + 1
            for _ in 0..<edits {
                switch rng.next() % 4 {
                case 0: bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes[Int(rng.next() % UInt64(min(8, bytes.count)))] = UInt8(truncatingIfNeeded: rng.next())
                case 2: bytes.removeLast(Int(rng.next() % UInt64(bytes.count)))
                default:
                    let at = Int(rng.next() % UInt64(bytes.count + 1))
                    bytes.insert(contentsOf: "{}[],:\"0123456789e-".utf8.shuffled(using: &rng).prefix(3), at: at)
                }
                if bytes.isEmpty { break }
            }
            do {
                let f = try SafetensorsFile(bytes: bytes)
                for name in f.names { _ = try f.floatTensor(name) }
                opened += 1
            } catch is SafetensorsError {
                rejected += 1
            }
        }
        #expect(opened + rejected == 4000)
        #expect(rejected > 1000)
        // The same through the memory-mapped path, with files of every length up to the original.
        let original = seeds[0]
        for cut in stride(from: 0, through: original.count, by: 3) {
            var bytes = Array(original[..<cut])
            if !bytes.isEmpty { bytes[Int(rng.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: rng.next() | 1) }
            let file = dir.write("cut.safetensors", bytes: bytes)
            if let f = try? SafetensorsFile(path: file) { for name in f.names { _ = try? f.floatTensor(name) } }
        }
    }

    @Test func failedWriteLeavesPreviousFileAndNoTemporary() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let path = dir.file("ckpt.safetensors")
        try SafetensorsWriter.write(tensors: [("w", Tensor(shape: [2], storage: [1, 2]))], metadata: ["step": "1"], to: path)
        let before = dir.read("ckpt.safetensors")
        struct DiskFull: Error {}
        let failing = SafetensorsEntry(name: "big", dtype: .f32, shape: [1000]) { throw DiskFull() }
        #expect(throws: SafetensorsError.self) {
            try SafetensorsWriter.write(entries: [SafetensorsEntry(name: "w", tensor: Tensor(shape: [2], storage: [3, 4])), failing],
                                        metadata: ["step": "2"], to: path)
        }
        #expect(dir.read("ckpt.safetensors") == before)
        #expect(dir.entries() == ["ckpt.safetensors"])
        // A producer returning the wrong byte count is rejected the same way.
        let short = SafetensorsEntry(name: "big", dtype: .f32, shape: [10]) { [0, 0] }
        #expect(throws: SafetensorsError.byteCountMismatch(path: path, tensor: "big", dtype: .f32, shape: [10], expected: 40, actual: 2)) {
            try SafetensorsWriter.write(entries: [short], to: path)
        }
        #expect(dir.read("ckpt.safetensors") == before)
        #expect(dir.entries() == ["ckpt.safetensors"])
        // An unwritable directory fails before touching anything, with the system's reason and the file's name.
        #expect(throws: FileWriteError(path: dir.file("missing-dir/x.safetensors"), code: ENOENT, bytesNeeded: 68)) {
            try SafetensorsWriter.write(tensors: [("w", Tensor(shape: [1], storage: [1]))], to: dir.file("missing-dir/x.safetensors"))
        }
    }

    @Test func writerRejectsBadNamesAndSizes() {
        let p = "/tmp/never-written.safetensors"
        #expect(throws: SafetensorsError.invalidName(path: p, tensor: "a", reason: "appears twice")) {
            try SafetensorsWriter.write(tensors: [("a", Tensor(shape: [1], storage: [1])), ("a", Tensor(shape: [1], storage: [1]))], to: p)
        }
        #expect(throws: SafetensorsError.byteCountMismatch(path: p, tensor: "q", dtype: .i32, shape: [3], expected: 12, actual: 3)) {
            try SafetensorsWriter.write(entries: [SafetensorsEntry(name: "q", dtype: .i32, shape: [3], bytes: [1, 2, 3])], to: p)
        }
        #expect(!FileManager.default.fileExists(atPath: p))
    }

    @Test func headerOnlyOpenOfAGigabyteFileReadsNoData() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let path = dir.file("big.safetensors")
        // A sparse 1 GiB file: opening must map it and parse the header without reading or allocating the data.
        let count = 256 * 1024 * 1024
        let header = Array(#"{"w":{"dtype":"F32","shape":[16384,16384],"data_offsets":[0,\#(count * 4)]}}"#.utf8)
        var padded = header
        while padded.count % 8 != 0 { padded.append(0x20) }
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt64(padded.count).littleEndian) { bytes.append(contentsOf: $0) }
        dir.write("big.safetensors", bytes: bytes + padded)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(bytes.count + padded.count + count * 4))
        try handle.close()
        let f = try SafetensorsFile(path: path)
        #expect(f.tensorInfo == [SafetensorsTensorInfo(name: "w", dtype: .f32, shape: [16384, 16384], byteRange: 0..<(count * 4))])
        #expect(f.fileSize == 8 + padded.count + count * 4)
        #expect(try f.withBytes("w") { $0.count } == count * 4)
    }

    @Test func checkpointSizedTensorRoundTrips() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let path = dir.file("ckpt.safetensors")
        let n = 7 * 1024 * 1024 / 4
        let t = Tensor(shape: [n / 512, 512], storage: (0..<n).map { Float($0 % 1000) * 0.5 })
        try SafetensorsWriter.write(tensors: [("w", t)], to: path)
        #expect(try SafetensorsFile(path: path).floatTensor("w") == t)
    }
}
