import TendCore

/// Samples this process's memory, threads and CPU from `/proc/self/status` and `/proc/self/stat`.
/// Keeps the previous CPU reading to turn CPU time into a percentage. Parsing is separate from reading
/// so captured file contents can be fed in (`sample(status:stat:at:)`).
public struct ProcessSampler: Sendable {
    public static let statusPath = "/proc/self/status"
    public static let statPath = "/proc/self/stat"

    public let clock: any TendClock
    /// `sysconf(_SC_CLK_TCK)`: units of utime/stime in `/proc/self/stat`.
    public let ticksPerSecond: Double
    private var previous: (time: Double, cpuSeconds: Double)?

    public init(clock: any TendClock = SystemClock(), ticksPerSecond: Double? = nil) {
        self.clock = clock
        self.ticksPerSecond = ticksPerSecond ?? ProcFile.clockTicksPerSecond()
    }

    /// Reads both files now.
    public mutating func sample() throws -> ProcessSample {
        let status = try ProcFile.read(Self.statusPath)
        let stat = try ProcFile.read(Self.statPath)
        return try sample(status: status, stat: stat, at: clock.monotonic())
    }

    /// Parses captured contents of `/proc/self/status` and `/proc/self/stat` read at monotonic time `time`.
    public mutating func sample(status: String, stat: String, at time: Double) throws -> ProcessSample {
        let s = try Self.parseStatus(status)
        let ticks = try Self.parseStatCPUTicks(stat)
        let cpuSeconds = Double(ticks) / ticksPerSecond
        var percent: Double?
        if let previous, time > previous.time {
            percent = Swift.max(0, cpuSeconds - previous.cpuSeconds) / (time - previous.time) * 100
        }
        previous = (time, cpuSeconds)
        return ProcessSample(time: time, rssBytes: s.rssBytes, peakRSSBytes: s.peakRSSBytes, threads: s.threads,
                             cpuSeconds: cpuSeconds, cpuPercent: percent)
    }

    /// Fields of `/proc/self/status`: `VmRSS`, `VmHWM` (in kB, returned in bytes) and `Threads`.
    public static func parseStatus(_ text: String) throws -> (rssBytes: UInt64, peakRSSBytes: UInt64, threads: Int) {
        var rss: UInt64?, hwm: UInt64?, threads: Int?
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon]
            guard name == "VmRSS" || name == "VmHWM" || name == "Threads" else { continue }
            let rest = line[line.index(after: colon)...]
            let parts = rest.split(whereSeparator: { $0 == " " || $0 == "\t" })
            let column = line.distance(from: line.startIndex, to: colon) + 2
            func malformed() -> ProcessSamplerError {
                .malformedField(path: statusPath, field: String(name), line: lineNumber, column: column,
                                text: String(rest.drop(while: { $0 == " " || $0 == "\t" })))
            }
            if name == "Threads" {
                guard parts.count == 1, let n = Int(parts[0]), n > 0 else { throw malformed() }
                threads = n
            } else {
                guard parts.count == 2, let kb = UInt64(parts[0]), parts[1] == "kB" else { throw malformed() }
                if name == "VmRSS" { rss = kb * 1024 } else { hwm = kb * 1024 }
            }
        }
        guard let rss else { throw ProcessSamplerError.missingField(path: statusPath, field: "VmRSS") }
        guard let hwm else { throw ProcessSamplerError.missingField(path: statusPath, field: "VmHWM") }
        guard let threads else { throw ProcessSamplerError.missingField(path: statusPath, field: "Threads") }
        return (rss, hwm, threads)
    }

    /// `utime + stime` (fields 14 and 15, clock ticks) of `/proc/self/stat`. The command name (field 2)
    /// may contain spaces and parentheses, so fields are counted after its last `)`.
    public static func parseStatCPUTicks(_ text: String) throws -> UInt64 {
        let bytes = Array(text.utf8)
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else {
            throw ProcessSamplerError.missingField(path: statPath, field: "comm")
        }
        // Fields after the command name start at field 3 (state); utime is field 14, stime field 15.
        var fields: [(start: Int, end: Int)] = []
        var i = close + 1
        while i < bytes.count && fields.count < 13 {
            while i < bytes.count && (bytes[i] == 32 || bytes[i] == 10) { i += 1 }
            let start = i
            while i < bytes.count && bytes[i] != 32 && bytes[i] != 10 { i += 1 }
            if i > start { fields.append((start, i)) }
        }
        func value(_ k: Int, _ name: String) throws -> UInt64 {
            guard k < fields.count else { throw ProcessSamplerError.missingField(path: statPath, field: name) }
            let f = fields[k]
            let s = String(decoding: bytes[f.start..<f.end], as: UTF8.self)
            guard let v = UInt64(s) else {
                throw ProcessSamplerError.malformedField(path: statPath, field: name, line: 1, column: f.start + 1, text: s)
            }
            return v
        }
        return try value(11, "utime") + value(12, "stime")
    }
}
