/// A `tend.rules` file: `rule.parameter = value` lines (docs/RULES.md). Parsing is pure; errors name file:line.
public enum RulesFile {
    /// What a parameter's value means, and which units it accepts.
    enum Unit { case count, fraction, number, micros, seconds, bytesPerSecond, flag, severity }

    /// `rule id` → parameter → (unit, setter).
    struct Parameter {
        var unit: Unit
        var set: (inout AlertThresholds, Double) -> Void
    }

    static let parameters: [String: Parameter] = [
        "divergence.factor": .init(unit: .number) { $0.divergenceFactor = $1 },
        "divergence.window": .init(unit: .count) { $0.divergenceWindow = Int($1) },
        "plateau.evaluations": .init(unit: .count) { $0.plateauEvaluations = Int($1) },
        "plateau.min_delta": .init(unit: .fraction) { $0.plateauMinDelta = $1 },
        "overfitting.evaluations": .init(unit: .count) { $0.overfitEvaluations = Int($1) },
        "overfitting.accuracy_gap": .init(unit: .fraction) { $0.accuracyGap = $1 },
        "latency.p99": .init(unit: .micros) { $0.latencyP99Micros = $1 },
        "latency.window": .init(unit: .seconds) { $0.latencyWindowSeconds = $1 },
        "latency.min_requests": .init(unit: .count) { $0.latencyMinRequests = Int($1) },
        "throughput.drop": .init(unit: .fraction) { $0.throughputDrop = $1 },
        "memory.slope": .init(unit: .bytesPerSecond) { $0.memorySlopeBytesPerSecond = $1 },
        "memory.window": .init(unit: .seconds) { $0.memoryWindowSeconds = $1 },
        "drift.psi": .init(unit: .number) { $0.driftPSI = $1 },
        "fairness.dp_difference": .init(unit: .fraction) { $0.demographicParityDifference = $1 },
        "fairness.eo_difference": .init(unit: .fraction) { $0.equalizedOddsDifference = $1 },
        "leakage.score": .init(unit: .fraction) { $0.leakageScore = $1 },
        "rules.interval": .init(unit: .seconds) { $0.evaluationInterval = $1 },
        "rules.resolve_after": .init(unit: .count) { $0.resolveAfterEvaluations = max(1, Int($1)) },
    ]

    /// Rule ids accepted by `<id>.enabled` and `<id>.severity`.
    public static let ruleIDs = ["numerics", "divergence", "plateau", "overfitting", "overfitting.gap", "latency",
                                 "throughput", "memory", "drift", "drift.prediction", "fairness.dp", "fairness.eo",
                                 "leakage.duplicates", "leakage.feature"]

    /// Parses `text` over `base` (defaults unless given). `path` is used in error messages.
    public static func parse(_ text: String, path: String, base: AlertThresholds = AlertThresholds()) throws(RulesFileError) -> AlertThresholds {
        var t = base
        var lineNo = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let trimmed = line.trimmingSpaces
            if trimmed.isEmpty { continue }
            guard let eq = trimmed.firstIndex(of: "=") else {
                throw RulesFileError(path: path, line: lineNo, message: "expected `rule.parameter = value`, got \"\(trimmed)\"")
            }
            let key = trimmed[..<eq].trimmingSpaces.lowercased()
            let value = trimmed[trimmed.index(after: eq)...].trimmingSpaces
            guard !value.isEmpty else { throw RulesFileError(path: path, line: lineNo, message: "\(key) has no value") }
            if key.hasSuffix(".enabled") {
                let rule = String(key.dropLast(".enabled".count))
                guard ruleIDs.contains(rule) else { throw unknownRule(rule, path, lineNo) }
                switch value.lowercased() {
                case "true", "on", "yes": t.disabled.remove(rule)
                case "false", "off", "no": t.disabled.insert(rule)
                default: throw RulesFileError(path: path, line: lineNo, message: "\(key) = \(value): expected true or false")
                }
                continue
            }
            if key.hasSuffix(".severity") {
                let rule = String(key.dropLast(".severity".count))
                guard ruleIDs.contains(rule) else { throw unknownRule(rule, path, lineNo) }
                guard let s = Severity(rawValue: value.lowercased()) else {
                    throw RulesFileError(path: path, line: lineNo, message: "\(key) = \(value): expected warning or critical")
                }
                t.severities[rule] = s
                continue
            }
            guard let p = parameters[key] else {
                throw RulesFileError(path: path, line: lineNo,
                                     message: "unknown parameter \"\(key)\" (known: \(parameters.keys.sorted().joined(separator: ", ")), <rule>.enabled, <rule>.severity)")
            }
            do { p.set(&t, try parseValue(value, unit: p.unit)) }
            catch let e as ValueError { throw RulesFileError(path: path, line: lineNo, message: "\(key) = \(value): \(e.message)") }
            catch { throw RulesFileError(path: path, line: lineNo, message: "\(key) = \(value): \(error)") }
        }
        return t
    }

    private static func unknownRule(_ rule: String, _ path: String, _ line: Int) -> RulesFileError {
        RulesFileError(path: path, line: line, message: "unknown rule \"\(rule)\" (rules: \(ruleIDs.joined(separator: ", ")))")
    }

    struct ValueError: Error { var message: String }

    /// Parses a duration given to `--slo-p99`: `5ms`, `250us`, `0.5s`; a bare number is milliseconds. Returns microseconds.
    public static func parseMicros(_ text: String) -> Double? { try? parseValue(Substring(text), unit: .micros) }

    static func parseValue(_ text: Substring, unit: Unit) throws -> Double {
        do { return try parseValueUnchecked(text, unit: unit) }
        catch let e as ValueError where e.message == "not a number" { throw ValueError(message: hint(unit)) }
    }

    static func hint(_ unit: Unit) -> String {
        switch unit {
        case .count: return "expected a whole number ≥ 1"
        case .fraction: return "expected a fraction ≥ 0 (0.1 or 10%)"
        case .number: return "expected a number > 0"
        case .micros: return "expected a duration > 0 (5ms, 250us, 0.5s)"
        case .seconds: return "expected a duration > 0 (30s, 2min)"
        case .bytesPerSecond: return "expected a rate > 0 (1MiB/s, 10MB/min)"
        case .flag, .severity: return "not a numeric parameter"
        }
    }

    static func parseValueUnchecked(_ text: Substring, unit: Unit) throws -> Double {
        let s = text.lowercased().replacingSpaces
        func number(_ body: Substring) throws -> Double {
            guard let v = Double(body), v.isFinite else { throw ValueError(message: "not a number") }
            return v
        }
        func suffixed(_ table: [(String, Double)], default scale: Double) throws -> Double {
            for (suffix, factor) in table where s.hasSuffix(suffix) {
                return try number(Substring(s.dropLast(suffix.count))) * factor
            }
            return try number(Substring(s)) * scale
        }
        let v: Double
        switch unit {
        case .count:
            v = try number(Substring(s))
            guard v >= 1, v == v.rounded() else { throw ValueError(message: "expected a whole number ≥ 1") }
        case .fraction:
            v = s.hasSuffix("%") ? try number(Substring(s.dropLast())) / 100 : try number(Substring(s))
            guard v >= 0 else { throw ValueError(message: "expected a fraction ≥ 0 (0.1 or 10%)") }
        case .number:
            v = try number(Substring(s))
            guard v > 0 else { throw ValueError(message: "expected a number > 0") }
        case .micros:
            v = try suffixed([("ms", 1000), ("us", 1), ("µs", 1), ("s", 1_000_000)], default: 1000)
            guard v > 0 else { throw ValueError(message: "expected a duration > 0 (5ms, 250us, 0.5s)") }
        case .seconds:
            v = try suffixed([("ms", 0.001), ("min", 60), ("s", 1)], default: 1)
            guard v > 0 else { throw ValueError(message: "expected a duration > 0 (30s, 2min)") }
        case .bytesPerSecond:
            let perMinute = s.hasSuffix("/min")
            let body = perMinute ? String(s.dropLast(4)) : (s.hasSuffix("/s") ? String(s.dropLast(2)) : s)
            var bytes: Double? = nil
            for (suffix, factor) in [("kib", 1024.0), ("mib", 1_048_576), ("gib", 1_073_741_824), ("kb", 1000), ("mb", 1e6), ("gb", 1e9), ("b", 1)]
            where body.hasSuffix(suffix) {
                bytes = try number(Substring(body.dropLast(suffix.count))) * factor
                break
            }
            v = (try bytes ?? number(Substring(body))) / (perMinute ? 60 : 1)
            guard v > 0 else { throw ValueError(message: "expected a rate > 0 (1MiB/s, 10MB/min)") }
        case .flag, .severity:
            throw ValueError(message: "not a numeric parameter")
        }
        return v
    }
}

/// A `tend.rules` error naming the file and line.
public struct RulesFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var message: String
    public init(path: String, line: Int, message: String) { self.path = path; self.line = line; self.message = message }
    public var description: String { "\(path):\(line): \(message)" }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return s
    }
    var replacingSpaces: String { String(filter { $0 != " " && $0 != "\t" }) }
}

extension String {
    var replacingSpaces: String { String(filter { $0 != " " && $0 != "\t" }) }
}
