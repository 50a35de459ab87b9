@testable import TendUI

/// The marker pre-filled into test buffers so cells a widget did not touch show up in pictures.
let marker: Character = "·"

/// Renders `widget` into a `width` × `height` buffer filled with the marker and returns the picture rows.
func picture(_ widget: some Widget, width: Int, height: Int, glyphs: Glyphs = .unicode, theme: Theme = .default,
             rect: Rect? = nil) -> [String] {
    var buffer = CellBuffer(width: width, height: height, fill: Cell(marker))
    widget.render(into: &buffer, rect: rect ?? buffer.bounds, theme: theme, glyphs: glyphs)
    return buffer.lines
}

/// Renders `widget` and returns the buffer itself, for style checks.
func rendered(_ widget: some Widget, width: Int, height: Int, glyphs: Glyphs = .unicode, theme: Theme = .default) -> CellBuffer {
    var buffer = CellBuffer(width: width, height: height, fill: Cell(marker))
    widget.render(into: &buffer, rect: buffer.bounds, theme: theme, glyphs: glyphs)
    return buffer
}
