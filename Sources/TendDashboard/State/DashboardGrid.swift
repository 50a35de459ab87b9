/// How the six panels are arranged: `columns` × `rows`, filled row by row in `DashboardPanel` order.
/// 3 × 2 on terminals at least `wideColumns` wide, 2 × 3 below (panels stay wide enough for their charts).
public struct DashboardGrid: Sendable, Equatable {
    public let columns: Int
    public let rows: Int

    /// Width from which the 3 × 2 grid is used.
    public static let wideColumns = 120

    public init(forWidth width: Int) {
        if width >= Self.wideColumns { columns = 3; rows = 2 } else { columns = 2; rows = 3 }
    }

    public enum Direction: Sendable { case left, right, up, down }

    /// The panel next to `panel` in `direction`, wrapping around within its row or column.
    public func neighbour(of panel: DashboardPanel, _ direction: Direction) -> DashboardPanel {
        let i = panel.rawValue
        var col = i % columns, row = i / columns
        switch direction {
        case .left: col = (col + columns - 1) % columns
        case .right: col = (col + 1) % columns
        case .up: row = (row + rows - 1) % rows
        case .down: row = (row + 1) % rows
        }
        return DashboardPanel(rawValue: row * columns + col) ?? panel
    }
}
