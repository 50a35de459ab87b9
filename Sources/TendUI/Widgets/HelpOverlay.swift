/// A centred, bordered box listing key → description pairs over whatever is below it.
public struct HelpOverlay: Widget {
    public var title: String
    public var entries: [(key: String, description: String)]
    public var footer: String

    public init(title: String = "Keys", entries: [(key: String, description: String)], footer: String = "") {
        self.title = title; self.entries = entries; self.footer = footer
    }

    public func render(into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        let keyWidth = entries.map(\.key.count).max() ?? 0
        let textWidth = max(entries.map { keyWidth + 2 + $0.description.count }.max() ?? 0, footer.count, title.count + 2)
        let height = entries.count + 2 + (footer.isEmpty ? 0 : 2)
        let box = rect.centered(width: textWidth + 4, height: height)
        let inner = Panel(title: title, focused: true).render(into: &buffer, rect: box, theme: theme, glyphs: glyphs)
        let clip = inner.intersection(buffer.bounds)
        guard !clip.isEmpty else { return }
        let x = inner.x + 1
        for (i, e) in entries.enumerated() where inner.y + i < inner.maxY {
            let y = inner.y + i
            buffer.put(TextFit.pad(e.key, to: keyWidth, right: false, ellipsis: glyphs.ellipsis), x: x, y: y,
                       style: theme.accentText, clip: clip)
            buffer.put(TextFit.truncate(e.description, to: inner.maxX - 1 - (x + keyWidth + 2), ellipsis: glyphs.ellipsis),
                       x: x + keyWidth + 2, y: y, style: theme.text, clip: clip)
        }
        if !footer.isEmpty {
            buffer.put(TextFit.truncate(footer, to: inner.width - 2, ellipsis: glyphs.ellipsis), x: x, y: inner.maxY - 1,
                       style: theme.dimText, clip: clip)
        }
    }
}
