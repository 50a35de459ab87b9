import Foundation
import TendInterop

/// `tend watch --once`: the latest value of every tag of every run, as one JSON object or a text table.
public enum LogdirLatest {
    public struct TagLatest: Encodable {
        public var kind: String
        public var step: Int64?, value: Double?, wall_time: Double?
        public var points: Int
    }
    public struct RunLatest: Encodable { public var tags: [String: TagLatest]; public var bytes: Int }
    public struct Report: Encodable {
        public var logdir: String
        public var runs: [String: RunLatest]
        public var warnings: [String]
    }

    public static func report(logdir: String, _ snap: LogdirSnapshot) -> Report {
        var runs: [String: RunLatest] = [:]
        for r in snap.runs {
            var tags: [String: TagLatest] = [:]
            for (name, t) in r.tags { tags[name] = latest(t) }
            runs[r.name] = RunLatest(tags: tags, bytes: r.bytesRead)
        }
        return Report(logdir: logdir, runs: runs, warnings: snap.warnings.map(\.description))
    }

    /// One line per run and tag: run, tag, step, value, points (aligned columns).
    public static func table(_ snap: LogdirSnapshot) -> String {
        var rows: [[String]] = [["run", "tag", "step", "value", "points"]]
        for r in snap.runs {
            for name in r.tagNames {
                let l = latest(r.tags[name]!)
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
        return out
    }

    public static func latest(_ t: TagSeries) -> TagLatest {
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
