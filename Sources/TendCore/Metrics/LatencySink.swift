/// Where the inference loop records the end-to-end time of each request, in nanoseconds.
/// Implementations must be thread-safe and cheap (called once per request).
public protocol LatencySink: AnyObject, Sendable {
    func recordLatency(nanos: UInt64)
}
