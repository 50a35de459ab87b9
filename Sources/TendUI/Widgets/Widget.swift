/// Something that draws itself into a rect of a cell buffer. Drawing never leaves `rect` and never traps,
/// whatever its size (including 0×0). Widgets draw only their content and leave other cells alone; clear the
/// area first (a `Panel` clears its inside) when redrawing over an older frame.
public protocol Widget {
    func render(into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs)
}
