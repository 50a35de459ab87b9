import TendCore
import TendMetrics

/// Turns a `MetricsSnapshot` into Prometheus text: the latest value of every series as a gauge
/// `tend_<group>_<name>{run="…",split="<group>"}` (e.g. `train/loss` → `tend_train_loss{split="train"}`),
/// serving latency as the histogram `tend_inference_latency_seconds`, process RSS, samples/s (once, as
/// `tend_samples_per_second`), the step counter `tend_train_steps_total` and the epoch gauge.
public struct PrometheusExporter: Sendable {
    public var run: String
    /// Upper bounds of the latency histogram buckets, in seconds.
    public var latencyBuckets: [Double]

    public static let defaultLatencyBuckets: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    public init(run: String, latencyBuckets: [Double] = PrometheusExporter.defaultLatencyBuckets) {
        self.run = run
        self.latencyBuckets = latencyBuckets.sorted()
    }

    /// The exposition text for `snap`.
    public func text(_ snap: MetricsSnapshot) -> String {
        var out = PrometheusText()
        let runLabel = [("run", run)]
        for key in snap.keys where key != .samplesPerSecond {  // exported once below, as tend_samples_per_second
            guard let latest = snap.series[key]?.latest else { continue }
            let parts = key.tag.split(separator: "/", maxSplits: 1).map(String.init)
            if parts.first == "process" { continue }
            let name = "tend_" + PrometheusText.sanitize(key.tag.replacingOccurrences(of: "/", with: "_"))
            var labels = runLabel
            if parts.count == 2 { labels.append(("split", parts[0])) }
            out.gauge(name, help: "Latest value of the series \(key.tag).", labels: labels, latest.y)
        }
        let lastStep = snap.series.values.compactMap { $0.latest?.x }.max() ?? 0
        out.family("tend_train_steps_total", type: .counter, help: "Optimizer steps done.")
        out.sample("tend_train_steps_total", labels: runLabel, max(Double(snap.run.step), lastStep))
        out.gauge("tend_train_epoch", help: "Current epoch (0-based).", labels: runLabel, Double(snap.run.epoch))
        let sps = snap.run.samplesPerSecond > 0 ? snap.run.samplesPerSecond : (snap.series[.samplesPerSecond]?.latest?.y ?? 0)
        out.gauge("tend_samples_per_second", help: "Training throughput in samples per second.", labels: runLabel, sps)
        if let p = snap.process {
            out.gauge("tend_process_resident_memory_bytes", help: "Resident set size of the tend process in bytes.",
                      labels: runLabel, Double(p.rssBytes))
            out.gauge("tend_process_threads", help: "Threads of the tend process.", labels: runLabel, Double(p.threads))
            out.family("tend_process_cpu_seconds_total", type: .counter, help: "User and system CPU time of the tend process in seconds.")
            out.sample("tend_process_cpu_seconds_total", labels: runLabel, p.cpuSeconds)
        }
        let all = snap.latency[.all]
        if all.count > 0 {
            let (buckets, sum) = latencyHistogram(all)
            out.histogram("tend_inference_latency_seconds", help: "End-to-end inference request latency in seconds.",
                          labels: runLabel, buckets: buckets, sum: sum, count: Double(all.count))
        }
        return out.text
    }

    /// Cumulative counts at `latencyBuckets` from the store's log-spaced distribution. A distribution bucket
    /// straddling a bound is split linearly (exact at the store's bucket edges); `sum` is mean × count.
    func latencyHistogram(_ stats: LatencyStats) -> (buckets: [(le: Double, cumulative: Double)], sum: Double) {
        var out: [(le: Double, cumulative: Double)] = []
        for le in latencyBuckets {
            let leMicros = le * 1e6
            var c = 0.0
            for b in stats.distribution {
                if b.upperMicros <= leMicros { c += Double(b.count) }
                else if b.lowerMicros < leMicros {
                    c += Double(b.count) * (leMicros - b.lowerMicros) / (b.upperMicros - b.lowerMicros)
                }
            }
            out.append((le, min(Double(stats.count), c.rounded(.down))))
        }
        return (out, stats.meanMicros * 1e-6 * Double(stats.count))
    }
}
