import Foundation
import TendDashboard
import TendMetrics
import TendRuntime
import TendUI

/// The inspect program's outside: the session's snapshot and its background writes.
public struct InspectHost: ProgramHost {
    public let session: InspectSession
    public init(session: InspectSession) { self.session = session }

    public func dataVersion() -> UInt64 { session.snapshot().version }

    public mutating func poll(_ state: InspectProgram.State, due: FrameDue?, now: Double) -> [InspectProgram.Msg] {
        let snap = session.snapshot()
        if due != nil { return [.snapshot(snap, show: true)] }
        return snap.version != state.snapshot.version ? [.snapshot(snap, show: false)] : []
    }

    public mutating func perform(_ effect: InspectProgram.Effect, state: InspectProgram.State) -> EffectOutcome<InspectProgram.Msg> {
        switch effect {
        case .quit: return .quit
        case .write(let request): session.write(request, describe: InspectEvents.wrote)
        case .log(let line): session.log(line)
        }
        return .done
    }
}

public enum InspectScreen {
    /// Scans in the background and runs the screen on `backend` until `q` or a signal; stops the session after.
    public static func run<B: TerminalBackend>(session: InspectSession, state initial: InspectState, theme: Theme, on backend: B,
                                               interval: Double = 0.1) {
        defer { session.stop() }
        session.startScan()
        var host = InspectHost(session: session)
        var loop = ProgramLoop(backend: backend, cadence: RedrawCadence(counterInterval: interval), clock: { Date().timeIntervalSince1970 })
        loop.run(InspectProgram(theme: theme), from: InspectProgram.State(screen: initial, snapshot: session.snapshot()), host: &host)
    }
}
