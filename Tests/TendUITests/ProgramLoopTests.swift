import Testing
@testable import TendUI

/// A counter screen: `+` counts, `q` quits, data arrivals show the host's value; for the loop's contract.
private struct Counter: Program {
    struct State { var count = 0; var data = 0; var width = 0; var height = 0; var signal: Int32? }
    enum Msg { case key(Key), resize(Int, Int), data(Int), signal(Int32), saved(String) }
    enum Effect { case quit, save }

    func message(for event: TerminalEvent) -> Msg? {
        switch event {
        case .key(let k): return .key(k)
        case .resize(let w, let h): return .resize(w, h)
        case .terminate(let s): return .signal(s)
        }
    }
    func update(_ s: State, _ msg: Msg) -> (State, [Effect]) {
        var s = s
        switch msg {
        case .key(.char("+")): s.count += 1
        case .key(.char("w")): return (s, [.save])
        case .key(.char("q")): return (s, [.quit])
        case .key: break
        case .resize(let w, let h): s.width = w; s.height = h
        case .data(let v): s.data = v
        case .signal(let sig): s.signal = sig; return (s, [.quit])
        case .saved(let what): s.count = what.count
        }
        return (s, [])
    }
    func view(_ s: State, into b: inout CellBuffer, glyphs: Glyphs) {
        _ = b.put("n=\(s.count) d=\(s.data) \(s.width)x\(s.height)", x: 0, y: 0, style: .plain)
    }
    func theme(_ s: State) -> Theme { .default }
}

private struct CounterHost: ProgramHost {
    var version: UInt64 = 1
    var polls: [FrameDue?] = []
    func dataVersion() -> UInt64 { version }
    mutating func poll(_ s: Counter.State, due: FrameDue?, now: Double) -> [Counter.Msg] {
        polls.append(due)
        return due == nil ? [] : [.data(Int(version))]
    }
    mutating func perform(_ e: Counter.Effect, state: Counter.State) -> EffectOutcome<Counter.Msg> {
        switch e {
        case .quit: return .quit
        case .save: return .reply([.saved("four")])
        }
    }
}

@Suite struct ProgramLoopTests {
    @Test func keysResizesAndEffectResultsGoThroughUpdateAndEachWakeDrawsOneFrame() {
        let backend = RecordingBackend(width: 20, height: 2, script: [
            .event(.key(.char("+"))), .event(.key(.char("+"))), .event(.resize(width: 24, height: 3)),
            .event(.key(.char("w"))), .event(.key(.char("q"))),
        ])
        var loop = ProgramLoop(backend: backend, cadence: RedrawCadence(counterInterval: 0.5), clock: backend.now)
        var host = CounterHost()
        let end = loop.run(Counter(), from: Counter.State(), host: &host)
        #expect(end.count == 4)   // "four" came back as the save effect's reply
        #expect(backend.frames.map { $0.lines[0].trimmingCharacters() } == ["n=1 d=1 20x2", "n=2 d=1 20x2", "n=2 d=1 24x3", "n=4 d=1 24x3"])
        #expect(backend.frames.last?.width == 24)
        #expect(backend.invalidations >= 1)
    }

    @Test func terminationSignalIsAMessage() {
        let backend = RecordingBackend(width: 10, height: 1, script: [.event(.terminate(signal: 2))])
        var loop = ProgramLoop(backend: backend, cadence: RedrawCadence(), clock: backend.now)
        var host = CounterHost()
        #expect(loop.run(Counter(), from: Counter.State(), host: &host).signal == 2)
    }

    @Test func idleDataIsShownAtMostEveryCounterInterval() {
        let backend = RecordingBackend(width: 20, height: 1, script: [.idle(seconds: 1.2), .event(.key(.char("q")))])
        var loop = ProgramLoop(backend: backend, cadence: RedrawCadence(counterInterval: 0.5), clock: backend.now)
        var host = CounterHost()
        var bump = 0
        backend.onIdle = { bump += 1 }
        // The data version changes on every tick; counters redraw at 0.5 s, not every 0.1 s.
        struct Bumping: ProgramHost {
            var inner: CounterHost; let tick: () -> Int
            func dataVersion() -> UInt64 { UInt64(tick()) }
            mutating func poll(_ s: Counter.State, due: FrameDue?, now: Double) -> [Counter.Msg] { due == nil ? [] : [.data(tick())] }
            mutating func perform(_ e: Counter.Effect, state: Counter.State) -> EffectOutcome<Counter.Msg> { inner.perform(e, state: state) }
        }
        var bumping = Bumping(inner: host, tick: { bump })
        loop.run(Counter(), from: Counter.State(), host: &bumping)
        host = bumping.inner
        // The first frame at the first wake-up (0.1 s), then one per 0.5 s of idle: 0.6 s and 1.1 s.
        #expect(backend.frames.count == 3)
    }

    @Test func cadenceSplitsCountersFromCharts() {
        var c = RedrawCadence(counterInterval: 0.5, chartInterval: 2)
        #expect(c.due(now: 0, version: 1, interactive: false) == .full)
        c.drew(.full, now: 0, version: 1)
        #expect(c.due(now: 0.2, version: 2, interactive: false) == nil)
        #expect(c.due(now: 0.2, version: 2, interactive: false, immediate: true) == .counters)
        #expect(c.due(now: 0.6, version: 2, interactive: false) == .counters)
        #expect(c.due(now: 0.6, version: 1, interactive: false) == nil)
        #expect(c.due(now: 0.6, version: 1, interactive: true) == .full)
        c.drew(.counters, now: 0.6, version: 2)
        #expect(c.due(now: 2.1, version: 3, interactive: false) == .full)
        var clock = RedrawCadence(counterInterval: 0.5, everySecond: true)
        clock.drew(.full, now: 0.1, version: 1)
        #expect(clock.due(now: 0.9, version: 1, interactive: false) == nil)
        #expect(clock.due(now: 1.0, version: 1, interactive: false) == .full)
    }

    @Test func aWaitThatNeverComesTrueEndsTheLoop() {
        let backend = RecordingBackend(width: 10, height: 1, script: [.waitFor("n=9", until: { $0.lines[0].hasPrefix("n=9") })])
        backend.idleLimit = 5
        var loop = ProgramLoop(backend: backend, cadence: RedrawCadence(), clock: backend.now)
        var host = CounterHost()
        #expect(loop.run(Counter(), from: Counter.State(), host: &host).signal == 15)
        #expect(backend.timedOut == "n=9")
    }
}

private extension String {
    func trimmingCharacters() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
