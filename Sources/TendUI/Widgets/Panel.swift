/// A bordered box with a title on the top edge; the focused panel's border is highlighted. Clears its
/// inside to the theme background. `render` returns the inner rect for the content.
public struct Panel: Hashable, Sendable {
    public var title: String
    public var focused: Bool
    /// Optional text at the right of the top edge (e.g. a status or a key hint).
    public var rightTitle: String

    public init(title: String, focused: Bool = false, rightTitle: String = "") {
        self.title = title; self.focused = focused; self.rightTitle = rightTitle
    }

    /// The content area of a panel drawn in `rect`.
    public static func inner(_ rect: Rect) -> Rect { rect.inset(by: 1) }

    @discardableResult
    public func render(into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) -> Rect {
        let clip = rect.intersection(buffer.bounds)
        buffer.fill(rect: clip, cell: Cell(" ", style: theme.text))
        guard rect.width >= 2, rect.height >= 2 else { return Panel.inner(rect) }
        let b = theme.borderStyle(focused: focused)
        let right = rect.maxX - 1, bottom = rect.maxY - 1
        for x in (rect.x + 1)..<right {
            buffer.put(glyphs.horizontal, x: x, y: rect.y, style: b, clip: clip)
            buffer.put(glyphs.horizontal, x: x, y: bottom, style: b, clip: clip)
        }
        for y in (rect.y + 1)..<bottom {
            buffer.put(glyphs.vertical, x: rect.x, y: y, style: b, clip: clip)
            buffer.put(glyphs.vertical, x: right, y: y, style: b, clip: clip)
        }
        buffer.put(glyphs.topLeft, x: rect.x, y: rect.y, style: b, clip: clip)
        buffer.put(glyphs.topRight, x: right, y: rect.y, style: b, clip: clip)
        buffer.put(glyphs.bottomLeft, x: rect.x, y: bottom, style: b, clip: clip)
        buffer.put(glyphs.bottomRight, x: right, y: bottom, style: b, clip: clip)

        // Title: "┌┤ Title ├────┤ right ├┐"; the right title gives way first.
        var used = 0
        if !title.isEmpty, rect.width >= 5 {
            let t = TextFit.truncate(title, to: rect.width - 4, ellipsis: glyphs.ellipsis)
            var x = rect.x + 1
            buffer.put(glyphs.titleLeft, x: x, y: rect.y, style: b, clip: clip); x += 1
            let titleStyle = focused ? theme.accentText : theme.titleText
            x = buffer.put(t, x: x, y: rect.y, style: titleStyle, clip: clip)
            buffer.put(glyphs.titleRight, x: x, y: rect.y, style: b, clip: clip)
            used = t.count + 2
        }
        let rightRoom = rect.width - 2 - used - 1
        if !rightTitle.isEmpty, rightRoom >= rightTitle.count + 2 {
            let x0 = right - 1 - (rightTitle.count + 2) + 1
            buffer.put(glyphs.titleLeft, x: x0, y: rect.y, style: b, clip: clip)
            buffer.put(rightTitle, x: x0 + 1, y: rect.y, style: theme.dimText, clip: clip)
            buffer.put(glyphs.titleRight, x: x0 + 1 + rightTitle.count, y: rect.y, style: b, clip: clip)
        }
        return Panel.inner(rect)
    }
}

/// A plain border with a title; the same as `Panel` (kept for readers who look for a box).
public typealias Box = Panel
