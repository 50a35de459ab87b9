/// A fixed-capacity FIFO of points stored in a circular array; pushing onto a full ring evicts the oldest.
/// Value type (copy-on-write through its array).
struct PointRing: Sendable {
    private var storage: [SeriesPoint] = []
    private var head = 0
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity > 0, "PointRing capacity must be positive")
        self.capacity = capacity
        storage.reserveCapacity(capacity)
    }

    var count: Int { storage.count }

    /// Appends `p`; returns the evicted oldest point when the ring was full.
    mutating func push(_ p: SeriesPoint) -> SeriesPoint? {
        if storage.count < capacity { storage.append(p); return nil }
        let old = storage[head]
        storage[head] = p
        head += 1
        if head == capacity { head = 0 }
        return old
    }

    /// Oldest first.
    func appendAll(to out: inout [SeriesPoint]) {
        if storage.count < capacity { out.append(contentsOf: storage); return }
        out.append(contentsOf: storage[head...])
        out.append(contentsOf: storage[..<head])
    }
}
