/// A key press as the dashboard's pure update function sees it, decoded by the terminal backend.
public enum Key: Hashable, Sendable {
    case char(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case tab, backTab, enter, escape, backspace, delete
    /// F1…F12.
    case function(Int)
    /// The terminal changed size: re-layout from the backend's `size()`.
    case resize
}
