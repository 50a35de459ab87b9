/// Everything the dashboard remembers between frames that is not metrics: focus, zoom, overlay, chart
/// options and theme choice. A plain value changed only by `update(_:_:run:)` (and by the executable for
/// `columns`, `themeNames` and messages).
public struct DashboardState: Sendable, Equatable {
    /// The panel whose border is highlighted; arrow keys and tab move it.
    public var focus: DashboardPanel = .loss
    /// The panel shown full screen, or nil for the grid.
    public var zoomed: DashboardPanel?
    public var overlay: DashboardOverlay = .none
    /// Exponential-moving-average weight for the curves, 0 (raw) … 0.99.
    public var smoothing: Double = DashboardState.defaultSmoothing
    /// Logarithmic y axis on the loss chart.
    public var logLoss = false
    /// Draw the raw points dimmed under the smoothed curves.
    public var showRaw = true
    /// Screen rows the events log is scrolled back from the newest line (0 = follow new events).
    public var eventsScroll = 0
    /// Index into `themeNames` of the theme in use.
    public var themeIndex = 0
    /// Names of the themes `t` cycles through (the executable loads them; index 0 is the starting theme).
    public var themeNames: [String]
    /// Terminal width in cells, kept up to date by the executable on resize: it decides the grid
    /// (3 × 2 from `DashboardLayout.wideColumns` up, 2 × 3 below), which arrow keys follow.
    public var columns: Int
    /// What the fine-tune form starts with (e.g. the drifted copy of the sample data).
    public var fineTuneDefaults: FineTuneForm
    /// Position of the what-if pruning screen (kept when leaving it).
    public var pruning = PruningScreenState()
    /// Toggles and selection of the quantization screen.
    public var quantization = QuantizationScreenState()
    /// Settings and readiness of the distillation screen (`d`).
    public var distillation = DistillationScreenState()
    /// The screen shown (`a` triage, `x` what-if pruning, `z` quantization; `esc` returns to the dashboard).
    public var screen: Screen = .dashboard
    /// Row selected on the triage screen (active alerts first, then resolved); clamped when drawn.
    public var triageSelection = 0
    /// Set when the dashboard serves a model it does not train (`--model DIR`): its name. Keys that need
    /// training then say so (`ServingKeys`) and the panels show serving figures.
    public var servedModel: String?

    public static let defaultSmoothing = 0.6
    public static let smoothingStep = 0.1
    public static let smoothingRange: ClosedRange<Double> = 0...0.99
    /// Rows one page-up/page-down moves the events log.
    public static let eventsPage = 10
    /// How far back the events log can scroll, in screen rows.
    public static let maxEventsScroll = 10_000

    public init(themeNames: [String] = ["default"], columns: Int = 120, fineTuneDefaults: FineTuneForm = FineTuneForm()) {
        self.themeNames = themeNames.isEmpty ? ["default"] : themeNames
        self.columns = columns
        self.fineTuneDefaults = fineTuneDefaults
    }

    /// The grid the panels are laid out in at the current width.
    public var grid: DashboardGrid { DashboardGrid(forWidth: columns) }
}
