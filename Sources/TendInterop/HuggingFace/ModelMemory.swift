/// Where a loaded model's weight bytes live, for the memory panel: the weight files mapped (`mappedBytes`) and
/// how much of that mapping is in this process's resident set now (`residentMappedBytes`: the mapping's
/// `Rss` in `/proc/self/smaps`, `mincore` where that cannot be read), the weights read in place from
/// the mapping (`borrowedBytes`, zero copy: f32 little-endian, aligned), and the bytes held in allocations of
/// the model's own (`copiedBytes`: f16/bf16 converted once, biases, LayerNorm, and the packed panels for
/// few-row products). Bytes throughout.
public struct ModelMemory: Sendable, Equatable, Codable {
    public var mappedBytes: Int
    public var residentMappedBytes: Int
    public var borrowedBytes: Int
    public var copiedBytes: Int

    public init(mappedBytes: Int, residentMappedBytes: Int, borrowedBytes: Int, copiedBytes: Int) {
        self.mappedBytes = mappedBytes
        self.residentMappedBytes = residentMappedBytes
        self.borrowedBytes = borrowedBytes
        self.copiedBytes = copiedBytes
    }

    /// Bytes of weights in RAM now: the resident part of the mapping plus the copies.
    public var residentBytes: Int { residentMappedBytes + copiedBytes }
}
