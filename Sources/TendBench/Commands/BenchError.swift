/// A benchmark that could not measure what it set out to: the work it timed did not produce what it set up,
/// a helper program failed, or its terminal could not be made.
public enum BenchError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `bench` ("watch bench") saw `found` where it set up `expected`: the measurement is not valid.
    case wrongResult(bench: String, found: String, expected: String)
    /// A file the benchmark waits for (`what`) did not appear in time.
    case timedOut(what: String)
    /// A helper program could not start (`status` nil) or exited with `status`; `output` is its stderr's start.
    case programFailed(command: String, status: Int32?, output: String)
    /// The benchmark's terminal could not be set up.
    case terminal(bench: String, reason: String)

    public var description: String {
        switch self {
        case let .wrongResult(bench, found, expected):
            return "\(bench): \(found); expected \(expected)"
        case let .timedOut(what):
            return "\(what) did not finish in time"
        case let .programFailed(command, status, output):
            guard let status else { return "cannot run \(command): \(output)" }
            return "\(command) failed (\(status)): \(output)"
        case let .terminal(bench, reason):
            return "\(bench): \(reason)"
        }
    }
}
