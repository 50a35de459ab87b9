/// An open-addressing hash table from WordPiece token (UTF-8 bytes) to id, looked up without building
/// Strings. Continuation pieces are looked up as "##" + bytes without copying. Duplicate tokens: the later
/// line wins (as Hugging Face's loaders do).
struct VocabularyTable: Sendable {
    private var bytes: [UInt8] = []
    private var starts: [Int32] = []
    private var lengths: [Int32] = []
    private var hashes: [UInt64] = []
    private var ids: [Int32] = []
    private var slots: [Int32]
    private let mask: Int
    /// The longest token in bytes: longer candidates are not looked up.
    private(set) var maxTokenBytes = 0

    private static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01b3
    /// FNV-1a state after "##".
    private static let continuationSeed: UInt64 = {
        var h = offset
        h = (h ^ 0x23) &* prime
        h = (h ^ 0x23) &* prime
        return h
    }()

    init(tokens: [String]) {
        var capacity = 16
        while capacity < tokens.count * 2 { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for (id, token) in tokens.enumerated() { insert(Array(token.utf8), id: Int32(id)) }
    }

    private mutating func insert(_ token: [UInt8], id: Int32) {
        if token.isEmpty { return }  // an empty line is an id no text can produce
        let h = token.withUnsafeBufferPointer { Self.hash($0.baseAddress!, $0.count, seed: Self.offset) }
        var slot = Int(truncatingIfNeeded: h) & mask
        while slots[slot] >= 0 {
            let e = Int(slots[slot])
            if hashes[e] == h && lengths[e] == Int32(token.count)
                && bytes[Int(starts[e])..<(Int(starts[e]) + token.count)].elementsEqual(token) {
                ids[e] = id
                return
            }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(hashes.count)
        hashes.append(h)
        starts.append(Int32(bytes.count))
        lengths.append(Int32(token.count))
        ids.append(id)
        bytes.append(contentsOf: token)
        maxTokenBytes = max(maxTokenBytes, token.count)
    }

    @inline(__always)
    private static func hash(_ p: UnsafePointer<UInt8>, _ count: Int, seed: UInt64) -> UInt64 {
        var h = seed
        for i in 0..<count { h = (h ^ UInt64(p[i])) &* prime }
        // Finalise so that the low bits (the slot) depend on every byte.
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        h ^= h >> 32
        return h
    }

    /// The id of the token `p[0..<count]` (prefixed by "##" when `continuation`), else nil.
    @inline(__always)
    func lookup(_ p: UnsafePointer<UInt8>, count: Int, continuation: Bool) -> Int32? {
        let total = count + (continuation ? 2 : 0)
        if total > maxTokenBytes { return nil }
        let h = Self.hash(p, count, seed: continuation ? Self.continuationSeed : Self.offset)
        return slots.withUnsafeBufferPointer { slots in
            bytes.withUnsafeBufferPointer { bytes in
                var slot = Int(truncatingIfNeeded: h) & mask
                while true {
                    let e = Int(slots[slot])
                    if e < 0 { return nil }
                    if hashes[e] == h && Int(lengths[e]) == total {
                        var q = Int(starts[e])
                        var equal = true
                        if continuation {
                            equal = bytes[q] == 0x23 && bytes[q + 1] == 0x23
                            q += 2
                        }
                        if equal {
                            for i in 0..<count where bytes[q + i] != p[i] { equal = false; break }
                        }
                        if equal { return ids[e] }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// The id of `token`, else nil.
    func id(of token: String) -> Int32? {
        var t = Array(token.utf8)
        if t.isEmpty { return nil }
        return t.withUnsafeMutableBufferPointer { lookup($0.baseAddress!, count: $0.count, continuation: false) }
    }
}
