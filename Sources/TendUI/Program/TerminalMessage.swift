/// A screen's message type that has the three terminal messages every screen handles. Enum cases
/// `key(Key)`, `resize(width:height:)` and `signal(Int32)` satisfy it; the program then gets
/// `message(for:)` for free (every terminal event becomes its message, `.terminate` a `.signal`).
public protocol TerminalMessage {
    static func key(_ key: Key) -> Self
    static func resize(width: Int, height: Int) -> Self
    static func signal(_ signal: Int32) -> Self
}

extension Program where Msg: TerminalMessage {
    public func message(for event: TerminalEvent) -> Msg? {
        switch event {
        case .key(let k): return .key(k)
        case .resize(let w, let h): return .resize(width: w, height: h)
        case .terminate(let s): return .signal(s)
        }
    }
}
