/// An open-addressing hash table from WordPiece token (UTF-8 bytes) to id, looked up without building
/// Strings. Continuation pieces are looked up as "##" + bytes without copying. Duplicate tokens: the later
/// line wins (as Hugging Face's loaders do); empty tokens are never matched. Immutable after init, so it is
/// shared between copies of a tokenizer and across threads; its storage is raw memory so that lookups in
/// the hot loop neither retain nor bounds-check.
final class VocabularyTable: @unchecked Sendable {
    private let bytes: UnsafeMutablePointer<UInt8>
    private let entryStart: UnsafeMutablePointer<Int32>
    private let entryLength: UnsafeMutablePointer<Int32>
    private let entryHash: UnsafeMutablePointer<UInt64>
    private let entryID: UnsafeMutablePointer<Int32>
    private let slots: UnsafeMutablePointer<Int32>
    private let mask: Int
    /// The longest token in bytes: longer candidates are not looked up.
    let maxTokenBytes: Int

    private static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01b3
    /// FNV-1a state after "##".
    private static let continuationSeed: UInt64 = (((offset ^ 0x23) &* prime) ^ 0x23) &* prime

    init(tokens: [String]) {
        var capacity = 16
        while capacity < tokens.count * 2 { capacity <<= 1 }
        let mask = capacity - 1
        let slots = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        slots.initialize(repeating: -1, count: capacity)
        let totalBytes = tokens.reduce(0) { $0 + $1.utf8.count }
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, totalBytes))
        let entryStart = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, tokens.count))
        let entryLength = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, tokens.count))
        let entryHash = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, tokens.count))
        let entryID = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, tokens.count))
        var entries = 0, used = 0, longest = 0
        for (id, token) in tokens.enumerated() {
            let utf8 = Array(token.utf8)
            if utf8.isEmpty { continue }  // an empty line is an id no text can produce
            let h = utf8.withUnsafeBufferPointer { Self.hash($0.baseAddress!, $0.count, seed: Self.offset) }
            var slot = Int(truncatingIfNeeded: h) & mask
            var replaced = false
            while slots[slot] >= 0 {
                let e = Int(slots[slot])
                if entryHash[e] == h && Int(entryLength[e]) == utf8.count
                    && (0..<utf8.count).allSatisfy({ bytes[Int(entryStart[e]) + $0] == utf8[$0] }) {
                    entryID[e] = Int32(id)
                    replaced = true
                    break
                }
                slot = (slot + 1) & mask
            }
            if replaced { continue }
            slots[slot] = Int32(entries)
            entryHash[entries] = h
            entryStart[entries] = Int32(used)
            entryLength[entries] = Int32(utf8.count)
            entryID[entries] = Int32(id)
            for (k, b) in utf8.enumerated() { bytes[used + k] = b }
            used += utf8.count
            entries += 1
            longest = max(longest, utf8.count)
        }
        self.mask = mask
        self.slots = slots
        self.bytes = bytes
        self.entryStart = entryStart
        self.entryLength = entryLength
        self.entryHash = entryHash
        self.entryID = entryID
        self.maxTokenBytes = longest
    }

    deinit {
        bytes.deallocate(); entryStart.deallocate(); entryLength.deallocate()
        entryHash.deallocate(); entryID.deallocate(); slots.deallocate()
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
        if total > maxTokenBytes || count == 0 { return nil }
        let h = Self.hash(p, count, seed: continuation ? Self.continuationSeed : Self.offset)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[slot])
            if e < 0 { return nil }
            if entryHash[e] == h && Int(entryLength[e]) == total {
                var q = bytes + Int(entryStart[e])
                var equal = true
                if continuation {
                    equal = q[0] == 0x23 && q[1] == 0x23
                    q += 2
                }
                if equal {
                    for i in 0..<count where q[i] != p[i] { equal = false; break }
                }
                if equal { return entryID[e] }
            }
            slot = (slot + 1) & mask
        }
    }

    /// The id of `token`, else nil.
    func id(of token: String) -> Int32? {
        var t = Array(token.utf8)
        if t.isEmpty { return nil }
        return t.withUnsafeMutableBufferPointer { lookup($0.baseAddress!, count: $0.count, continuation: false) }
    }
}
