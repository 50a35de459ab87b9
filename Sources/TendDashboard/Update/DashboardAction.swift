import TendCore

/// What `update` asks the outside world to do; the executable performs these in order.
public enum DashboardAction: Sendable, Equatable {
    /// Push a command onto the engine's queue.
    case engine(EngineCommand)
    /// Leave the dashboard (restore the terminal and exit).
    case quit
    /// Switch to theme `index` of `DashboardState.themeNames`.
    case setTheme(Int)
    /// Mute the alert at `row` of the triage list (`TriageRows.rows`) for `seconds`; muted alerts are still logged.
    case muteAlert(row: Int, seconds: Double)
    /// Write the incident report (Markdown + JSON) of the live run and show where it went.
    case writeIncidentReport
}
