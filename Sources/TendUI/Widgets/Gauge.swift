/// One row: `label ████▌░░░░ value`. The fraction is clamped to 0…1 (NaN shows empty); the bar fills in
/// eighths of a cell with Unicode glyphs, whole cells of `#` with ASCII. The label goes first when narrow.
public struct Gauge: Widget {
    public var label: String
    public var fraction: Double
    public var valueText: String
    public var tone: Tone

    public init(label: String, fraction: Double, valueText: String, tone: Tone = .accent) {
        self.label = label; self.fraction = fraction; self.valueText = valueText; self.tone = tone
    }

    public func render(into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        let clip = rect.intersection(buffer.bounds)
        guard !clip.isEmpty else { return }
        let y = rect.y
        var labelText = label.isEmpty ? "" : label + " "
        let valueSegment = valueText.isEmpty ? "" : " " + valueText
        if rect.width - labelText.count - valueSegment.count < 3 { labelText = "" }
        let value = rect.width - labelText.count - valueSegment.count < 1 ? "" : valueSegment
        let barWidth = rect.width - labelText.count - value.count
        var x = buffer.put(labelText, x: rect.x, y: y, style: theme.text, clip: clip)
        let f = fraction.isNaN ? 0 : min(1, max(0, fraction))
        let levels = glyphs.horizontalEighths.count
        var units = Int((f * Double(max(0, barWidth) * levels)).rounded())
        let fill = theme.style(tone).with(background: theme.background)
        for _ in 0..<max(0, barWidth) {
            if units > 0 {
                let step = min(levels, units)
                buffer.put(glyphs.horizontalEighths[step - 1], x: x, y: y, style: fill, clip: clip)
                units -= step
            } else {
                buffer.put(glyphs.gaugeEmpty, x: x, y: y, style: theme.dimText, clip: clip)
            }
            x += 1
        }
        buffer.put(value, x: x, y: y, style: theme.text, clip: clip)
    }
}
