import TendUI

/// What the terminal can show, decided once at startup: UTF-8 or not, and the colour depth.
public struct TerminalCapabilities: Hashable, Sendable {
    public var utf8: Bool
    public var colorDepth: ColorDepth
    /// Human-readable remarks about the decision (e.g. why truecolor was not used).
    public var notes: [String]
}
