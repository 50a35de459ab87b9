import Foundation
import TendCore

/// An incident report of one run directory (config.json, summary.json, metrics.jsonl, checkpoints/):
/// configuration, timeline of alerts and actions, metric summaries with ASCII charts, latency, layers,
/// fairness. Built by `RunReport.load(runDirectory:)`; `markdown` renders it; it encodes to JSON as is.
public struct RunReport: Encodable, Sendable {
    /// One line of the timeline. `kind`: alert_fired, alert_resolved, action, error, warning, info.
    public struct Event: Encodable, Sendable, Equatable {
        public var time: Double
        public var kind: String
        public var severity: String?
        public var alert: String?
        public var message: String
    }
    /// A series: point count, first/last/min/max (non-finite values counted apart), and a chart.
    public struct Metric: Encodable, Sendable {
        public var key: String
        public var count: Int
        public var nonFinite: Int
        public var firstStep: Int, lastStep: Int
        public var first: Double?, last: Double?, min: Double?, max: Double?
        public var chart: [String]
    }
    public struct Layer: Encodable, Sendable {
        public var name: String
        public var shape: [Int]
        public var parameters: Int
        public var sparsity: Double
    }
    /// Latest value of each per-group fairness figure: `task`, `group`, `metric` (selection_rate, tpr, fpr, accuracy).
    public struct FairnessRow: Encodable, Sendable {
        public var task: String, group: String, metric: String
        public var value: Double
    }

    public var run: String
    public var config: [String: String]
    public var summary: [String: String]
    public var timeline: [Event]
    /// Alerts fired and not resolved by the end of the log.
    public var openAlerts: [String]
    public var alertCounts: [String: Int]
    public var metrics: [Metric]
    public var latency: [Metric]
    public var layers: [Layer]
    public var fairness: [FairnessRow]
    public var fairnessSummary: [String: Double]
    /// metrics.jsonl lines that could not be read (`line N: reason`).
    public var badLines: [String]

    /// Reads everything under `runDirectory`. Throws when metrics.jsonl is missing or unreadable.
    public static func load(runDirectory dir: String, chartWidth: Int = 60, chartHeight: Int = 8) throws -> RunReport {
        func path(_ p: String) -> String { (dir as NSString).appendingPathComponent(p) }
        let contents = try MetricsJSONL.read(path: path("metrics.jsonl"))
        var timeline: [Event] = []
        var open: [String: String] = [:]
        var counts: [String: Int] = [:]
        for e in contents.events {
            if let a = parseAlert(e) {
                timeline.append(a)
                if a.kind == "alert_fired" { open[a.alert ?? ""] = "\(a.severity ?? "") \(a.alert ?? ""): \(a.message)"; counts[a.severity ?? "?", default: 0] += 1 }
                else { open[a.alert ?? ""] = nil }
            } else if e.message.hasPrefix("action ") || e.message.hasPrefix("paused") || e.message.hasPrefix("resumed")
                        || e.message.hasPrefix("early stopping") || e.message.hasPrefix("fine-tun") || e.message.hasPrefix("restored")
                        || e.message.hasPrefix("leakage check") || e.level != .info {
                let kind = e.message.hasPrefix("action ") ? "action" : (e.level == .info ? "info" : e.level.rawValue)
                timeline.append(Event(time: e.wallTime, kind: kind, severity: nil, alert: nil, message: e.message))
            }
        }
        var byKey: [MetricKey: [MetricPoint]] = [:]
        for p in contents.points { byKey[p.key, default: []].append(p) }
        var metrics: [Metric] = [], latency: [Metric] = []
        var fairness: [FairnessRow] = []
        var fairnessSummary: [String: Double] = [:]
        for key in byKey.keys.sorted() {
            let pts = byKey[key]!
            let tag = key.tag
            if tag.hasPrefix("fairness/") {
                let parts = tag.split(separator: "/").map(String.init)
                if parts.count == 4, let v = pts.last?.value {
                    fairness.append(FairnessRow(task: parts[1], group: parts[2], metric: parts[3], value: v))
                    continue
                } else if let v = pts.last?.value { fairnessSummary[String(tag.dropFirst("fairness/".count))] = v }
            }
            let m = summarize(key: tag, pts, width: chartWidth, height: chartHeight)
            if tag.contains("latency") || tag.contains("p99") || tag.contains("p50") { latency.append(m) } else { metrics.append(m) }
        }
        return RunReport(run: dir, config: flattenJSON(path("config.json")), summary: flattenJSON(path("summary.json")),
                         timeline: timeline, openAlerts: open.values.sorted(), alertCounts: counts,
                         metrics: metrics, latency: latency, layers: readLayers(path("checkpoints/last.safetensors")),
                         fairness: fairness, fairnessSummary: fairnessSummary,
                         badLines: contents.badLines.map(\.description))
    }

    /// `alert fired critical numerics: message | suggestion` → an alert event; nil for other events.
    static func parseAlert(_ e: EngineEvent) -> Event? {
        let parts = e.message.split(separator: " ", maxSplits: 3).map(String.init)
        guard parts.count == 4, parts[0] == "alert", parts[1] == "fired" || parts[1] == "resolved" else { return nil }
        let rest = parts[3]
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        let id = String(rest[..<colon])
        let message = rest[rest.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        return Event(time: e.wallTime, kind: "alert_\(parts[1])", severity: parts[2], alert: id, message: message)
    }

    static func summarize(key: String, _ pts: [MetricPoint], width: Int, height: Int) -> Metric {
        let finite = pts.map(\.value).filter(\.isFinite)
        return Metric(key: key, count: pts.count, nonFinite: pts.count - finite.count,
                      firstStep: pts.first?.step ?? 0, lastStep: pts.last?.step ?? 0,
                      first: pts.first?.value, last: pts.last?.value, min: finite.min(), max: finite.max(),
                      chart: asciiChart(pts.filter { $0.value.isFinite }.map { (Double($0.step), $0.value) }, width: width, height: height))
    }

    /// A `height`-row chart of (x, y) with one column per x bucket (bucket means), `*` marks, a y label on
    /// the first and last rows. Empty for fewer than two points.
    public static func asciiChart(_ xy: [(Double, Double)], width: Int, height: Int) -> [String] {
        guard xy.count >= 2, width >= 4, height >= 2 else { return [] }
        let cols = Swift.min(width, xy.count)
        var sums = [Double](repeating: 0, count: cols), ns = [Int](repeating: 0, count: cols)
        let x0 = xy.first!.0, x1 = xy.last!.0
        for (i, p) in xy.enumerated() {
            let c = x1 > x0 ? Swift.min(cols - 1, Int((p.0 - x0) / (x1 - x0) * Double(cols - 1) + 0.5))
                            : i * cols / xy.count
            sums[c] += p.1; ns[c] += 1
        }
        let ys = (0..<cols).map { ns[$0] > 0 ? sums[$0] / Double(ns[$0]) : Double.nan }
        let finite = ys.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        var grid = [[Character]](repeating: [Character](repeating: " ", count: cols), count: height)
        for (c, y) in ys.enumerated() where y.isFinite {
            let r = hi > lo ? Int(((hi - y) / (hi - lo) * Double(height - 1)).rounded()) : height / 2
            grid[r][c] = "*"
        }
        let labels = (0..<height).map { r -> String in
            r == 0 ? fmtNumber(hi) : (r == height - 1 ? fmtNumber(lo) : "")
        }
        let lw = labels.map(\.count).max() ?? 0
        return (0..<height).map { r in
            String(repeating: " ", count: lw - labels[r].count) + labels[r] + " |" + String(grid[r])
        } + [String(repeating: " ", count: lw) + " +" + String(repeating: "-", count: cols),
             String(repeating: " ", count: lw) + "  step \(Int(x0)) … \(Int(x1))"]
    }

    static func flattenJSON(_ path: String) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path),
              let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        var out: [String: String] = [:]
        for (k, v) in obj {
            if let s = v as? String { out[k] = s }
            else if let d = try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys, .fragmentsAllowed]) {
                out[k] = String(decoding: d, as: UTF8.self)
            }
        }
        return out
    }

    static func readLayers(_ path: String) -> [Layer] {
        guard let file = try? SafetensorsFile(path: path) else { return [] }
        var out: [Layer] = []
        for info in file.tensorInfo where !info.name.contains(".m.") && !info.name.contains(".v.") && !info.name.contains("velocity")
            && info.name.split(separator: ".").count == 2 {
            guard let t = try? file.floatTensor(info.name) else { continue }
            let zeros = t.storage.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
            out.append(Layer(name: info.name, shape: t.shape.dims, parameters: t.count, sparsity: Double(zeros) / Double(Swift.max(t.count, 1))))
        }
        return out
    }

    /// The report as Markdown.
    public var markdown: String {
        var md = "# Incident report: \(run)\n\n"
        md += "## Summary\n\n"
        if summary.isEmpty { md += "No summary.json (the run did not finish).\n\n" }
        else { for k in summary.keys.sorted() { md += "- **\(k)**: \(summary[k]!)\n" }; md += "\n" }
        md += "Alerts fired: " + (alertCounts.isEmpty ? "none" : alertCounts.keys.sorted().map { "\(alertCounts[$0]!) \($0)" }.joined(separator: ", ")) + ".\n"
        if !openAlerts.isEmpty { md += "\nStill active at the end of the log:\n\n" + openAlerts.map { "- \($0)\n" }.joined() }
        md += "\n## Configuration\n\n"
        if config.isEmpty { md += "No config.json.\n" }
        else { md += "| key | value |\n|---|---|\n" + config.keys.sorted().map { "| \($0) | `\(config[$0]!)` |\n" }.joined() }
        md += "\n## Timeline\n\n"
        if timeline.isEmpty { md += "No alerts or actions.\n" }
        else {
            md += "| time (UTC) | kind | alert | message |\n|---|---|---|---|\n"
            for e in timeline {
                md += "| \(Self.time(e.time)) | \(e.kind)\(e.severity.map { " (\($0))" } ?? "") | \(e.alert ?? "") | \(e.message.replacingOccurrences(of: "|", with: "\\|")) |\n"
            }
        }
        md += "\n## Metrics\n\n"
        for m in metrics { md += Self.section(m) }
        if !latency.isEmpty { md += "\n## Latency\n\n"; for m in latency { md += Self.section(m) } }
        md += "\n## Layers\n\n"
        if layers.isEmpty { md += "No checkpoints/last.safetensors.\n" }
        else {
            md += "| tensor | shape | parameters | sparsity |\n|---|---|---:|---:|\n"
            for l in layers { md += "| \(l.name) | \(l.shape.map(String.init).joined(separator: "×")) | \(l.parameters) | \(String(format: "%.1f%%", l.sparsity * 100)) |\n" }
        }
        if !fairness.isEmpty || !fairnessSummary.isEmpty {
            md += "\n## Fairness (validation split, last epoch)\n\n"
            let metricsOrder = ["selection_rate", "tpr", "fpr", "accuracy"]
            md += "| task | group | selection rate | TPR | FPR | accuracy |\n|---|---|---:|---:|---:|---:|\n"
            let keys = Set(fairness.map { "\($0.task)\u{1}\($0.group)" }).sorted()
            for k in keys {
                let parts = k.split(separator: "\u{1}").map(String.init)
                let cells = metricsOrder.map { m in
                    fairness.first { $0.task == parts[0] && $0.group == parts[1] && $0.metric == m }.map { String(format: "%.4f", $0.value) } ?? "null"
                }
                md += "| \(parts[0]) | \(parts[1]) | " + cells.joined(separator: " | ") + " |\n"
            }
            md += "\n" + fairnessSummary.keys.sorted().map { "- \($0): \(String(format: "%.4f", fairnessSummary[$0]!))\n" }.joined()
        }
        if !badLines.isEmpty { md += "\n## Unreadable metrics.jsonl lines\n\n" + badLines.map { "- \($0)\n" }.joined() }
        return md
    }

    static func section(_ m: Metric) -> String {
        func f(_ v: Double?) -> String { v.map(fmtNumber) ?? "-" }
        var s = "### \(m.key)\n\n\(m.count) points, steps \(m.firstStep)–\(m.lastStep); first \(f(m.first)), last \(f(m.last)), min \(f(m.min)), max \(f(m.max))"
        if m.nonFinite > 0 { s += "; **\(m.nonFinite) non-finite**" }
        s += "\n\n"
        if !m.chart.isEmpty { s += "```\n" + m.chart.joined(separator: "\n") + "\n```\n\n" }
        return s
    }

    static func time(_ t: Double) -> String {
        let f = DateFormatter(); f.dateFormat = "yyyy-MM-dd HH:mm:ss"; f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date(timeIntervalSince1970: t))
    }
}

func fmtNumber(_ v: Double) -> String {
    guard v.isFinite else { return "\(v)" }
    let a = abs(v)
    if a != 0 && (a >= 1e6 || a < 1e-3) { return String(format: "%.3e", v) }
    return String(format: "%.4g", v)
}
