import TendCore
import TendUI

/// Number and time formatting for the dashboard, without Foundation (so it is identical on every platform).
public enum DashboardFormat {
    /// A smoothing weight, `0.60`.
    public static func weight(_ w: Double) -> String { NumberFormat.fixed(w, decimals: 2) }

    /// A byte count in binary units, `512 B`, `1.5 KiB`, `182 MiB`, `2.04 GiB`.
    public static func bytes(_ b: Double) -> String {
        guard b.isFinite else { return NumberFormat.compact(b) }
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var v = abs(b), i = 0
        while v >= 1024 * 0.9995, i < units.count - 1 { v /= 1024; i += 1 }
        let n = i == 0 ? NumberFormat.fixed(v, decimals: 0) : significant(v)
        return (b < 0 ? "-" : "") + n + " " + units[i]
    }

    /// Three significant digits without a suffix: `1.23`, `12.3`, `123`.
    static func significant(_ v: Double) -> String {
        if v >= 99.95 { return NumberFormat.fixed(v, decimals: 0) }
        if v >= 9.995 { return NumberFormat.fixed(v, decimals: 1) }
        return NumberFormat.fixed(v, decimals: 2)
    }

    /// A latency given in microseconds: `850µs`, `1.23ms`, `2.10s` (`us` instead of `µs` in ASCII).
    public static func micros(_ us: Double, ascii: Bool = false) -> String {
        guard us.isFinite else { return NumberFormat.compact(us) }
        if us < 999.5 { return NumberFormat.fixed(us, decimals: 0) + (ascii ? "us" : "µs") }
        if us < 999_500 { return significant(us / 1000) + "ms" }
        return significant(us / 1_000_000) + "s"
    }

    /// A duration in seconds: `42s`, `4m02s`, `1h05m`, `2d03h`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let t = Int(seconds.rounded())
        if t < 60 { return "\(t)s" }
        if t < 3600 { return "\(t / 60)m" + two(t % 60) + "s" }
        if t < 86_400 { return "\(t / 3600)h" + two(t / 60 % 60) + "m" }
        return "\(t / 86_400)d" + two(t / 3600 % 24) + "h"
    }

    /// Unix seconds as `HH:MM:SS` in UTC.
    public static func clockTime(_ unixSeconds: Double) -> String {
        guard unixSeconds.isFinite else { return "--:--:--" }
        let t = Int(unixSeconds.rounded(.down))
        let day = ((t % 86_400) + 86_400) % 86_400
        return two(day / 3600) + ":" + two(day / 60 % 60) + ":" + two(day % 60)
    }

    /// A fraction 0…1 as a percentage with one decimal, `91.2%`.
    public static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return NumberFormat.compact(fraction) }
        return NumberFormat.fixed(fraction * 100, decimals: 1) + "%"
    }

    /// A whole number with thousands separators, `1,234,567`.
    public static func grouped(_ n: Int) -> String { groupedDigits(n) }

    /// A metric value for a legend: 4 significant digits, `0.4123`, `12.35`, `1.2e-05`.
    public static func value(_ v: Double) -> String { NumberFormat.compact(v, significant: 4) }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
