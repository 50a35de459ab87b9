import Foundation
import Testing
import TendCore
@testable import TendInterop

@Suite struct TensorBoardTests {
    // MARK: CRC and framing against published vectors

    @Test func crc32cMatchesPublishedVectors() {
        #expect(CRC32C.checksum("123456789") == 0xE306_9283)
        // RFC 3720 appendix B.4.
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
        // Masked values published with TFRecord writers.
        #expect(CRC32C.mask(CRC32C.checksum([])) == 0xA282_EAD8)
        #expect(CRC32C.mask(CRC32C.checksum("foo")) == 0xFEBE_8A61)
        #expect(CRC32C.mask(CRC32C.checksum("123456789")) == 0xC78A_B0E5)
        #expect(CRC32C.unmask(CRC32C.mask(0xDEAD_BEEF)) == 0xDEAD_BEEF)
    }

    @Test func crc32cSlicingAgreesWithBitwiseOnEveryLength() {
        var rng = SeededGenerator(seed: 3)
        let data = (0..<300).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        for n in 0...data.count {
            #expect(CRC32C.checksum(Array(data[0..<n])) == Fixture.bitwiseCRC(Array(data[0..<n])))
        }
        // Continuing a CRC equals the CRC of the concatenation.
        let a = CRC32C.checksum(Array(data[0..<100]))
        let ab = data[100...].withUnsafeBytes { CRC32C.checksum($0, continuing: a) }
        #expect(ab == CRC32C.checksum(data))
    }

    @Test func emptyRecordFramingMatchesTheFormat() {
        let framed = TFRecord.frame([])
        #expect(framed.count == 16)
        #expect(Array(framed[0..<8]) == [UInt8](repeating: 0, count: 8))
        // Masked length CRC of a zero length = masked CRC-32C of eight zero bytes (bitwise reference).
        let lengthCRC = framed[8..<12].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        #expect(lengthCRC == Fixture.maskedBitwiseCRC([UInt8](repeating: 0, count: 8)))
        let dataCRC = framed[12..<16].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        #expect(dataCRC == 0xA282_EAD8)
        #expect(framed == Fixture.frame([]))
        #expect(TFRecord.frame(Array("foo".utf8)) == Fixture.frame(Array("foo".utf8)))
        framed.withUnsafeBytes { #expect(TFRecord.step($0, at: 0) == .record(data: 12..<12, next: 16)) }
    }

    // MARK: Decoding foreign files

    func foreignFile(cut: Bool) -> [UInt8] {
        var bytes = Fixture.frame(Fixture.versionEvent(100))
        bytes += Fixture.frame(Fixture.event(wall: 101, step: 1, [Fixture.tensorContentScalar("loss", 0.5)]))
        bytes += Fixture.frame(Fixture.event(wall: 102, step: 2, [Fixture.tensorContentScalar("loss", 0.25, withMetadata: false)]))
        bytes += Fixture.frame(Fixture.event(wall: 103, step: 2, [Fixture.doubleValScalar("acc", 0.875)]))
        bytes += Fixture.frame(Fixture.event(wall: 104, step: 3, [Fixture.halfContentScalar("half", bits: 0x3E00)]))
        bytes += Fixture.frame(Fixture.event(wall: 105, step: 3, [Fixture.simpleScalar("simple", 2.5), Fixture.image("img"),
                                                                  Fixture.imageTensor("img2")]))
        bytes += Fixture.frame(Fixture.event(wall: 106, step: 4, [Fixture.histogramTensor("w", rows: [(-1, 0, 3), (0, 1, 5)])]))
        bytes += Fixture.frame(Fixture.event(wall: 107, step: 5, [Fixture.histogramProto("h", min: -2, max: 3, limits: [0, 1, 1.7e308], counts: [2, 0, 4])]))
        if cut {
            let last = Fixture.frame(Fixture.event(wall: 108, step: 6, [Fixture.simpleScalar("simple", 9)]))
            bytes += last[0..<(last.count - 7)]
        }
        return bytes
    }

    @Test func readsScalarsHistogramsAndSkipsImagesFromOtherWriters() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        try FileManager.default.createDirectory(atPath: dir.file("run1"), withIntermediateDirectories: true)
        dir.write("run1/events.out.tfevents.100.other", bytes: foreignFile(cut: true))
        let w = LogdirWatcher(root: dir.path)
        #expect(w.discover() == ["run1"])
        w.poll()
        let run = try #require(w.snapshot().run("run1"))
        #expect(run.tags["loss"]?.scalars.map(\.value) == [0.5, 0.25])
        #expect(run.tags["loss"]?.scalars.map(\.step) == [1, 2])
        #expect(run.tags["acc"]?.latestScalar?.value == 0.875)
        #expect(run.tags["acc"]?.latestScalar?.wallTime == 103)
        #expect(run.tags["half"]?.latestScalar?.value == 1.5)
        #expect(run.tags["simple"]?.scalars.map(\.value) == [2.5])
        #expect(run.tags["img"]?.skippedCount == 1)
        #expect(run.tags["img2"]?.skippedCount == 1)
        #expect(run.tags["w"]?.histograms.first?.histogram.buckets == [.init(left: -1, right: 0, count: 3), .init(left: 0, right: 1, count: 5)])
        let h = try #require(run.tags["h"]?.histograms.first?.histogram)
        #expect(h.buckets == [.init(left: -2, right: 0, count: 2), .init(left: 0, right: 1, count: 0), .init(left: 1, right: 3, count: 4)])
        #expect(w.snapshot().warnings.isEmpty)
        // The cut record is "not written yet": not consumed, and read once it is complete.
        #expect(run.bytesRead < run.bytesKnown)
        let whole = foreignFile(cut: false) + Fixture.frame(Fixture.event(wall: 108, step: 6, [Fixture.simpleScalar("simple", 9)]))
        dir.write("run1/events.out.tfevents.100.other", bytes: whole)
        w.poll()
        #expect(w.snapshot().run("run1")?.tags["simple"]?.scalars.map(\.value) == [2.5, 9])
    }

    @Test func badDataCRCSkipsTheRecordAndBadLengthCRCStopsTheFile() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        var bytes = Fixture.frame(Fixture.versionEvent(1))
        var bad = Fixture.frame(Fixture.event(wall: 2, step: 1, [Fixture.simpleScalar("x", 1)]))
        bad[bad.count - 1] ^= 0xFF
        let badOffset = bytes.count
        bytes += bad
        bytes += Fixture.frame(Fixture.event(wall: 3, step: 2, [Fixture.simpleScalar("x", 2)]))
        let stopOffset = bytes.count
        var badLength = Fixture.frame(Fixture.event(wall: 4, step: 3, [Fixture.simpleScalar("x", 3)]))
        badLength[9] ^= 0x01
        bytes += badLength
        bytes += Fixture.frame(Fixture.event(wall: 5, step: 4, [Fixture.simpleScalar("x", 4)]))
        dir.write("events.out.tfevents.1.h", bytes: bytes)
        let w = LogdirWatcher(root: dir.path)
        w.poll()
        let s = w.snapshot()
        #expect(s.run(".")?.tags["x"]?.scalars.map(\.value) == [2])
        #expect(s.warnings.map(\.kind) == [.badDataCRC, .badLengthCRC])
        #expect(s.warnings.map(\.offset) == [badOffset, stopOffset])
        #expect(s.warnings[1].description.contains("byte \(stopOffset)"))
    }

    // MARK: Writer round trip

    @Test func writerOutputReadsBackThroughTheReader() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let writer = try EventFileWriter(directory: dir.path, wallTime: 1_700_000_000, host: "testhost")
        #expect(writer.path.hasSuffix("events.out.tfevents.1700000000.testhost"))
        for step in 0..<50 {
            writer.record(MetricPoint(key: .trainLoss, step: step, epoch: 0, wallTime: 1_700_000_000 + Double(step), value: 1 / Double(step + 1)))
        }
        writer.histogram("weights/fc1", values: [-0.5, -0.25, 0, 0.1, 0.2, 0.3, 2], step: 49)
        writer.text("config", "{\"lr\": 0.001}")
        writer.close()
        let bytes = dir.read("events.out.tfevents.1700000000.testhost")
        // First record: file_version.
        let first = try bytes.withUnsafeBytes { b -> TensorBoardEvent in
            guard case let .record(data, _) = TFRecord.step(b, at: 0) else { throw CancellationError() }
            return try EventDecoder.decode(UnsafeRawBufferPointer(rebasing: b[data]))
        }
        #expect(first.fileVersion == "brain.Event:2")
        let w = LogdirWatcher(root: dir.path)
        w.poll()
        let run = try #require(w.snapshot().run("."))
        #expect(run.tags["train/loss"]?.scalars.count == 50)
        #expect(run.tags["train/loss"]?.latestScalar == ScalarPoint(step: 49, wallTime: 1_700_000_049, value: Double(Float(1.0 / 50))))
        let h = try #require(run.tags["weights/fc1"]?.histograms.first?.histogram)
        #expect(h.count == 7)
        #expect(h.min == -0.5 && h.max == 2)
        #expect(abs((h.sum ?? 0) - 1.85) < 1e-6)
        #expect(run.tags["config"]?.plugin == "text")
        #expect(run.tags["config"]?.texts.first?.text == ["{\"lr\": 0.001}"])
        #expect(w.snapshot().warnings.isEmpty)
    }

    @Test func writerFlushesWithinTheIntervalWithoutClose() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let writer = try EventFileWriter(directory: dir.path, wallTime: 5, host: "h", flushInterval: 0.1)
        writer.record(MetricPoint(key: "a/b", step: 1, epoch: 0, wallTime: 6, value: 3))
        let w = LogdirWatcher(root: dir.path)
        var seen: Double?
        for _ in 0..<50 where seen == nil {
            Thread.sleep(forTimeInterval: 0.05)
            w.poll()
            seen = w.snapshot().run(".")?.tags["a/b"]?.latestScalar?.value
        }
        #expect(seen == 3)
        writer.close()
    }

    @Test func defaultHistogramLimitsMatchTensorFlow() {
        let l = HistogramProtoValue.defaultLimits
        #expect(l.count == 1551)
        #expect(l[775] == 0)
        #expect(l.first == -.greatestFiniteMagnitude)
        #expect(l.last == .greatestFiniteMagnitude)
        #expect(l[776] == 1e-12)
        #expect(zip(l, l.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func histogramBucketsEqualABinarySearchOverTheLimits() {
        let limits = HistogramProtoValue.defaultLimits
        func reference(_ x: Double) -> Int {
            var a = 0, b = limits.count - 1
            while a < b { let m = (a + b) / 2; if limits[m] < x { a = m + 1 } else { b = m } }
            return a
        }
        // Every limit, its neighbours one ulp away, extremes, and a spread of magnitudes of both signs.
        var xs: [Double] = [0, -0.0, 1e-300, -1e-300, 1e-12, -1e-12, 5e-13, -5e-13, 1e20, -1e20, 1e300, -1e300,
                            .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, -.leastNonzeroMagnitude]
        for l in limits where l.isFinite { xs += [l, l.nextUp, l.nextDown] }
        var rng: UInt64 = 9
        for _ in 0..<20_000 {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            let e = Double(Int(rng >> 50) % 80) - 40, m = Double(rng >> 11 & 0xffff) / 65536 + 0.5
            xs.append((rng & 1 == 0 ? 1 : -1) * m * pow(10, e))
        }
        limits.withUnsafeBufferPointer { lim in
            for x in xs where x.isFinite {   // non-finite values are skipped before bucketing
                #expect(HistogramProtoValue.bucketIndex(x, limits: lim) == reference(x), "x = \(x)")
            }
        }
    }

    // MARK: Watching a logdir

    @Test func watcherFindsNewRunsAndFilesWithoutRestart() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        try FileManager.default.createDirectory(atPath: dir.file("a/x"), withIntermediateDirectories: true)
        dir.write("a/x/events.out.tfevents.1.h", bytes: Fixture.frame(Fixture.versionEvent(1))
                  + Fixture.frame(Fixture.event(wall: 1, step: 1, [Fixture.simpleScalar("m", 1)])))
        let w = LogdirWatcher(root: dir.path)
        w.poll()
        #expect(w.runNames == ["a/x"])
        try FileManager.default.createDirectory(atPath: dir.file("b"), withIntermediateDirectories: true)
        dir.write("b/events.out.tfevents.2.h", bytes: Fixture.frame(Fixture.event(wall: 2, step: 1, [Fixture.simpleScalar("m", 7)])))
        dir.write("a/x/events.out.tfevents.2.h", bytes: Fixture.frame(Fixture.event(wall: 3, step: 2, [Fixture.simpleScalar("m", 2)])))
        w.poll()
        let s = w.snapshot()
        #expect(s.runs.map(\.name) == ["a/x", "b"])
        #expect(s.run("a/x")?.tags["m"]?.scalars.map(\.value) == [1, 2])
        #expect(s.run("a/x")?.files.count == 2)
        #expect(s.run("b")?.tags["m"]?.latestScalar?.value == 7)
        #expect(s.progress.fraction == 1)
    }

    @Test func backgroundLoadListsRunsFirstAndReportsProgress() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        for r in 0..<40 {
            let runDir = dir.file(String(format: "run%03d", r))
            try FileManager.default.createDirectory(atPath: runDir, withIntermediateDirectories: true)
            var bytes = Fixture.frame(Fixture.versionEvent(0))
            for step in 0..<200 {
                bytes += Fixture.frame(Fixture.event(wall: Double(step), step: Int64(step),
                    (0..<5).map { Fixture.simpleScalar("tag\($0)", Float(step * $0)) }))
            }
            _ = FileManager.default.createFile(atPath: runDir + "/events.out.tfevents.0.h", contents: Data(bytes))
        }
        let w = LogdirWatcher(root: dir.path)
        w.start(interval: 0.1)
        #expect(w.runNames.count == 40)
        var p = w.progress
        for _ in 0..<200 where p.runsLoaded < 40 { Thread.sleep(forTimeInterval: 0.02); p = w.progress }
        w.stop()
        #expect(p.runsLoaded == 40)
        #expect(p.fraction == 1)
        let s = w.snapshot()
        #expect(s.runs.allSatisfy { $0.tags.count == 5 && $0.tags["tag3"]?.latestScalar?.value == 597 })
    }

    @Test func tagSeriesThinsUniformlyPastCapacity() {
        var t = TagSeries(tag: "x", capacity: 8)
        for i in 0..<100 { t.append(ScalarPoint(step: Int64(i), wallTime: 0, value: Double(i))) }
        #expect(t.scalars.count < 8)
        #expect(t.scalarCount == 100)
        #expect(t.latestScalar?.value == 99)
        let steps = t.scalars.map(\.step)
        #expect(steps.first == 0)
        let gaps = Set(zip(steps, steps.dropFirst()).map { $1 - $0 })
        #expect(gaps.count == 1)
    }
}
