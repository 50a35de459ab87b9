/// A screen the program loop draws on, as ratatui's `Backend`: `NCursesBackend` (TendTerminal) on a real
/// terminal, `RecordingBackend` in tests. All calls come from the loop's thread.
public protocol TerminalBackend: AnyObject {
    /// The glyph set frames are drawn with (Unicode or ASCII).
    var glyphs: Glyphs { get }
    /// The screen size in cells.
    func size() -> (width: Int, height: Int)
    /// Waits up to `timeoutMs` for input; nil on timeout (or input that decodes to nothing).
    func readEvent(timeoutMs: Int32) -> TerminalEvent?
    /// Shows `buffer` (its size is the screen size); `theme` gives the background of cells a full redraw clears.
    func draw(_ buffer: CellBuffer, theme: Theme)
    /// Forgets what is on screen so the next `draw` repaints every cell.
    func invalidate()
}
