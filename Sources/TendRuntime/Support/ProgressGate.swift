import TendCore

/// Lets a progress line through at most every `interval` seconds (monotonic), and always the last one, so a
/// fast training loop does not spend its time redrawing stderr. One owner thread (the step callback's).
public final class ProgressGate {
    public let interval: Double
    private var last = -Double.infinity

    public init(interval: Double) { self.interval = interval }

    /// True when a line should be drawn now: `interval` has passed since the last one, or `final` is set.
    public func pass(final: Bool) -> Bool {
        let now = SystemClock().monotonic()
        guard final || now - last > interval else { return false }
        last = now
        return true
    }

    /// Draws `fraction` as the bar and percentage that start every progress line, then `rest`.
    public static func line(fraction: Double, width: Int, _ rest: String) -> String {
        Output.bar(fraction: fraction, width: width) + " " + String(format: "%3.0f%%", fraction * 100) + "  " + rest
    }
}
