/// Where the engine publishes what it measures. Implementations must be cheap
/// (a short critical section) and thread-safe: the trainer calls them between steps.
public protocol MetricSink: AnyObject, Sendable {
    func record(_ point: MetricPoint)
    func log(_ event: EngineEvent)
}

extension MetricSink {
    public func record(_ key: MetricKey, step: Int, epoch: Int, wallTime: Double, value: Double) {
        record(MetricPoint(key: key, step: step, epoch: epoch, wallTime: wallTime, value: value))
    }
}

/// A sink that drops everything (headless runs with nothing subscribed).
public final class NullMetricSink: MetricSink {
    public init() {}
    public func record(_ point: MetricPoint) {}
    public func log(_ event: EngineEvent) {}
}

/// Fans every point out to several sinks in order.
public final class TeeMetricSink: MetricSink {
    public let sinks: [any MetricSink]
    public init(_ sinks: [any MetricSink]) { self.sinks = sinks }
    public func record(_ point: MetricPoint) { for s in sinks { s.record(point) } }
    public func log(_ event: EngineEvent) { for s in sinks { s.log(event) } }
}
