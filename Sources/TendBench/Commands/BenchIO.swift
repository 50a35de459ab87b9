import ArgumentParser
import Foundation
import TendRuntime
import Synchronization
import TendCore
import TendDashboard
import TendInterop
import TendMetrics
import TendUI

/// `tend bench io`: event-file parsing, logdir loading and safetensors inspection speeds, each against
/// a plain memory pass over the same bytes measured in the same run.
public struct BenchIO: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "io",
        abstract: "Event-file parsing MB/s, logdir load time, safetensors header open and statistics scan GB/s.")

    @Option(help: "Size of the generated event file in MB.") var eventMB = 64
    @Option(help: "Runs in the generated logdir (10 tags × --steps each).") var runs = 1000
    @Option(help: "Steps per run in the generated logdir.") var steps = 1000
    @Option(help: "Size of the generated safetensors file in GB (0 skips).") var safetensorsGB = 2.0
    @Option(help: "Scratch directory (removed afterwards).") var scratch = NSTemporaryDirectory()
    @Option(help: "Seconds per timed repeat.") var seconds = 1.0
    @Flag(help: "Print one JSON object on stdout.") var json = false

    struct Report: Encodable {
        var event_file_mb: Double
        var parse_memory_mb_per_s: Double
        var parse_file_mb_per_s: Double
        var crc32c_mb_per_s: Double
        var reference_sum_mb_per_s: Double
        var parse_vs_reference: Double
        var logdir_runs: Int, logdir_mb: Double
        var logdir_run_list_ms: Double
        var logdir_full_load_s: Double
        var logdir_load_mb_per_s: Double
        /// The interactive watch screen over the same logdir, rendered into a 120x40 cell buffer (no terminal).
        var watch_first_frame_ms: Double = 0
        var watch_first_chart_ms: Double = 0
        var watch_full_load_s: Double = 0
        var watch_frame_all_runs_ms: Double = 0
        var watch_load_vs_reader_load: Double = 0
        var safetensors_gb: Double?
        var header_open_ms: Double?
        var scan_gb_per_s: Double?
        var reference_read_gb_per_s: Double?
        var scan_vs_reference: Double?
        var scan_kernel: String?
        var scan_one_thread_gb_per_s: Double?
        var reference_one_thread_gb_per_s: Double?
        var first_scan_fresh_map_gb_per_s: Double?
    }

    public func run() throws {
        try reportingErrors {
            let dir = (scratch as NSString).appendingPathComponent("tend-bench-io-\(getpid())")
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            var r = Report(event_file_mb: 0, parse_memory_mb_per_s: 0, parse_file_mb_per_s: 0, crc32c_mb_per_s: 0,
                           reference_sum_mb_per_s: 0, parse_vs_reference: 0, logdir_runs: runs, logdir_mb: 0,
                           logdir_run_list_ms: 0, logdir_full_load_s: 0, logdir_load_mb_per_s: 0)
            try benchEvents(dir: dir, into: &r)
            try benchLogdir(dir: dir, into: &r)
            if safetensorsGB > 0 { try benchSafetensors(dir: dir, into: &r) }
            if json { Output.json(r) }
        }
    }

    // MARK: Event files

    /// Tend-style records: one scalar per event, tags cycling over ten names.
    static func eventFile(bytes target: Int, tags: Int = 10, seed: UInt64 = 1) -> [UInt8] {
        var rng = SeededGenerator(seed: seed)
        var out = TFRecord.frame(EventEncoder.fileVersion(wallTime: 1_700_000_000))
        out.reserveCapacity(target + 256)
        let names = (0..<tags).map { "train/metric_\($0)" }
        var step: Int64 = 0
        while out.count < target {
            for t in names {
                TFRecord.append(EventEncoder.summary(wallTime: 1_700_000_000 + Double(step) * 0.01, step: step,
                                                     values: [(t, .scalar(Float(rng.nextGaussian())))]), to: &out)
            }
            step += 1
        }
        return out
    }

    func benchEvents(dir: String, into r: inout Report) throws {
        let bytes = Self.eventFile(bytes: eventMB << 20)
        let mb = Double(bytes.count) / 1e6
        r.event_file_mb = mb
        var records = 0
        let parse = bestRate(seconds: seconds, repeats: 3, units: mb, warmup: 1) {
            bytes.withUnsafeBytes { b in records = EventFileParser.parse(b).tags.values.reduce(0) { $0 + $1.scalarCount } }
        }
        let crc = bestRate(seconds: seconds, repeats: 3, units: mb, warmup: 1) {
            bytes.withUnsafeBytes { b in blackHole(UInt64(CRC32C.checksum(b))) }
        }
        let reference = bestRate(seconds: seconds, repeats: 3, units: mb, warmup: 1) {
            bytes.withUnsafeBytes { b in blackHole(byteSum(b)) }
        }
        let path = (dir as NSString).appendingPathComponent("one/events.out.tfevents.1700000000.bench")
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let fromFile = bestRate(seconds: seconds, repeats: 2, units: mb, warmup: 1) {
            let w = LogdirWatcher(root: (path as NSString).deletingLastPathComponent)
            w.poll()
        }
        r.parse_memory_mb_per_s = parse
        r.parse_file_mb_per_s = fromFile
        r.crc32c_mb_per_s = crc
        r.reference_sum_mb_per_s = reference
        r.parse_vs_reference = parse / reference
        Output.info(String(format: "event file %.0f MB (%d scalars): parse %.0f MB/s from memory, %.0f MB/s from file (page cache); CRC32C alone %.0f MB/s; reference byte-sum %.0f MB/s; parse/reference %.3f",
                           mb, records, parse, fromFile, crc, reference, parse / reference))
    }

    // MARK: Logdir

    func benchLogdir(dir: String, into r: inout Report) throws {
        let root = (dir as NSString).appendingPathComponent("logdir")
        var total = 0
        var rng = SeededGenerator(seed: 2)
        let tags = (0..<10).map { "group\($0 / 5)/tag\($0)" }
        for run in 0..<runs {
            let runDir = (root as NSString).appendingPathComponent(String(format: "run%04d", run))
            try FileManager.default.createDirectory(atPath: runDir, withIntermediateDirectories: true)
            var out = TFRecord.frame(EventEncoder.fileVersion(wallTime: 1_700_000_000))
            for step in 0..<steps {
                let values = tags.map { ($0, EventEncoder.EncodedValue.scalar(Float(rng.nextGaussian()))) }
                TFRecord.append(EventEncoder.summary(wallTime: 1_700_000_000 + Double(step), step: Int64(step), values: values), to: &out)
            }
            total += out.count
            try Data(out).write(to: URL(fileURLWithPath: runDir + "/events.out.tfevents.1700000000.bench"))
            if run % 50 == 0 { Output.progress("writing logdir: run \(run)/\(runs)") }
        }
        Output.endProgress()
        let start = SystemClock().monotonic()
        let watcher = LogdirWatcher(root: root)
        watcher.start(interval: 60)
        let listed = watcher.runNames.count
        let listMs = (SystemClock().monotonic() - start) * 1000
        var p = watcher.progress
        while p.runsLoaded < runs || p.bytesRead < total {
            Thread.sleep(forTimeInterval: 0.05)
            p = watcher.progress
            Output.progress(String(format: "loading: %@ %d/%d runs", Output.bar(fraction: p.fraction, width: 20), p.runsLoaded, runs))
        }
        let loadSeconds = SystemClock().monotonic() - start
        Output.endProgress()
        watcher.stop()
        let snap = watcher.snapshot()
        let points = snap.runs.reduce(0) { $0 + $1.tags.values.reduce(0) { $0 + $1.scalarCount } }
        guard listed == runs, points == runs * steps * 10 else {
            throw BenchError.wrongResult(bench: "logdir bench", found: "listed \(listed) runs and read \(points) scalars", expected: "\(runs) and \(runs * steps * 10)")
        }
        r.logdir_mb = Double(total) / 1e6
        r.logdir_run_list_ms = listMs
        r.logdir_full_load_s = loadSeconds
        r.logdir_load_mb_per_s = Double(total) / 1e6 / loadSeconds
        Output.info(String(format: "logdir %d runs × 10 tags × %d steps (%.0f MB): run list in %.0f ms, full load in %.2f s (%.0f MB/s, background thread)",
                           runs, steps, r.logdir_mb, listMs, loadSeconds, r.logdir_load_mb_per_s))
        try benchWatch(root: root, runs: runs, into: &r)
        try? FileManager.default.removeItem(atPath: root)
    }

    // MARK: Watch screen

    /// `tend watch` on the generated logdir without a terminal: the loader starts, frames are rendered
    /// into a 120x40 cell buffer as the UI loop would while data changes (every 0.5 s) until every run is loaded.
    func benchWatch(root: String, runs: Int, into r: inout Report) throws {
        let clock = SystemClock()
        let start = clock.monotonic()
        let loader = LogdirLoader(root: root)
        loader.start(rescanInterval: 60)
        defer { loader.stop() }
        let state = WatchState()
        var buffer = CellBuffer(width: 120, height: 40)
        func frame() -> RunsSnapshot {
            let snap = loader.snapshot()
            WatchView.render(snapshot: snap, state: state, into: &buffer, theme: .default, glyphs: .unicode)
            return snap
        }
        var snap = frame()
        let firstFrame = clock.monotonic() - start
        guard snap.runs.count == runs, buffer.lines.joined().contains("loaded ") else {
            throw BenchError.wrongResult(bench: "watch bench", found: "the first frame lists \(snap.runs.count) runs", expected: "\(runs) with a loading line")
        }
        var firstChart: Double?
        while !(snap.progress.isComplete && snap.runs.allSatisfy(\.isLoaded)) {
            Thread.sleep(forTimeInterval: 0.5)
            snap = frame()
            if firstChart == nil, WatchViewModel(snapshot: snap, state: state, width: 120, height: 40).charts.first?.lines.isEmpty == false {
                firstChart = clock.monotonic() - start
            }
            Output.progress("watch: loaded \(snap.progress.runsLoaded)/\(snap.progress.runs) runs")
        }
        let full = clock.monotonic() - start
        Output.endProgress()
        let points = snap.runs.reduce(0) { $0 + $1.tracks.values.reduce(0) { $0 + $1.count } }
        guard points == runs * steps * 10 else {
            throw BenchError.wrongResult(bench: "watch bench", found: "loaded \(points) scalars", expected: "\(runs * steps * 10)")
        }
        // A frame with every run overlaid on the four charts (the default: all runs shown).
        var frameMs = Double.infinity
        for _ in 0..<5 {
            let t0 = clock.monotonic()
            _ = frame()
            frameMs = min(frameMs, (clock.monotonic() - t0) * 1000)
        }
        r.watch_first_frame_ms = firstFrame * 1000
        r.watch_first_chart_ms = (firstChart ?? full) * 1000
        r.watch_full_load_s = full
        r.watch_frame_all_runs_ms = frameMs
        r.watch_load_vs_reader_load = full / r.logdir_full_load_s
        Output.info(String(format: "watch screen (120x40 cell buffer): first frame %.0f ms (run list, loading line), first chart %.0f ms, fully loaded %.2f s (%.2f× the reader-only load), frame with %d runs overlaid %.1f ms",
                           r.watch_first_frame_ms, r.watch_first_chart_ms, full, r.watch_load_vs_reader_load, runs, frameMs))
    }

    // MARK: Safetensors

    func benchSafetensors(dir: String, into r: inout Report) throws {
        let rows = 4096, cols = 2048
        let tensorBytes = rows * cols * 4
        let count = max(1, Int((safetensorsGB * 1e9 / Double(tensorBytes)).rounded()))
        let path = (dir as NSString).appendingPathComponent("weights.safetensors")
        var entries: [SafetensorsEntry] = []
        for t in 0..<count {
            entries.append(SafetensorsEntry(name: "layers.\(t).weight", dtype: .f32, shape: [rows, cols]) {
                var rng = SeededGenerator(seed: UInt64(t + 10))
                var b = [UInt8](repeating: 0, count: tensorBytes)
                b.withUnsafeMutableBytes { raw in
                    let f = raw.bindMemory(to: Float.self)
                    for i in 0..<f.count {
                        // Laplace-ish weights with a few exact zeros (pruned), cheap to generate.
                        let u = rng.next()
                        f[i] = (u & 0xF) == 0 ? 0 : Float(Int64(bitPattern: u) >> 40) * 0x1p-30
                    }
                }
                return b
            })
        }
        Output.progress("writing \(count) tensors of \(rows)x\(cols) F32 to \(path)")
        try SafetensorsWriter.write(entries: entries, to: path)
        Output.endProgress()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var openMs = Double.infinity
        for _ in 0..<5 {
            let t0 = SystemClock().monotonic()
            let f = try SafetensorsFile(path: path)
            openMs = min(openMs, (SystemClock().monotonic() - t0) * 1000)
            blackHole(UInt64(f.tensorInfo.count))
        }
        let file = try SafetensorsFile(path: path)
        let gb = Double(file.fileSize - file.dataStart) / 1e9
        // Reference: the same mapped bytes summed as UInt64 lanes, in the same chunks over the same threads.
        let names = file.names
        func reference(threads: Int) -> Double {
            bestRate(seconds: 0, repeats: 3, units: gb, warmup: 1) {
                let next = Atomic<Int>(0)
                DispatchQueue.concurrentPerform(iterations: threads) { _ in
                    while true {
                        let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
                        guard k < names.count * 4 else { return }
                        blackHole((try? file.withBytes(names[k / 4]) { b in
                            let quarter = b.count / 4
                            return byteSum(UnsafeRawBufferPointer(rebasing: b[(k % 4 * quarter)..<(k % 4 == 3 ? b.count : (k % 4 + 1) * quarter)]))
                        }) ?? 0)
                    }
                }
            }
        }
        func scan(threads: Int) -> Double {
            let scanner = TensorStatsScanner(threshold: 1e-3, threads: threads)
            return bestRate(seconds: 0, repeats: 3, units: gb, warmup: 1) { blackHole(UInt64((try? scanner.scan(file))?.count ?? 0)) }
        }
        // What `tend inspect` sees: a freshly mapped file (page cache warm, page tables cold: minor faults), scanned once.
        var fresh = 0.0
        for _ in 0..<2 {
            guard let f = try? SafetensorsFile(path: path) else { break }
            let t0 = SystemClock().monotonic()
            blackHole(UInt64((try? TensorStatsScanner(threshold: 1e-3, threads: 2).scan(f))?.count ?? 0))
            fresh = max(fresh, gb / (SystemClock().monotonic() - t0))
        }
        r.first_scan_fresh_map_gb_per_s = fresh
        // Interleaved so both see the same machine load.
        let ref1 = reference(threads: 1), scan1 = scan(threads: 1)
        let ref2 = reference(threads: 2), scan2 = scan(threads: 2)
        r.scan_kernel = ScanKernel.bestName
        r.scan_one_thread_gb_per_s = scan1
        r.reference_one_thread_gb_per_s = ref1
        let scan = scan2, reference = ref2
        r.safetensors_gb = Double(file.fileSize) / 1e9
        r.header_open_ms = openMs
        r.scan_gb_per_s = scan
        r.reference_read_gb_per_s = reference
        r.scan_vs_reference = scan / reference
        Output.info(String(format: "safetensors %.2f GB (%d tensors): header open %.3f ms (mmap); statistics scan (%@ kernel, page cache) %.2f GB/s on 2 threads, %.2f GB/s on 1; reference read pass %.2f GB/s on 2 threads, %.2f GB/s on 1; scan/reference %.2f (2 threads), %.2f (1); first scan of a freshly mapped file %.2f GB/s",
                           r.safetensors_gb!, count, openMs, ScanKernel.bestName, scan, scan1, reference, ref1, scan / reference, scan1 / ref1, fresh))
    }
}

/// Sum of the bytes as UInt64 lanes (a memory pass the compiler vectorises); the reference for I/O benches.
func byteSum(_ b: UnsafeRawBufferPointer) -> UInt64 {
    var acc = SIMD4<UInt64>()
    let n = b.count / 32
    for i in 0..<n { acc &+= b.loadUnaligned(fromByteOffset: i * 32, as: SIMD4<UInt64>.self) }
    var s = acc.wrappedSum()
    for i in (n * 32)..<b.count { s &+= UInt64(b[i]) }
    return s
}

/// Keeps a value alive so the optimiser cannot drop the work that produced it.
@inline(never)
func blackHole(_ x: UInt64) { if x == 0x1234_5678_9ABC_DEF0 { print("") } }
