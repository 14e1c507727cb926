/// The position of each id in a layer, and the ids used twice, for layers of millions of
/// records. A `[String: Int]` hashes every id with a seeded SipHash and compares Strings; here
/// the ids' bytes are hashed on all cores with FNV-1a and placed in an open-addressing table of
/// positions, so a look-up is a few integer comparisons and one byte comparison.
public struct IDIndex: Sendable {
    private let ids: [String]
    private let hashes: [UInt64]
    /// Position + 1 of the first record with each id, 0 for an empty slot.
    private let slots: [Int32]
    private let mask: Int
    /// Each record whose id an earlier record already has, with that earlier record's position,
    /// in the order of the records.
    public let repeats: [(position: Int, first: Int)]

    public init(_ ids: [String]) {
        self.ids = ids
        let hashes = (try? ParallelMap.map(ids.indices, chunk: 16_384) { Self.hash(ids[$0]) }) ?? []
        var capacity = 16
        while capacity < 2 * ids.count { capacity <<= 1 }
        var slots = [Int32](repeating: 0, count: capacity)
        var repeats: [(position: Int, first: Int)] = []
        let mask = capacity - 1
        for i in ids.indices {
            var slot = Int(truncatingIfNeeded: hashes[i]) & mask
            while true {
                let held = Int(slots[slot])
                if held == 0 {
                    slots[slot] = Int32(i + 1)
                    break
                }
                if hashes[held - 1] == hashes[i], ids[held - 1] == ids[i] {
                    repeats.append((i, held - 1))
                    break
                }
                slot = (slot + 1) & mask
            }
        }
        self.hashes = hashes
        self.slots = slots
        self.mask = mask
        self.repeats = repeats
    }

    /// The position of the first record with this id.
    public subscript(id: String) -> Int? {
        let h = Self.hash(id)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let held = Int(slots[slot])
            if held == 0 { return nil }
            if hashes[held - 1] == h, ids[held - 1] == id { return held - 1 }
            slot = (slot + 1) & mask
        }
    }

    /// FNV-1a over the id's UTF-8 bytes, then mixed (murmur3's finaliser) so that the low bits,
    /// which pick the slot, depend on every byte.
    static func hash(_ id: String) -> UInt64 {
        var id = id
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        id.withUTF8 { bytes in
            for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }
}

extension Array where Element == String {
    /// The position of `word` in a short list (a table's dozen columns, a vocabulary): compared
    /// in turn, lengths first, which most words differ in. For a list this short that is several
    /// times faster than hashing the word, and the callers ask once per record.
    public func position(ofWord word: String) -> Int? {
        let length = word.utf8.count
        return firstIndex { $0.utf8.count == length && $0 == word }
    }
}
