/// Builds Prometheus text exposition format (version 0.0.4), the format node_exporter's textfile
/// collector reads: per metric family one `# HELP` and one `# TYPE` line, then its samples.
/// Metric names are sanitised to `[a-zA-Z_:][a-zA-Z0-9_:]*`; label values are escaped (`\\`, `\"`, `\n`).
public struct PrometheusText: Sendable {
    public enum MetricType: String, Sendable { case gauge, counter, histogram, untyped }

    public private(set) var text = ""
    private var families: Set<String> = []

    public init() {}

    /// A name made valid: other characters become `_`, a leading digit gets a `_` prefix.
    public static func sanitize(_ name: String) -> String {
        var out = ""
        for (i, c) in name.unicodeScalars.enumerated() {
            let ok = (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" || c == ":" || (i > 0 && c >= "0" && c <= "9")
            if ok { out.unicodeScalars.append(c) }
            else if i == 0 && c >= "0" && c <= "9" { out += "_"; out.unicodeScalars.append(c) }
            else { out += "_" }
        }
        return out.isEmpty ? "_" : out
    }

    /// A label value with `\`, `"` and newline escaped.
    public static func escapeLabelValue(_ value: String) -> String {
        var out = ""
        for c in value.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// HELP text escaping (`\` and newline).
    static func escapeHelp(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// A sample value: Go float formatting (`+Inf`, `-Inf`, `NaN`, shortest round-trip decimal otherwise).
    public static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v == .infinity { return "+Inf" }
        if v == -.infinity { return "-Inf" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    static func labelText(_ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return "" }
        return "{" + labels.map { "\(sanitize($0.0))=\"\(escapeLabelValue($0.1))\"" }.joined(separator: ",") + "}"
    }

    /// Starts a family (once per name; later calls with the same name add nothing).
    public mutating func family(_ name: String, type: MetricType, help: String) {
        let n = Self.sanitize(name)
        guard families.insert(n).inserted else { return }
        text += "# HELP \(n) \(Self.escapeHelp(help))\n# TYPE \(n) \(type.rawValue)\n"
    }

    /// One sample line.
    public mutating func sample(_ name: String, labels: [(String, String)] = [], _ value: Double) {
        text += "\(Self.sanitize(name))\(Self.labelText(labels)) \(Self.format(value))\n"
    }

    /// A gauge family with one sample.
    public mutating func gauge(_ name: String, help: String, labels: [(String, String)] = [], _ value: Double) {
        family(name, type: .gauge, help: help)
        sample(name, labels: labels, value)
    }

    /// A histogram: `buckets` are (upper bound, cumulative count) ascending, without +Inf (added from `count`).
    public mutating func histogram(_ name: String, help: String, labels: [(String, String)] = [],
                                   buckets: [(le: Double, cumulative: Double)], sum: Double, count: Double) {
        family(name, type: .histogram, help: help)
        for b in buckets { sample(name + "_bucket", labels: labels + [("le", Self.format(b.le))], b.cumulative) }
        sample(name + "_bucket", labels: labels + [("le", "+Inf")], count)
        sample(name + "_sum", labels: labels, sum)
        sample(name + "_count", labels: labels, count)
    }
}
