import Foundation
import Synchronization

/// Follows a TensorBoard logdir: finds runs (directories holding `events.out.tfevents.*` files, at any
/// depth), follows each run's files in name order, and picks up new files and runs as they appear.
///
/// `poll()` reads what is new (call it from any one thread at a time; it does the I/O), `snapshot()`
/// returns a value copy for a UI thread (a short lock). `start()` runs discovery at once and then loads
/// and polls on a background thread, with `progress` for a loading bar.
public final class LogdirWatcher: @unchecked Sendable {
    public let root: String
    /// Maximum stored points per tag and kind (see `TagSeries`).
    public let maxPointsPerTag: Int
    /// Bytes read from one file at a time before the result is published.
    public let chunkBytes: Int

    private final class RunTail {
        let name: String
        let path: String
        var files: [EventFileTail] = []
        init(name: String, path: String) { self.name = name; self.path = path }
    }

    private struct Shared: Sendable {
        var version: UInt64 = 0
        var runs: [String: RunData] = [:]
        var warnings: [TensorBoardWarning] = []
        var progress = LoadProgress()
    }

    private let ioLock = NSLock()
    private var tails: [String: RunTail] = [:]
    private var buffer: [UInt8] = []
    private let shared = Mutex(Shared())
    private let running = Atomic<Bool>(false)
    private let exited = DispatchSemaphore(value: 0)

    public init(root: String, maxPointsPerTag: Int = 4096, chunkBytes: Int = 8 << 20) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.maxPointsPerTag = maxPointsPerTag
        self.chunkBytes = chunkBytes
    }

    deinit { stop() }

    /// True for the name of a TensorBoard event file.
    public static func isEventFile(_ name: String) -> Bool { name.contains("tfevents") }

    // MARK: Discovery

    /// Looks for new runs and new event files; returns every run name known, sorted.
    @discardableResult
    public func discover() -> [String] {
        ioLock.lock(); defer { ioLock.unlock() }
        return discoverLocked()
    }

    private func discoverLocked() -> [String] {
        var found: [(name: String, path: String, files: [String])] = []
        walk(root, relative: ".", into: &found)
        var changed = false
        for f in found {
            let tail: RunTail
            if let t = tails[f.name] { tail = t } else {
                tail = RunTail(name: f.name, path: f.path)
                tails[f.name] = tail
                changed = true
            }
            let known = Set(tail.files.map(\.path))
            for file in f.files where !known.contains(file) {
                tail.files.append(EventFileTail(path: file))
                changed = true
            }
            if changed { tail.files.sort { $0.path < $1.path } }
        }
        var progress = LoadProgress()
        var runSizes: [String: (files: [String], known: Int)] = [:]
        for (name, t) in tails {
            var known = 0
            // A file abandoned (bad length CRC, shrank) counts as read up to where it stopped.
            for f in t.files { known += f.stopped ? f.offset : f.statSize() }
            runSizes[name] = (t.files.map(\.path), known)
            progress.files += t.files.count
        }
        shared.withLock { s in
            for (name, info) in runSizes {
                if s.runs[name] == nil {
                    s.runs[name] = RunData(name: name, path: tails[name]!.path)
                }
                s.runs[name]!.files = info.files
                s.runs[name]!.bytesKnown = info.known
            }
            progress.runs = s.runs.count
            progress.bytesKnown = s.runs.values.reduce(0) { $0 + $1.bytesKnown }
            progress.bytesRead = s.runs.values.reduce(0) { $0 + $1.bytesRead }
            progress.runsLoaded = s.runs.values.reduce(0) { $0 + ($1.isLoaded ? 1 : 0) }
            s.progress = progress
            if changed { s.version &+= 1 }
        }
        return tails.keys.sorted()
    }

    private func walk(_ dir: String, relative: String, into found: inout [(name: String, path: String, files: [String])]) {
        guard let d = opendir(dir) else { return }
        var events: [String] = []
        var subdirs: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            let full = dir + "/" + name
            var isDir = e.pointee.d_type == UInt8(DT_DIR)
            var isFile = e.pointee.d_type == UInt8(DT_REG)
            if e.pointee.d_type == UInt8(DT_UNKNOWN) || e.pointee.d_type == UInt8(DT_LNK) {
                var st = stat()
                if stat(full, &st) == 0 {
                    isDir = (st.st_mode & S_IFMT) == S_IFDIR
                    isFile = (st.st_mode & S_IFMT) == S_IFREG
                }
            }
            if isDir && !name.hasPrefix(".") { subdirs.append(name) }
            else if isFile && Self.isEventFile(name) { events.append(full) }
        }
        closedir(d)
        if !events.isEmpty { found.append((relative, dir, events.sorted())) }
        for s in subdirs.sorted() {
            walk(dir + "/" + s, relative: relative == "." ? s : relative + "/" + s, into: &found)
        }
    }

    // MARK: Reading

    /// Discovers, then reads what is new in every file (runs in name order, files in name order), up to
    /// about `maxBytes`. Returns the bytes read; 0 means caught up.
    @discardableResult
    public func poll(maxBytes: Int = .max) -> Int {
        ioLock.lock(); defer { ioLock.unlock() }
        let names = discoverLocked()
        var total = 0
        for name in names {
            guard let run = tails[name] else { continue }
            for file in run.files {
                while !file.isCaughtUp && total < maxBytes && (running.load(ordering: .relaxed) || !backgroundStarted) {
                    var delta: [String: TagSeries] = [:]
                    var warnings: [TensorBoardWarning] = []
                    let n = file.read(chunk: chunkBytes, capacity: maxPointsPerTag, into: &delta, warnings: &warnings, buffer: &buffer)
                    publish(run: name, delta: delta, bytes: n, warnings: warnings)
                    total += n
                    if n == 0 { break }
                }
            }
        }
        return total
    }

    private var backgroundStarted = false

    private func publish(run: String, delta: [String: TagSeries], bytes: Int, warnings: [TensorBoardWarning]) {
        guard bytes > 0 || !warnings.isEmpty || !delta.isEmpty else { return }
        shared.withLock { s in
            s.runs[run]!.bytesRead += bytes
            for (tag, series) in delta {
                if s.runs[run]!.tags[tag] == nil { s.runs[run]!.tags[tag] = series }
                else { s.runs[run]!.tags[tag]!.merge(series) }
            }
            if s.runs[run]!.bytesKnown < s.runs[run]!.bytesRead { s.runs[run]!.bytesKnown = s.runs[run]!.bytesRead }
            s.warnings.append(contentsOf: warnings)
            if s.warnings.count > 1000 { s.warnings.removeFirst(s.warnings.count - 1000) }
            s.progress.bytesRead += bytes
            s.progress.bytesKnown = max(s.progress.bytesKnown, s.progress.bytesRead)
            s.progress.runsLoaded = s.runs.values.reduce(0) { $0 + ($1.isLoaded ? 1 : 0) }
            s.version &+= 1
        }
    }

    // MARK: Results

    /// A value copy of everything read so far.
    public func snapshot() -> LogdirSnapshot {
        shared.withLock { s in
            LogdirSnapshot(root: root, version: s.version, runs: s.runs.values.sorted { $0.name < $1.name },
                           progress: s.progress, warnings: s.warnings)
        }
    }

    /// Run names known so far, sorted (cheap: no series are copied).
    public var runNames: [String] { shared.withLock { $0.runs.keys.sorted() } }

    /// One run's data, or nil.
    public func run(_ name: String) -> RunData? { shared.withLock { $0.runs[name] } }

    public var progress: LoadProgress { shared.withLock { $0.progress } }
    /// Problems met so far (the newest 1,000), oldest first, without copying any series.
    public var warnings: [TensorBoardWarning] { shared.withLock { $0.warnings } }
    public var version: UInt64 { shared.withLock { $0.version } }

    // MARK: Background

    /// Discovers the runs now (so `runNames` answers at once), then loads everything and keeps polling
    /// every `interval` seconds on a background thread until `stop()`.
    public func start(interval: Double = 2) {
        guard !running.exchange(true, ordering: .acquiringAndReleasing) else { return }
        ioLock.lock(); backgroundStarted = true; ioLock.unlock()
        discover()
        let t = Thread { [self] in
            while running.load(ordering: .relaxed) {
                let n = poll()
                if n == 0 {
                    var waited = 0.0
                    while waited < interval && running.load(ordering: .relaxed) {
                        Thread.sleep(forTimeInterval: 0.05); waited += 0.05
                    }
                }
            }
            exited.signal()
        }
        t.name = "tend-logdir"
        t.start()
    }

    /// Stops the background thread (waits for it to finish its current chunk).
    public func stop() {
        if running.exchange(false, ordering: .acquiringAndReleasing) {
            exited.wait()
            ioLock.lock(); backgroundStarted = false; ioLock.unlock()
        }
    }
}
