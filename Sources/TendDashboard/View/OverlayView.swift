import TendUI

/// The overlays: help, quit confirmation, fine-tune form and messages, centred over the panels.
enum OverlayView {
    static func render(_ state: DashboardState, model: DashboardViewModel, into buffer: inout CellBuffer, rect: Rect,
                       theme: Theme, glyphs: Glyphs) {
        switch state.overlay {
        case .none: return
        case .help:
            let entries = DashboardKeymap.bindings(state, run: model.status.state).map { (key: $0.label, description: $0.description) }
            HelpOverlay(title: "Keys", entries: entries, footer: "esc or ? closes this help")
                .render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        case .confirmQuit:
            ConfirmDialog(title: "Quit", message: "Stop training, write a checkpoint and quit?",
                          options: ["n: keep going", "y: stop and quit"], selected: 1)
                .render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        case .fineTune(let form):
            FineTuneFormView(form: form).render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        case .message(let title, let text):
            ConfirmDialog(title: title, message: text, options: ["enter: OK"], selected: 0)
                .render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        }
    }
}

/// The fine-tune dialog: a label and a one-line text box per field, the focused box highlighted with a cursor,
/// the refusal message (if any) and the keys.
struct FineTuneFormView: Widget {
    var form: FineTuneForm

    func render(into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        let fields = FineTuneForm.Field.allCases
        let labelWidth = fields.map(\.label.count).max() ?? 0
        let footer = "tab: next field  enter: start  esc: cancel"
        let hint = "an empty data file reuses the training data"
        let width = min(rect.width - 2, max(64, footer.count + 4))
        let messageLines = TextFit.wrap(form.error ?? hint, width: max(1, width - 4))
        let height = fields.count + messageLines.count + 5
        let box = rect.centered(width: width, height: height)
        let inner = Panel(title: "Fine-tune", focused: true).render(into: &buffer, rect: box, theme: theme, glyphs: glyphs)
        let clip = inner.intersection(buffer.bounds)
        guard !clip.isEmpty else { return }
        let x = inner.x + 1
        let boxX = x + labelWidth + 2
        let boxWidth = max(1, inner.maxX - 1 - boxX)
        for (i, field) in fields.enumerated() {
            let y = inner.y + 1 + i
            let focused = field == form.focusedField
            buffer.put(TextFit.pad(field.label, to: labelWidth, right: false, ellipsis: glyphs.ellipsis), x: x, y: y,
                       style: focused ? theme.accentText : theme.text, clip: clip)
            var text = form[field]
            if focused { text += "_" }
            // Show the end of a long value (where the cursor is).
            if text.count > boxWidth { text = String(glyphs.ellipsis) + String(text.suffix(boxWidth - 1)) }
            let style = focused ? theme.selected : theme.dimText.adding(.underline)
            buffer.put(TextFit.pad(text, to: boxWidth, right: false, ellipsis: glyphs.ellipsis), x: boxX, y: y, style: style, clip: clip)
        }
        var y = inner.y + 2 + fields.count
        for line in messageLines {
            buffer.put(line, x: x, y: y, style: form.error == nil ? theme.dimText : theme.criticalText, clip: clip)
            y += 1
        }
        buffer.put(TextFit.truncate(footer, to: inner.width - 2, ellipsis: glyphs.ellipsis), x: x, y: inner.maxY - 1,
                   style: theme.dimText, clip: clip)
    }
}
