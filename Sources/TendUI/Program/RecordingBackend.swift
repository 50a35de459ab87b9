/// A `TerminalBackend` for tests (ratatui's `TestBackend`): input comes from a script, every drawn frame is
/// kept as a `CellBuffer`. Time is virtual: each read that finds no input advances `clock` by its timeout,
/// so the loop's cadence runs without sleeping. A `waitFor` step holds the script until the newest frame
/// satisfies its predicate; after `idleLimit` empty reads it gives up, records the step in `timedOut` and
/// sends a termination so the loop ends instead of hanging.
public final class RecordingBackend: TerminalBackend {
    public enum Step {
        case event(TerminalEvent)
        /// Holds the script until the newest frame satisfies `until` (described by `label` in failures).
        case waitFor(_ label: String, until: (CellBuffer) -> Bool)
        /// Lets `seconds` of virtual time pass (the loop sees empty reads meanwhile).
        case idle(seconds: Double)
    }

    public let glyphs: Glyphs
    public private(set) var width: Int, height: Int
    /// Every frame drawn, oldest first (copies of the loop's buffer).
    public private(set) var frames: [CellBuffer] = []
    /// How often the loop asked for a full repaint (resizes, continues).
    public private(set) var invalidations = 0
    /// Virtual monotonic seconds (advanced by empty reads); hand `now` to the loop as its clock.
    public private(set) var clock = 0.0
    /// The `waitFor` step that never came true, if any.
    public private(set) var timedOut: String?
    public var idleLimit = 600
    /// Called on every empty read (e.g. to let a fake engine make progress).
    public var onIdle: (() -> Void)?
    private var script: [Step]
    private var idleReads = 0
    private var idleUntil: Double?

    public init(width: Int, height: Int, glyphs: Glyphs = .unicode, script: [Step] = []) {
        self.width = width; self.height = height; self.glyphs = glyphs; self.script = script
    }

    /// Appends steps to the script.
    public func enqueue(_ steps: [Step]) { script += steps }

    /// The newest frame (an empty buffer before the first draw).
    public var lastFrame: CellBuffer { frames.last ?? CellBuffer(width: 0, height: 0) }

    /// The virtual clock as a function the loop can call.
    public var now: () -> Double { { [unowned self] in self.clock } }

    public func size() -> (width: Int, height: Int) { (width, height) }

    public func readEvent(timeoutMs: Int32) -> TerminalEvent? {
        while let step = script.first {
            switch step {
            case .event(let e):
                script.removeFirst()
                idleReads = 0
                if case .resize(let w, let h) = e { width = w; height = h }
                return e
            case .waitFor(let label, let until):
                if let frame = frames.last, until(frame) { script.removeFirst(); idleReads = 0; continue }
                return idle(timeoutMs, waitingFor: label)
            case .idle(let seconds):
                if idleUntil == nil { idleUntil = clock + seconds }
                if clock >= idleUntil! { idleUntil = nil; script.removeFirst(); continue }
                clock += Double(max(1, timeoutMs)) / 1000
                onIdle?()
                return nil
            }
        }
        return idle(timeoutMs, waitingFor: "more input (the script ended without a quit)")
    }

    private func idle(_ timeoutMs: Int32, waitingFor label: String) -> TerminalEvent? {
        idleReads += 1
        if idleReads > idleLimit {
            timedOut = label
            script.removeAll()
            return .terminate(signal: 15)
        }
        clock += Double(max(1, timeoutMs)) / 1000
        onIdle?()
        return nil
    }

    public func draw(_ buffer: CellBuffer, theme: Theme) { frames.append(buffer) }

    public func invalidate() { invalidations += 1 }
}
