/// The dimensions of a tensor, outermost first (row-major). Invariant: every dimension ≥ 0.
public struct Shape: Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    public let dims: [Int]

    public init(_ dims: [Int]) {
        precondition(dims.allSatisfy { $0 >= 0 }, "Shape: negative dimension in \(dims)")
        self.dims = dims
    }
    public init(arrayLiteral elements: Int...) { self.init(elements) }

    /// Number of elements (1 for a scalar shape `[]`).
    public var count: Int { dims.reduce(1, *) }
    public var rank: Int { dims.count }
    public subscript(i: Int) -> Int { dims[i] }
    public var description: String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }
}
