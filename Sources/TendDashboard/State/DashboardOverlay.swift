/// What is drawn over the panels and takes the keys while it is open.
public enum DashboardOverlay: Sendable, Equatable {
    case none
    /// The list of keys that work right now.
    case help
    /// "Stop training and quit?" — shown when `q` is pressed while the run is live.
    case confirmQuit
    case fineTune(FineTuneForm)
    /// A note for the user (set by the executable, e.g. a failed command); any of esc, enter, space closes it.
    case message(title: String, text: String)
}
