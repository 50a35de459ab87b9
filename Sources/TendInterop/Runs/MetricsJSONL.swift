import TendCore

/// Reads metrics.jsonl files written by `MetricsJSONLWriter` (or by hand, or by Python's `json`).
public enum MetricsJSONL {
    /// A line that could not be understood, 1-based.
    public struct BadLine: Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public init(line: Int, reason: String) { self.line = line; self.reason = reason }
        public var description: String { "line \(line): \(reason)" }
    }

    /// Everything read from one file, in file order.
    public struct Contents: Sendable, Equatable {
        public var points: [MetricPoint] = []
        public var events: [EngineEvent] = []
        /// Lines that are not valid metric or event objects (the torn last line is not counted here).
        public var badLines: [BadLine] = []
        /// The file ended in an incomplete line (a writer was interrupted mid-line); it was skipped.
        public var tornLastLine = false
        public init() {}
    }

    /// Reads `path`. Throws only if the file cannot be read; bad lines are reported in `badLines`.
    public static func read(path: String) throws -> Contents {
        let bytes: [UInt8]
        do { bytes = try readWholeFile(path) } catch { throw MetricsJSONLError.unreadable(path: path, reason: error.reason) }
        return parse(bytes)
    }

    /// Parses metrics.jsonl text already in memory.
    public static func parse(_ bytes: [UInt8]) -> Contents {
        var out = Contents()
        let parser = JSONParser()
        bytes.withUnsafeBytes { all in
            var start = 0
            var line = 0
            while start < all.count {
                line += 1
                var end = start
                while end < all.count && all[end] != 0x0A { end += 1 }
                let terminated = end < all.count
                var contentEnd = end
                if contentEnd > start && all[contentEnd - 1] == 0x0D { contentEnd -= 1 }
                defer { start = end + 1 }
                let text = UnsafeRawBufferPointer(rebasing: all[start..<contentEnd])
                if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                let reason: String
                do {
                    let value = try parser.parse(text)
                    if let r = decode(value, into: &out) { reason = r } else { continue }
                } catch {
                    reason = "invalid JSON: \(error)"
                }
                if !terminated { out.tornLastLine = true } else { out.badLines.append(BadLine(line: line, reason: reason)) }
            }
        }
        return out
    }

    /// Appends the point or event in `value`; returns why it is neither, or nil on success.
    private static func decode(_ value: JSONValue, into out: inout Contents) -> String? {
        guard case .object = value else { return "expected a JSON object, got a \(value.kindName)" }
        if let tagValue = value["tag"] {
            guard let tag = tagValue.stringValue, !tag.isEmpty else { return "\"tag\" must be a non-empty string" }
            guard let step = value["step"]?.intValue else { return "\"step\" must be an integer" }
            guard let v = value["value"]?.doubleValue else { return "\"value\" must be a number" }
            let epoch: Int
            if let e = value["epoch"] { guard let i = e.intValue else { return "\"epoch\" must be an integer" }; epoch = i } else { epoch = 0 }
            let wall: Double
            if let w = value["wall_time"] { guard let d = w.doubleValue else { return "\"wall_time\" must be a number" }; wall = d } else { wall = 0 }
            out.points.append(MetricPoint(key: MetricKey(tag), step: step, epoch: epoch, wallTime: wall, value: v))
            return nil
        }
        if let eventValue = value["event"] {
            guard let message = eventValue.stringValue else { return "\"event\" must be a string" }
            var level = EngineEvent.Level.info
            if let l = value["level"] {
                guard let s = l.stringValue, let parsed = EngineEvent.Level(rawValue: s) else {
                    return "\"level\" must be one of info, warning, error"
                }
                level = parsed
            }
            let wall: Double
            if let w = value["wall_time"] { guard let d = w.doubleValue else { return "\"wall_time\" must be a number" }; wall = d } else { wall = 0 }
            out.events.append(EngineEvent(wallTime: wall, level: level, message: message))
            return nil
        }
        return "neither a metric (\"tag\") nor an event (\"event\")"
    }
}
