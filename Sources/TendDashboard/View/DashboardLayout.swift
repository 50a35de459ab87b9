import TendUI

/// Where everything goes on a screen of a given size: the panel rects (all six, or the zoomed one), an alert
/// row when there is an alert, and the status line on the bottom row. Below `minimumWidth` × `minimumHeight`
/// only `tooSmall` is set.
public struct DashboardLayout: Sendable, Equatable {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public var screen: Rect
    public var panels: [(panel: DashboardPanel, rect: Rect)]
    public var alert: Rect?
    public var status: Rect
    public var tooSmall: Bool

    public init(width: Int, height: Int, zoomed: DashboardPanel?, hasAlert: Bool) {
        screen = Rect(x: 0, y: 0, width: width, height: height)
        tooSmall = width < Self.minimumWidth || height < Self.minimumHeight
        guard !tooSmall else { panels = []; alert = nil; status = Rect(x: 0, y: 0, width: 0, height: 0); return }
        status = Rect(x: 0, y: height - 1, width: width, height: 1)
        var area = Rect(x: 0, y: 0, width: width, height: height - 1)
        if hasAlert {
            alert = Rect(x: 0, y: height - 2, width: width, height: 1)
            area.height -= 1
        } else {
            alert = nil
        }
        if let zoomed {
            panels = [(zoomed, area)]
        } else {
            let grid = DashboardGrid(forWidth: width)
            let rects = Layout.grid(area, columns: grid.columns, rows: grid.rows)
            panels = zip(DashboardPanel.allCases, rects).map { ($0, $1) }
        }
    }

    /// The rect of `panel`, nil when it is not shown.
    public func rect(of panel: DashboardPanel) -> Rect? { panels.first { $0.panel == panel }?.rect }

    public static func == (a: DashboardLayout, b: DashboardLayout) -> Bool {
        a.screen == b.screen && a.alert == b.alert && a.status == b.status && a.tooSmall == b.tooSmall
            && a.panels.map(\.panel) == b.panels.map(\.panel) && a.panels.map(\.rect) == b.panels.map(\.rect)
    }
}
