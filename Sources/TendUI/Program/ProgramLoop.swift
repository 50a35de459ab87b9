/// The one UI loop (ratatui's `Terminal` + Bubble Tea's runtime) for every screen: wakes on input or every
/// `readTimeoutMs`, turns events into messages for `update`, hands effects to the host, asks the host for data
/// when the cadence says a frame is due, and draws at most one frame per wake-up: buffer filled once, view,
/// `backend.draw` (which sends only the cells that changed). Resizes are noticed from events and from `size()`.
public struct ProgramLoop<Backend: TerminalBackend> {
    public let backend: Backend
    public var cadence: RedrawCadence
    /// Monotonic seconds.
    public var clock: () -> Double
    /// CPU seconds of the calling thread (for `FrameTiming.cpuSeconds`); nil to skip measuring.
    public var cpuClock: (() -> Double)?
    public var readTimeoutMs: Int32 = 100
    /// Called after every frame drawn.
    public var onFrame: ((FrameTiming) -> Void)?

    public init(backend: Backend, cadence: RedrawCadence, clock: @escaping () -> Double) {
        self.backend = backend; self.cadence = cadence; self.clock = clock
    }

    /// Runs `program` from `initial` until an effect quits; returns the last state. The first message is a
    /// `.resize` with the current size, so screens learn their size through `update` like any other change.
    @discardableResult
    public mutating func run<P: Program, H: ProgramHost>(_ program: P, from initial: P.State, host: inout H) -> P.State
    where H.State == P.State, H.Msg == P.Msg, H.Effect == P.Effect {
        var state = initial
        var buffer = CellBuffer(width: 0, height: 0)
        var lastSize = backend.size()
        var pending: [P.Msg] = program.message(for: .resize(width: lastSize.width, height: lastSize.height)).map { [$0] } ?? []
        var dirty = true
        var interactive = true

        /// Gives `pending` to `update` in order, performing effects; false when an effect quits.
        func drain() -> Bool {
            var i = 0
            while i < pending.count {
                let (next, effects) = program.update(state, pending[i])
                state = next
                if program.redraws(after: pending[i]) { dirty = true }
                i += 1
                for effect in effects {
                    switch host.perform(effect, state: state) {
                    case .done: break
                    case .reply(let msgs): pending.insert(contentsOf: msgs, at: i)
                    case .quit: pending.removeAll(); return false
                    }
                }
            }
            pending.removeAll(keepingCapacity: true)
            return true
        }

        let origin = clock()
        while true {
            guard drain() else { return state }
            if let event = backend.readEvent(timeoutMs: readTimeoutMs) {
                if case .resize = event { backend.invalidate() }
                if let msg = program.message(for: event) {
                    // The host's cheap reads first (run state, clocks), so the key acts on what is true now.
                    pending += host.poll(state, due: nil, now: clock() - origin)
                    pending.append(msg)
                    interactive = true
                }
                guard drain() else { return state }
            }
            let size = backend.size()
            if size != lastSize {
                lastSize = size
                backend.invalidate()
                if let msg = program.message(for: .resize(width: size.width, height: size.height)) { pending.append(msg) }
                interactive = true
                guard drain() else { return state }
            }
            let start = clock(), now = start - origin
            let cpu0 = cpuClock?() ?? 0
            let version = host.dataVersion()
            let due = cadence.due(now: now, version: version, interactive: interactive,
                                  immediate: program.wantsImmediateData(state))
            pending += host.poll(state, due: due, now: now)
            guard drain() else { return state }
            guard dirty else { continue }
            let polled = clock()
            if buffer.width != size.width || buffer.height != size.height {
                buffer = CellBuffer(width: size.width, height: size.height)
            }
            let theme = program.theme(state)
            buffer.fill(rect: buffer.bounds, cell: Cell(" ", style: theme.text))
            program.view(state, into: &buffer, glyphs: backend.glyphs)
            let rendered = clock()
            backend.draw(buffer, theme: theme)
            let drawn = clock()
            if let due { cadence.drew(due, now: now, version: version) }
            dirty = false
            interactive = false
            onFrame?(FrameTiming(start: start, polled: polled, rendered: rendered, drawn: drawn,
                                 cpuSeconds: (cpuClock?() ?? 0) - cpu0))
        }
    }
}
