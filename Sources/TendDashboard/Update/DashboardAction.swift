import TendCore

/// What `update` asks the outside world to do; the executable performs these in order.
public enum DashboardAction: Sendable, Equatable {
    /// Push a command onto the engine's queue.
    case engine(EngineCommand)
    /// Leave the dashboard (restore the terminal and exit).
    case quit
    /// Switch to theme `index` of `DashboardState.themeNames`.
    case setTheme(Int)
}
