import Foundation
import Synchronization
import TendCore
import TendMetrics

/// Feeds the watch screen: follows a logdir with a `LogdirWatcher` (discovery, tailing, re-scans for new
/// files and runs) and turns each run that changed into a `WatchedRun` — chart-ready `ScalarTrack`s and
/// the scalar health verdicts of `ScalarTriage` — published as a `RunsSnapshot` the UI thread copies
/// once per frame (a short lock).
///
/// `start()` lists the runs at once (so a first frame can show them), then reads in the background and
/// converts every `convertInterval` seconds what was read; `refresh()` and `pollNow()` do the same
/// synchronously (tests, `--once`).
public final class LogdirLoader: @unchecked Sendable {
    public let watcher: LogdirWatcher
    public let trackCapacity: Int
    public let thresholds: AlertThresholds
    /// Warnings kept in the snapshot (the newest).
    public static let warningCapacity = 200

    private struct Converted {
        var bytesRead: Int
        var bytesKnown: Int
        var run: WatchedRun
    }

    private let store: Mutex<RunsSnapshot>
    private let convertLock = NSLock()
    private var converted: [String: Converted] = [:]
    private var lastVersion: UInt64 = .max
    private var publishedVersion: UInt64 = 0
    private let running = Atomic<Bool>(false)
    private let exited = DispatchSemaphore(value: 0)

    public init(root: String, trackCapacity: Int = ScalarTrack.defaultCapacity, thresholds: AlertThresholds = AlertThresholds(),
                maxPointsPerTag: Int = 4096) {
        watcher = LogdirWatcher(root: root, maxPointsPerTag: maxPointsPerTag)
        self.trackCapacity = trackCapacity
        self.thresholds = thresholds
        store = Mutex(RunsSnapshot(root: watcher.root))
    }

    deinit { stop() }

    /// The newest published state (a value copy).
    public func snapshot() -> RunsSnapshot { store.withLock { $0 } }

    /// Discovers the runs and publishes the list at once, then loads and follows the logdir in the
    /// background: the watcher re-scans for new files and runs every `rescanInterval` seconds once caught
    /// up; what it reads is converted and published every `convertInterval` seconds.
    public func start(rescanInterval: Double = 2, convertInterval: Double = 0.1) {
        guard !running.exchange(true, ordering: .acquiringAndReleasing) else { return }
        watcher.start(interval: rescanInterval)
        refresh()
        let t = Thread { [self] in
            while running.load(ordering: .relaxed) {
                refresh()
                Thread.sleep(forTimeInterval: convertInterval)
            }
            exited.signal()
        }
        t.name = "tend-watch-loader"
        t.start()
    }

    /// Stops the background threads.
    public func stop() {
        if running.exchange(false, ordering: .acquiringAndReleasing) {
            exited.wait()
            watcher.stop()
        }
    }

    /// Reads everything new now (discovery included) and publishes it. Not while `start()`ed.
    public func pollNow() {
        watcher.poll()
        refresh()
    }

    /// Converts the runs whose files were read further since the last call and publishes a new snapshot.
    /// Returns true when something changed.
    @discardableResult
    public func refresh() -> Bool {
        convertLock.lock(); defer { convertLock.unlock() }
        let version = watcher.version
        guard version != lastVersion else { return false }
        lastVersion = version
        var changed = false
        for name in watcher.runNames {
            guard let data = watcher.run(name) else { continue }
            if let c = converted[name], c.bytesRead == data.bytesRead, c.bytesKnown == data.bytesKnown { continue }
            converted[name] = Converted(bytesRead: data.bytesRead, bytesKnown: data.bytesKnown, run: convert(data))
            changed = true
        }
        let progress = watcher.progress
        let root = watcher.root
        let warnings = watcher.warnings
        let shownWarnings = warnings.suffix(Self.warningCapacity).map { w -> String in
            var path = w.path
            if path.hasPrefix(root + "/") { path.removeFirst(root.count + 1) }
            return "\(path): byte \(w.offset): \(w.message)"
        }
        let runs = converted.keys.sorted().map { converted[$0]!.run }
        var tags = Set<String>()
        for r in runs { for t in r.tracks.keys { tags.insert(t) } }
        publishedVersion &+= 1
        let snap = RunsSnapshot(root: root, version: publishedVersion, runs: runs, tags: tags.sorted(),
                                progress: WatchProgress(runs: runs.count, runsLoaded: runs.reduce(0) { $0 + ($1.isLoaded ? 1 : 0) },
                                                        bytesRead: progress.bytesRead, bytesKnown: progress.bytesKnown),
                                warnings: Array(shownWarnings), warningsTotal: warnings.count)
        store.withLock { $0 = snap }
        return changed
    }

    /// One run's tracks and verdicts.
    func convert(_ data: RunData) -> WatchedRun {
        var tracks: [String: ScalarTrack] = [:]
        var latest: [String: (step: Double, value: Double)] = [:]
        var other = 0
        for (tag, series) in data.tags {
            guard series.scalarCount > 0 else { other += 1; continue }
            let scalars = series.scalars
            var steps = [Double](repeating: 0, count: scalars.count)
            var values = [Double](repeating: 0, count: scalars.count)
            for i in scalars.indices { steps[i] = Double(scalars[i].step); values[i] = scalars[i].value }
            tracks[tag] = ScalarTrack(tag: tag, steps: steps, values: values, total: series.scalarCount, capacity: trackCapacity)
            if let l = series.latestScalar { latest[tag] = (Double(l.step), l.value) }
        }
        let mapped = ScalarTriage.tagsByKey(Array(tracks.keys), runName: data.name)
        var series: [MetricKey: RingSeries] = [:]
        for (key, tag) in mapped {
            guard let t = data.tags[tag] else { continue }
            var r = RingSeries(capacity: 4096)
            for p in t.scalars { r.append(step: Int(p.step), value: p.value, wallTime: p.wallTime) }
            series[key] = r
        }
        let alerts = ScalarTriage.evaluate(series: series, latest: latest, mapped: mapped, thresholds: thresholds)
        return WatchedRun(name: data.name, tracks: tracks, otherTags: other, alerts: alerts, isLoaded: data.isLoaded)
    }
}
