import Foundation

/// Human text and progress go to stderr; stdout carries only the `--json` object. Written with `write(2)`:
/// a stream that cannot be written (stderr redirected to a full disk, a closed pipe) loses the text but never
/// crashes the run (`FileHandle.write(_: Data)` traps on a failed write).
public enum Output {
    public static let stderrIsTTY = isatty(2) == 1

    public static func info(_ text: String) {
        write(2, text + "\n")
    }

    /// Writes all of `text` to `fd`, retrying short writes and EINTR; gives up silently on any other error.
    static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                done += n
            }
        }
    }

    /// Rewrites the current stderr line (progress bars); only on a terminal.
    public static func progress(_ text: String) {
        guard stderrIsTTY else { return }
        write(2, "\r\u{1B}[2K" + text)
    }

    public static func endProgress() {
        guard stderrIsTTY else { return }
        write(2, "\r\u{1B}[2K")
    }

    /// Prints one JSON object on stdout.
    public static func json<T: Encodable>(_ value: T) {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = (try? enc.encode(value)) ?? Data("{}".utf8)
        write(1, String(decoding: data, as: UTF8.self) + "\n")
    }

    public static func bar(fraction: Double, width: Int) -> String {
        let f = max(0, min(1, fraction.isFinite ? fraction : 0))
        let filled = Int((f * Double(width)).rounded(.down))
        return "[" + String(repeating: "=", count: filled) + (filled < width ? ">" : "")
            + String(repeating: " ", count: max(0, width - filled - 1)) + "]"
    }

    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }
}
