import Testing
import TendCore
@testable import TendMetrics

@Suite struct AttachmentTests {
    struct Preview: Sendable, Equatable { var sparsity: Double }

    @Test func attachedValuesTravelInSnapshotsAndBumpTheVersion() {
        let store = MetricsStore(clock: ManualClock(0))
        let v0 = store.version
        store.attach(Preview(sparsity: 0.5), as: "pruning.preview")
        let snap = store.snapshot()
        #expect(snap.version > v0)
        #expect(snap.attachment("pruning.preview", as: Preview.self) == Preview(sparsity: 0.5))
        #expect(snap.attachment("pruning.preview", as: Int.self) == nil)
        store.attach(nil, as: "pruning.preview")
        #expect(store.snapshot().attachment("pruning.preview", as: Preview.self) == nil)
    }
}
