/// The rows of the triage list: active alerts (most severe, newest first) then resolved ones (newest first).
/// TendRuntime resolves `DashboardAction.muteAlert(row:)` with the same function, so both agree (vocabulary of both).
public enum TriageRows {
    /// The attachment key under which the live run publishes the run's `AlertsSnapshot`.
    public static let attachmentKey = "alerts"

    public static func rows(_ alerts: AlertsSnapshot) -> [Alert] { alerts.active + alerts.resolved }

    /// `selection` clamped to the rows of `alerts` (0 when there are none).
    public static func clamped(_ selection: Int, in alerts: AlertsSnapshot) -> Int {
        max(0, min(selection, rows(alerts).count - 1))
    }
}
