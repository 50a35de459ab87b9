/// A run-level failure outside model and data files: a run directory or log directory that is not there,
/// a terminal that cannot open, an output that cannot be written.
public enum RunError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `path` has no `metrics.jsonl`.
    case notARunDirectory(path: String)
    /// A directory option (`--logdir`) naming nothing.
    case noSuchDirectory(path: String)
    /// The interactive terminal could not be set up (`reason` from the terminal layer).
    case terminalUnavailable(reason: String)
    /// An output file (`what`: "predictions", "--prom-textfile") that cannot be written.
    case cannotWrite(what: String, path: String, reason: String)

    public var description: String {
        switch self {
        case let .notARunDirectory(path):
            return "\(path) is not a run directory (no metrics.jsonl); give a directory tend train wrote (runs/…)"
        case let .noSuchDirectory(path):
            return "\(path): no such directory"
        case let .terminalUnavailable(reason):
            return "cannot open the terminal: \(reason) (run it in an interactive terminal, or use the headless commands with --json)"
        case let .cannotWrite(what, path, reason):
            return "cannot write \(what) to \(path): \(reason)"
        }
    }
}
