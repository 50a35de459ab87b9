/// A centred question box: a title, a wrapped message and a row of buttons, the selected one highlighted.
public struct ConfirmDialog: Widget {
    public var title: String
    public var message: String
    public var options: [String]
    public var selected: Int
    /// Widest the box grows before the message wraps.
    public var maxWidth: Int

    public init(title: String, message: String, options: [String] = ["Cancel", "OK"], selected: Int = 0, maxWidth: Int = 50) {
        self.title = title; self.message = message; self.options = options; self.selected = selected; self.maxWidth = maxWidth
    }

    public func render(into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        let buttons = options.map { "[ \($0) ]" }
        let buttonsWidth = buttons.map(\.count).reduce(0, +) + 2 * max(0, buttons.count - 1)
        let wanted = max(buttonsWidth, min(maxWidth, message.count), title.count + 2)
        let innerWidth = min(wanted, max(1, rect.width - 4))
        let lines = TextFit.wrap(message, width: innerWidth)
        let box = rect.centered(width: innerWidth + 4, height: lines.count + 5)
        let inner = Panel(title: title, focused: true).render(into: &buffer, rect: box, theme: theme, glyphs: glyphs)
        let clip = inner.intersection(buffer.bounds)
        guard !clip.isEmpty else { return }
        for (i, line) in lines.enumerated() {
            buffer.put(line, x: inner.x + 1, y: inner.y + 1 + i, style: theme.text, clip: clip)
        }
        let y = inner.maxY - 1
        var x = inner.x + max(1, (inner.width - buttonsWidth) / 2)
        for (i, b) in buttons.enumerated() {
            x = buffer.put(b, x: x, y: y, style: i == selected ? theme.selected : theme.text, clip: clip) + 2
        }
    }
}
