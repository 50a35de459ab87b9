import Synchronization

/// The most recent served rows (indices into the inference loop's data set) and the class the model
/// predicted for each, for drift checks. A fixed-capacity ring; thread-safe (the serving thread appends,
/// a checker thread copies). Invariant: `rows.count == predictions.count <= capacity`.
public final class ServedWindow: @unchecked Sendable {
    public let capacity: Int
    private struct Ring {
        var rows: [Int32]
        var predictions: [Int32]
        var next = 0, count = 0, total = 0
    }
    private let ring: Mutex<Ring>

    public init(capacity: Int = 2000) {
        precondition(capacity > 0, "ServedWindow: capacity must be positive")
        self.capacity = capacity
        ring = Mutex(Ring(rows: [Int32](repeating: 0, count: capacity), predictions: [Int32](repeating: 0, count: capacity)))
    }

    /// Records one request: row `firstRow + r` (modulo `rowCount`) was answered with `predictions[r]`.
    public func append(firstRow: Int, rowCount: Int, predictions: [Int]) {
        ring.withLock { w in
            for (r, p) in predictions.enumerated() {
                w.rows[w.next] = Int32((firstRow + r) % rowCount)
                w.predictions[w.next] = Int32(p)
                w.next = (w.next + 1) % capacity
                w.count = min(w.count + 1, capacity)
            }
            w.total += predictions.count
        }
    }

    /// Rows served since the start (not only those still in the window).
    public var total: Int { ring.withLock { $0.total } }

    /// A copy of the window, oldest first.
    public func contents() -> (rows: [Int], predictions: [Int]) {
        ring.withLock { w in
            let start = (w.next - w.count + capacity) % capacity
            var rows: [Int] = [], preds: [Int] = []
            rows.reserveCapacity(w.count); preds.reserveCapacity(w.count)
            for i in 0..<w.count {
                let k = (start + i) % capacity
                rows.append(Int(w.rows[k])); preds.append(Int(w.predictions[k]))
            }
            return (rows, preds)
        }
    }
}
