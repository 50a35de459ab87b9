/// A growable raw Float buffer (64-byte aligned) owned by a training workspace: grown when a batch needs
/// more, never shrunk, so steady training with one batch shape allocates nothing. Freed by its owner.
struct TrainingBuffer {
    private(set) var pointer: UnsafeMutablePointer<Float>? = nil
    private(set) var capacity = 0

    mutating func ensure(_ count: Int) {
        guard count > capacity else { return }
        pointer?.deallocate()
        let n = max(count, 8)
        pointer = UnsafeMutableRawPointer.allocate(byteCount: n * 4, alignment: 64).bindMemory(to: Float.self, capacity: n)
        capacity = count
    }

    var p: UnsafeMutablePointer<Float> { pointer! }
    func free() { pointer?.deallocate() }
}
