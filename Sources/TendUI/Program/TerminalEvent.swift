/// What a `TerminalBackend` reads: a key, a new screen size, or a termination signal (SIGINT/SIGTERM/SIGHUP)
/// the loop must answer by shutting down cleanly.
public enum TerminalEvent: Sendable, Equatable {
    case key(Key)
    /// The terminal changed size (cells); also sent after a stop/continue, when the screen must be drawn again in full.
    case resize(width: Int, height: Int)
    case terminate(signal: Int32)
}
