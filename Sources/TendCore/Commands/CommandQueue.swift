import Synchronization

/// A thread-safe FIFO of engine commands: the UI pushes, the trainer drains between steps.
public final class CommandQueue: Sendable {
    private let items = Mutex<[EngineCommand]>([])
    public init() {}
    public func push(_ command: EngineCommand) { items.withLock { $0.append(command) } }
    /// Removes and returns everything queued, oldest first.
    public func drain() -> [EngineCommand] {
        items.withLock { q in let out = q; q.removeAll(keepingCapacity: true); return out }
    }
    public var isEmpty: Bool { items.withLock { $0.isEmpty } }
}
