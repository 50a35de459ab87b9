/// A screen in the style of Bubble Tea: all state is one value changed only by the pure `update`, which answers
/// each message (keys, resizes, data arrivals, effect results) with the new state and the effects to perform
/// outside; `view` draws a state. Run by `ProgramLoop`, whose `ProgramHost` performs the effects.
public protocol Program {
    associatedtype State
    associatedtype Msg
    associatedtype Effect
    /// The message for a terminal event (every screen must turn `.terminate` into a quit); nil ignores it.
    func message(for event: TerminalEvent) -> Msg?
    /// Pure: the next state and what to do outside, in order.
    func update(_ state: State, _ msg: Msg) -> (State, [Effect])
    /// Pure: draws `state` into `buffer` (screen-sized, already filled with `theme(state).text`).
    func view(_ state: State, into buffer: inout CellBuffer, glyphs: Glyphs)
    func theme(_ state: State) -> Theme
    /// True while the screen waits for data to show at once (a preview), bypassing the counter interval.
    func wantsImmediateData(_ state: State) -> Bool
    /// False for messages that change nothing on screen (a clock tick), so they do not cost a frame.
    func redraws(after msg: Msg) -> Bool
}

extension Program {
    public func wantsImmediateData(_ state: State) -> Bool { false }
    public func redraws(after msg: Msg) -> Bool { true }
}

/// What performing an effect led to.
public enum EffectOutcome<Msg> {
    case done
    /// Messages carrying the effect's result (a report written, a checkpoint saved), given to `update` next.
    case reply([Msg])
    /// Leave the loop.
    case quit
}

/// The outside of a program: where its data comes from and who performs its effects (the live run, a logdir
/// loader, a file scan). Called on the loop's thread only.
public protocol ProgramHost {
    associatedtype State
    associatedtype Msg
    associatedtype Effect
    /// The version of the data the screen shows, a cheap read compared by the cadence.
    func dataVersion() -> UInt64
    /// Messages from outside at the start of a tick: when `due` is not nil, the data taken now (what `due` asks
    /// for); anything else that arrived (timers, results of background work). Called every tick.
    mutating func poll(_ state: State, due: FrameDue?, now: Double) -> [Msg]
    mutating func perform(_ effect: Effect, state: State) -> EffectOutcome<Msg>
}

/// Times of one frame in seconds of the loop's clock (and CPU seconds of its thread when measured).
public struct FrameTiming: Sendable {
    public var start: Double, polled: Double, rendered: Double, drawn: Double
    public var cpuSeconds: Double
}
