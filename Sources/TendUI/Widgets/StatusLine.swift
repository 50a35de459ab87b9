/// A one-row bar: left segments from the left edge, right segments flush right. Right segments win when
/// space runs out; the left side is cut with `…`/`~`.
public struct StatusLine: Widget {
    public struct Segment: Hashable, Sendable {
        public var text: String
        public var tone: Tone
        public init(_ text: String, tone: Tone = .normal) { self.text = text; self.tone = tone }
    }

    public var left: [Segment]
    public var right: [Segment]

    public init(left: [Segment], right: [Segment] = []) { self.left = left; self.right = right }

    public func render(into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        let clip = rect.intersection(buffer.bounds)
        guard !clip.isEmpty else { return }
        let bar = Style(foreground: theme.foreground, background: theme.selection,
                        attributes: theme.selection == .default ? .reverse : [])
        let y = rect.y
        buffer.fill(rect: Rect(x: rect.x, y: y, width: rect.width, height: 1).intersection(clip), cell: Cell(" ", style: bar))
        func style(_ t: Tone) -> Style {
            var s = theme.style(t).with(background: theme.selection)
            if theme.selection == .default { s.attributes.insert(.reverse) }
            return s
        }
        let rightText = right.map(\.text).joined(separator: "  ")
        let rightWidth = min(rightText.count, rect.width)
        var x = rect.maxX - rightWidth
        for (i, seg) in right.enumerated() {
            if i > 0 { x += 2 }
            x = buffer.put(seg.text, x: x, y: y, style: style(seg.tone), clip: clip)
        }
        let leftLimit = Rect(x: rect.x, y: y, width: rect.width - rightWidth - (rightWidth > 0 ? 1 : 0), height: 1).intersection(clip)
        let leftText = left.map(\.text).joined(separator: "  ")
        var remaining = leftText.count > leftLimit.width ? leftLimit.width - 1 : Int.max
        x = rect.x
        for (i, seg) in left.enumerated() where remaining > 0 {
            let text = (i > 0 ? "  " : "") + seg.text
            let cut = String(text.prefix(remaining))
            x = buffer.put(cut, x: x, y: y, style: style(seg.tone), clip: leftLimit)
            remaining -= cut.count
        }
        if leftText.count > leftLimit.width, leftLimit.width > 0 {
            buffer.put(glyphs.ellipsis, x: leftLimit.maxX - 1, y: y, style: style(.dim), clip: leftLimit)
        }
    }
}
