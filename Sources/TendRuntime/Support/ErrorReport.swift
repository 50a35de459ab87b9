import Foundation

/// The one JSON object a `--json` command prints on stdout when it fails:
/// `{"error":{"message":…,"file":…,"line":…}}`. `file` comes from a typed error (`NamesAFile`) or is read, with
/// `line`, off the message's `path:line:` or `path:` prefix; absent when the error is about no file.
public struct ErrorReport: Encodable, Sendable, Equatable {
    public struct Body: Encodable, Sendable, Equatable {
        public var message: String
        public var file: String?
        public var line: Int?
    }
    public var error: Body

    public init(message: String) {
        var file: String? = nil, line: Int? = nil
        let parts = message.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        if parts.count >= 2, !parts[0].isEmpty, !parts[0].contains(" "),
           parts[0].contains("/") || parts[0].contains(".") || FileManager.default.fileExists(atPath: parts[0]) {
            file = parts[0]
            if parts.count == 3, let n = Int(parts[1]) { line = n }
        }
        error = Body(message: message, file: file, line: line)
    }

    /// The report of `error`: the file from `NamesAFile` when the error is typed (a line only when the message's
    /// `file:line:` prefix names the same file), else both parsed from the message.
    public init(error: any Error) {
        self.init(message: "\(error)")
        if let named = error as? NamesAFile, let file = named.file, file != self.error.file {
            self.error.file = file
            self.error.line = nil
        }
    }
}
