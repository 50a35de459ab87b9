import TendCore
import TendMetrics
import TendUI

/// Draws the live dashboard: six panels (or one zoomed), an alert row, the status line and any overlay.
/// Pure: the same snapshot, state, size, theme and glyphs always give the same cells.
public enum DashboardView {
    /// Renders one frame into `buffer` (its size is the screen size). Builds the view model with series thinned
    /// to the widest chart on screen.
    public static func render(snapshot: MetricsSnapshot, state: DashboardState, into buffer: inout CellBuffer,
                              theme: Theme, glyphs: Glyphs) {
        if state.screen == .whatIfPruning || state.screen == .quantization || state.screen == .distillation {
            renderCompressionScreen(snapshot: snapshot, state: state, into: &buffer, theme: theme, glyphs: glyphs)
            return
        }
        let probe = DashboardLayout(width: buffer.width, height: buffer.height, zoomed: state.zoomed, hasAlert: false)
        var model = DashboardViewModel(snapshot: snapshot, state: state, maxPoints: chartPoints(probe, glyphs: glyphs),
                                       maxEvents: max(1, buffer.height + state.eventsScroll), ascii: glyphs.textIsASCII)
        model.serving = snapshot.attachment(ServingPrecision.key)
        render(model, state: state, into: &buffer, theme: theme, glyphs: glyphs)
    }

    /// Points a chart needs to use every dot of the widest loss/accuracy/memory panel in `layout`.
    public static func chartPoints(_ layout: DashboardLayout, glyphs: Glyphs) -> Int {
        let widest = layout.panels.map(\.rect.width).max() ?? 0
        return max(2, (widest - 2) * (glyphs.braille ? 2 : 1))
    }

    /// Renders a prepared view model.
    public static func render(_ model: DashboardViewModel, state: DashboardState, into buffer: inout CellBuffer,
                              theme: Theme, glyphs: Glyphs) {
        buffer.fill(rect: buffer.bounds, cell: Cell(" ", style: theme.text))
        let layout = DashboardLayout(width: buffer.width, height: buffer.height, zoomed: state.zoomed,
                                     hasAlert: model.alert != nil)
        if layout.tooSmall {
            renderTooSmall(into: &buffer, theme: theme, glyphs: glyphs)
            if state.overlay != .none {
                OverlayView.render(state, model: model, into: &buffer, rect: buffer.bounds, theme: theme, glyphs: glyphs)
            }
            return
        }
        if let triage = model.triage {
            TriageView.render(triage, into: &buffer, rect: Rect(x: 0, y: 0, width: buffer.width, height: layout.status.y),
                              theme: theme, glyphs: glyphs)
        } else {
            for (panel, rect) in layout.panels {
                renderPanel(panel, model: model, state: state, into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
            }
        }
        if model.triage == nil, let alertRect = layout.alert, let alert = model.alert {
            renderAlert(alert, into: &buffer, rect: alertRect, theme: theme, glyphs: glyphs)
        }
        renderStatus(model.status, badge: model.badge, into: &buffer, rect: layout.status, theme: theme, glyphs: glyphs)
        if state.overlay != .none {
            let area = Rect(x: 0, y: 0, width: buffer.width, height: layout.status.y)
            OverlayView.render(state, model: model, into: &buffer, rect: area, theme: theme, glyphs: glyphs)
        }
    }

    /// The what-if pruning and quantization screens: full screen above the status line, help overlay on top.
    static func renderCompressionScreen(snapshot: MetricsSnapshot, state: DashboardState, into buffer: inout CellBuffer,
                                        theme: Theme, glyphs: Glyphs) {
        buffer.fill(rect: buffer.bounds, cell: Cell(" ", style: theme.text))
        let model = DashboardViewModel(snapshot: snapshot, state: state, maxPoints: 2, maxEvents: 1, ascii: glyphs.textIsASCII)
        let status = Rect(x: 0, y: max(0, buffer.height - 1), width: buffer.width, height: 1)
        let area = Rect(x: 0, y: 0, width: buffer.width, height: status.y)
        if state.screen == .whatIfPruning {
            PruningScreenView.render(snapshot.attachment(PruningPreview.key), state: state, into: &buffer, rect: area,
                                     theme: theme, glyphs: glyphs)
        } else if state.screen == .distillation {
            DistillationScreenView.render(snapshot.attachment(DistillationProgress.key), snapshot: snapshot, state: state, into: &buffer,
                                          rect: area, theme: theme, glyphs: glyphs)
        } else {
            QuantizationScreenView.render(snapshot.attachment(QuantizationPreview.key), state: state, into: &buffer, rect: area,
                                          theme: theme, glyphs: glyphs)
        }
        renderStatus(model.status, badge: model.badge, into: &buffer, rect: status, theme: theme, glyphs: glyphs, progressiveHints: true)
        if state.overlay != .none {
            OverlayView.render(state, model: model, into: &buffer, rect: area, theme: theme, glyphs: glyphs)
        }
    }

    static func renderPanel(_ panel: DashboardPanel, model: DashboardViewModel, state: DashboardState,
                            into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        var right = ""
        switch panel {
        case .loss: right = "smooth " + DashboardFormat.weight(state.smoothing)
        case .accuracy: right = "smooth " + DashboardFormat.weight(state.smoothing)
        case .latency:
            right = model.latency.isEmpty ? "" : model.latency.window == .all ? "all time" : "last " + model.latency.window.description
            if let serving = model.serving, serving != "fp32" { right = serving + (right.isEmpty ? "" : ", " + right) }
        case .events:
            right = state.eventsScroll > 0 ? "scrolled back" : model.eventsTotal > 0 ? "\(model.eventsTotal) total" : ""
        case .memory, .layers: right = ""
        }
        if model.textServing != nil, panel == .loss || panel == .accuracy { right = "inference only" }
        let focused = state.focus == panel && state.overlay == .none
        let title = "\(panel.number) " + panel.title + (state.zoomed == panel ? " (zoomed)" : "")
        let inner = Panel(title: title, focused: focused, rightTitle: right)
            .render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
        let content = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        if let serving = model.textServing,
           ServingPanelViews.render(panel, serving: serving, model: model, into: &buffer, rect: content, theme: theme, glyphs: glyphs) {
            return
        }
        switch panel {
        case .loss: PanelViews.loss(model.loss, into: &buffer, rect: content, theme: theme, glyphs: glyphs)
        case .accuracy: PanelViews.accuracy(model.accuracy, into: &buffer, rect: content, theme: theme, glyphs: glyphs)
        case .latency: PanelViews.latency(model.latency, into: &buffer, rect: content, theme: theme, glyphs: glyphs)
        case .memory: PanelViews.memory(model.memory, into: &buffer, rect: content, theme: theme, glyphs: glyphs)
        case .layers: PanelViews.layers(model.layers, into: &buffer, rect: content, theme: theme, glyphs: glyphs)
        case .events:
            PanelViews.events(model.events, scrollBack: state.eventsScroll, into: &buffer, rect: content, theme: theme, glyphs: glyphs)
        }
    }

    static func renderAlert(_ e: EngineEvent, into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        let style = e.level == .error ? theme.criticalText : theme.warningText
        let text = " " + (e.level == .error ? "error" : "warning") + " " + DashboardFormat.clockTime(e.wallTime) + "  " + e.message
        buffer.put(TextFit.truncate(text, to: rect.width, ellipsis: glyphs.ellipsis), x: rect.x, y: rect.y, style: style, clip: rect)
    }

    /// `progressiveHints`: hints give way from the end (screens whose hints are ordered by importance, "? help" last).
    static func renderStatus(_ s: StatusModel, badge: AlertBadge = AlertBadge(), into buffer: inout CellBuffer, rect: Rect,
                             theme: Theme, glyphs: Glyphs, progressiveHints: Bool = false) {
        // The alert badge (hidden when healthy) sits at the right end, before the key hints.
        let badgeSegments = badge.parts.map { StatusLine.Segment($0.text, tone: $0.severity == .critical ? .critical : .warning) }
        let badgeWidth = badgeSegments.isEmpty ? 0 : badgeSegments.map(\.text.count).reduce(0, +) + 2 * badgeSegments.count
        let name = s.runName.isEmpty ? "tend" : s.runName
        let steps = DashboardFormat.grouped(s.step) + (s.totalSteps.map { "/" + DashboardFormat.grouped($0) } ?? "")
        let rate = s.samplesPerSecond > 0 ? NumberFormat.compact(s.samplesPerSecond) : nil
        func segments(compact: Bool, elapsed: Bool = true) -> [StatusLine.Segment] {
            var left = [StatusLine.Segment(" " + name, tone: .title), StatusLine.Segment(s.stateText, tone: s.stateTone)]
            if s.stateLabel != nil {   // serving: requests answered and texts per second
                left.append(.init(steps + (compact ? " req" : " requests")))
                if let rate { left.append(.init(rate + (compact ? "/s" : " texts/s"))) }
            } else {
                left.append(.init((compact ? "ep " : "epoch ") + "\(s.epoch)"))
                left.append(.init((compact ? "" : "step ") + steps))
                if let rate { left.append(.init(rate + (compact ? "/s" : " samples/s"))) }
            }
            if let eta = s.etaSeconds, s.state == .training { left.append(.init("ETA " + DashboardFormat.duration(eta))) }
            if elapsed, let up = s.elapsedSeconds {
                left.append(.init((compact ? "" : "elapsed ") + DashboardFormat.duration(up), tone: .dim))
            }
            return left
        }
        // The first combination that fits: key hints matter most (they give way in this order: fine-tune,
        // pause/resume, quit; "? help" always stays), then the long form of the progress.
        let hintSets: [[String]] = s.hintsByImportance && s.hints.count >= 2
            ? (0...(s.hints.count - 2)).reversed().map { Array(s.hints.prefix($0)) + s.hints.suffix(2) }
            : progressiveHints
            ? (0..<s.hints.count).reversed().map { Array(s.hints.prefix($0)) + s.hints.suffix(1) }
            : [s.hints, s.hints.filter { !$0.hasPrefix("f ") },
                                    s.hints.filter { $0.hasPrefix("? ") || $0.hasPrefix("q ") }, s.hints.filter { $0.hasPrefix("? ") }]
        let lefts = [segments(compact: false), segments(compact: true), segments(compact: true, elapsed: false)]
        var choice = (left: lefts[2], hints: hintSets.last!.joined(separator: "  "))
        search: for set in hintSets {
            let h = set.joined(separator: "  ")
            for left in lefts {
                let leftWidth = left.map(\.text.count).reduce(0, +) + 2 * (left.count - 1)
                if leftWidth + 2 + h.count + badgeWidth <= rect.width { choice = (left, h); break search }
            }
        }
        StatusLine(left: choice.left, right: badgeSegments + [StatusLine.Segment(choice.hints, tone: .dim)])
            .render(into: &buffer, rect: rect, theme: theme, glyphs: glyphs)
    }

    static func renderTooSmall(into buffer: inout CellBuffer, theme: Theme, glyphs: Glyphs) {
        let lines = TextFit.wrap("terminal too small: need \(DashboardLayout.minimumWidth)x\(DashboardLayout.minimumHeight), "
                                 + "have \(buffer.width)x\(buffer.height)", width: buffer.width)
            + TextFit.wrap("enlarge the window, or press q to quit", width: buffer.width)
        let top = max(0, (buffer.height - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            buffer.put(line, x: max(0, (buffer.width - line.count) / 2), y: top + i, style: i == 0 ? theme.warningText : theme.dimText)
        }
    }
}

