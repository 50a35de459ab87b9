import TendUI

/// Where everything goes on the watch screen: the run list on the left, a grid of chart panels on the
/// right, the events strip under them and the status line on the bottom row. Below 80×24 only
/// `tooSmall` is set (the same limit as the dashboard).
public struct WatchLayout: Sendable, Equatable {
    public var runList: Rect
    public var panels: [Rect]
    public var events: Rect
    public var status: Rect
    public var tooSmall: Bool
    /// Run rows that fit in the run list (its inner height, less the filter line when shown).
    public var runRows: Int

    public init(width: Int, height: Int, filterLine: Bool) {
        tooSmall = width < DashboardLayout.minimumWidth || height < DashboardLayout.minimumHeight
        guard !tooSmall else {
            runList = Rect(x: 0, y: 0, width: 0, height: 0); panels = []; events = runList; status = runList; runRows = 0
            return
        }
        status = Rect(x: 0, y: height - 1, width: width, height: 1)
        let eventsHeight = height >= 36 ? 6 : 4
        events = Rect(x: 0, y: height - 1 - eventsHeight, width: width, height: eventsHeight)
        let mainHeight = events.y
        let listWidth = min(40, max(24, width / 4))
        runList = Rect(x: 0, y: 0, width: listWidth, height: mainHeight)
        runRows = max(0, mainHeight - 2 - (filterLine ? 1 : 0))
        let chartArea = Rect(x: listWidth, y: 0, width: width - listWidth, height: mainHeight)
        let columns = chartArea.width >= 150 ? 3 : chartArea.width >= 80 ? 2 : 1
        let rows = chartArea.height >= 26 || (columns == 1 && chartArea.height >= 16) ? 2 : 1
        panels = Layout.grid(chartArea, columns: columns, rows: rows)
    }
}
