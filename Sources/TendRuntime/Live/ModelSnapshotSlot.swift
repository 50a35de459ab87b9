import Synchronization
import TendEngine

/// The trainer's published model: a private copy taken on the training thread at each epoch end, commit, undo and
/// rollback (`publish`), read by preview workers on any thread (`latest`). A reader gets the copy itself, which
/// nobody mutates after publishing, so previews never touch the live weights and keep working after training ends.
public final class ModelSnapshotSlot: @unchecked Sendable {
    private let slot = Mutex<ModelSnapshot?>(nil)
    private let counter = Atomic<UInt64>(0)

    public init() {}

    /// Publishes a copy of `model` at training step `step`; returns its version (1, 2, …).
    @discardableResult
    public func publish(_ model: any Model, step: Int) -> UInt64 {
        let version = counter.add(1, ordering: .relaxed).newValue
        let snap = ModelSnapshot(model: model.copy(), step: step, version: version)
        slot.withLock { $0 = snap }
        return version
    }

    /// The newest snapshot; nil before the first publish.
    public var latest: ModelSnapshot? { slot.withLock { $0 } }
}
