import TendTensor

/// Tiny deterministic generator for test data (TendTensor does not see TendCore).
struct LCG {
    var state: UInt64
    init(_ seed: UInt64) { state = seed &* 6364136223846793005 &+ 1442695040888963407 }
    mutating func next() -> Float {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(state >> 40) / Float(1 << 24) * 2 - 1
    }
    mutating func tensor(_ dims: [Int]) -> Tensor {
        let s = Shape(dims)
        return Tensor(shape: s, storage: (0..<s.count).map { _ in next() })
    }
}
