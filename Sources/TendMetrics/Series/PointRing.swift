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

    /// The newest `k` points (all when fewer), oldest first.
    func appendSuffix(_ k: Int, to out: inout [SeriesPoint]) {
        let n = Swift.min(Swift.max(0, k), storage.count)
        guard n > 0 else { return }
        if storage.count < capacity { out.append(contentsOf: storage[(storage.count - n)...]); return }
        // Logical index i (0 = oldest) lives at (head + i) % capacity.
        let start = storage.count - n
        for i in start..<storage.count { out.append(storage[(head + i) % capacity]) }
    }

    /// Calls `body` on every point, oldest first.
    func forEach(_ body: (SeriesPoint) -> Void) {
        if storage.count < capacity { for p in storage { body(p) }; return }
        for p in storage[head...] { body(p) }
        for p in storage[..<head] { body(p) }
    }

    /// Oldest first.
    func appendAll(to out: inout [SeriesPoint]) {
        if storage.count < capacity { out.append(contentsOf: storage); return }
        out.append(contentsOf: storage[head...])
        out.append(contentsOf: storage[..<head])
    }
}
