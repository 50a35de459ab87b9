import ArgumentParser
import Foundation
import TendInterop

/// `tend watch LOGDIR --once`: the latest value of every tag of every run of a TensorBoard logdir.
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read a TensorBoard logdir (event files of Tend, TensorFlow, PyTorch, ...) and show the latest values.",
        discussion: """
        A run is any directory under LOGDIR holding events.out.tfevents.* files. With --once, reads everything
        and prints one line per run and tag (or one JSON object with --json). Without --once, keeps following
        the logdir and reprints the table every --interval seconds until interrupted.
        """)

    @Argument(help: "TensorBoard log directory.") var logdir: String
    @Flag(help: "Read once, print, exit.") var once = false
    @Flag(help: "Print one JSON object on stdout.") var json = false
    @Option(help: "Seconds between refreshes (without --once).") var interval = 2.0

    struct TagLatest: Encodable {
        var kind: String
        var step: Int64?, value: Double?, wall_time: Double?
        var points: Int
    }
    struct RunLatest: Encodable { var tags: [String: TagLatest]; var bytes: Int }
    struct Report: Encodable {
        var logdir: String
        var runs: [String: RunLatest]
        var warnings: [String]
    }

    func run() throws {
        try reportingErrors {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: logdir, isDirectory: &isDir), isDir.boolValue else {
                throw CLIError("\(logdir): no such directory")
            }
            let watcher = LogdirWatcher(root: logdir)
            if once {
                watcher.poll()
                emit(watcher.snapshot())
                return
            }
            watcher.start(interval: interval)
            var shown: UInt64 = .max
            while true {
                let snap = watcher.snapshot()
                if snap.version != shown {
                    shown = snap.version
                    if !json { Output.info("\u{1B}[2J\u{1B}[H" + "tend watch \(logdir)  (\(Int(snap.progress.fraction * 100))% loaded)") }
                    emit(snap)
                }
                Thread.sleep(forTimeInterval: interval)
            }
        }
    }

    func emit(_ snap: LogdirSnapshot) {
        if json {
            var runs: [String: RunLatest] = [:]
            for r in snap.runs {
                var tags: [String: TagLatest] = [:]
                for (name, t) in r.tags { tags[name] = Self.latest(t) }
                runs[r.name] = RunLatest(tags: tags, bytes: r.bytesRead)
            }
            Output.json(Report(logdir: logdir, runs: runs, warnings: snap.warnings.map(\.description)))
            return
        }
        for w in snap.warnings { Output.info("warning: \(w)") }
        var rows: [[String]] = [["run", "tag", "step", "value", "points"]]
        for r in snap.runs {
            for name in r.tagNames {
                let l = Self.latest(r.tags[name]!)
                let value: String
                switch l.kind {
                case "scalar": value = l.value.map { String(format: "%.6g", $0) } ?? "-"
                default: value = "(\(l.kind))"
                }
                rows.append([r.name, name, l.step.map(String.init) ?? "-", value, String(l.points)])
            }
            if r.tags.isEmpty { rows.append([r.name, "-", "-", "(no data yet)", "0"]) }
        }
        let widths = (0..<5).map { c in rows.map { $0[c].count }.max() ?? 0 }
        var out = ""
        for row in rows {
            out += row.enumerated().map { c, s in
                c >= 2 ? String(repeating: " ", count: widths[c] - s.count) + s : s + String(repeating: " ", count: widths[c] - s.count)
            }.joined(separator: "  ") + "\n"
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    static func latest(_ t: TagSeries) -> TagLatest {
        if let s = t.latestScalar {
            return TagLatest(kind: "scalar", step: s.step, value: s.value, wall_time: s.wallTime, points: t.scalarCount)
        }
        if let h = t.histograms.last {
            return TagLatest(kind: "histogram", step: h.step, value: nil, wall_time: h.wallTime, points: t.histograms.count)
        }
        if let x = t.texts.last {
            return TagLatest(kind: "text", step: x.step, value: nil, wall_time: x.wallTime, points: t.texts.count)
        }
        return TagLatest(kind: t.plugin ?? "skipped", step: nil, value: nil, wall_time: nil, points: t.skippedCount)
    }
}
