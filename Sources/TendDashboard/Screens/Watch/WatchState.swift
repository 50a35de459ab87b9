/// Everything the watch screen (`tend watch LOGDIR`) remembers between frames that is not data: the run
/// cursor, runs switched off, the filter, the tag on each chart panel, chart options, overlay and theme.
/// A plain value changed only by `updateWatch` (and by the executable for `themeNames`).
public struct WatchState: Sendable, Equatable {
    /// The tag picker of a panel: the query typed so far and the highlighted row of the matching tags.
    public struct TagPicker: Sendable, Equatable {
        public var panel: Int
        public var query: String = ""
        public var selection: Int = 0
        public init(panel: Int, query: String = "", selection: Int = 0) {
            self.panel = panel; self.query = query; self.selection = selection
        }
    }

    public enum Overlay: Sendable, Equatable {
        case none, help
        case tagPicker(TagPicker)
    }

    /// The run under the cursor (a name, so the cursor stays put when runs appear); nil: the first.
    public var cursorRun: String?
    /// Runs switched off with `space` (all runs are on by default, as in TensorBoard).
    public var hiddenRuns: Set<String> = []
    /// The `/` filter (substring or glob), applied to run names and tag names.
    public var filter = ""
    /// True while the filter is being typed.
    public var editingFilter = false
    /// Tags put on panels with the tag picker, by panel index; other panels take tags in order.
    public var panelTags: [Int: String] = [:]
    /// The panel `t`/`enter` and `l` act on.
    public var focusedPanel = 0
    /// Panels drawn with a logarithmic y axis.
    public var logPanels: Set<Int> = []
    /// Exponential-moving-average weight (TensorBoard's smoothing), 0 (raw) … 0.99.
    public var smoothing = WatchState.defaultSmoothing
    /// Draw the raw points dimmed under the smoothed curves.
    public var showRaw = true
    public var overlay: Overlay = .none
    public var themeIndex = 0
    public var themeNames: [String]

    public static let defaultSmoothing = 0.6
    /// The most panels any screen size shows (keys `1`–`6` focus them).
    public static let maxPanels = 6

    public init(themeNames: [String] = ["default"]) {
        self.themeNames = themeNames.isEmpty ? ["default"] : themeNames
    }

    public var nameFilter: NameFilter { NameFilter(filter) }
}
