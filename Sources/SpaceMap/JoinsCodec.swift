import SpaceCore

/// The joins as bytes, for a store to keep beside the records they join (little-endian: counts
/// and indices as 32-bit integers, -1 for none; areas and distances as doubles; the firms'
/// reasons for being unmatched as indices into a table of texts).
extension SpaceMap.Joins {
    static let magic: [UInt8] = Array("SPJ1".utf8)

    public func encoded() -> [UInt8] {
        var out = Self.magic
        func int(_ n: Int) { withUnsafeBytes(of: Int32(n).littleEndian) { out.append(contentsOf: $0) } }
        func double(_ x: Double) { withUnsafeBytes(of: x.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        func lists(_ l: [[Int]]) {
            int(l.count)
            for inner in l {
                int(inner.count)
                for n in inner { int(n) }
            }
        }
        int(buildingParcel.count)
        for m in buildingParcel {
            int(m.parcel ?? -1)
            double(m.overlapM2)
            int(m.parcelsSpanned)
            int(m.tiedWith ?? -1)
        }
        lists(buildingZones)
        lists(parcelZones)
        var reasons: [String] = [], reasonIndex: [String: Int] = [:]
        int(enterpriseBuilding.count)
        for m in enterpriseBuilding {
            int(m.building ?? -1)
            int(EnterpriseBuildingMatch.Method.allCases.firstIndex(of: m.method)!)
            double(m.distanceM)
            if let reason = m.reason {
                if reasonIndex[reason] == nil {
                    reasonIndex[reason] = reasons.count
                    reasons.append(reason)
                }
                int(reasonIndex[reason]!)
            } else {
                int(-1)
            }
        }
        lists(enterpriseZones)
        let texts = reasons + (firmCRSDoubt.map { [$0] } ?? [])
        int(reasons.count)
        int(firmCRSDoubt == nil ? 0 : 1)
        for text in texts {
            let bytes = Array(text.utf8)
            int(bytes.count)
            out.append(contentsOf: bytes)
        }
        return out
    }

    /// The joins from their bytes; nil when the bytes are not joins this code wrote.
    public init?(decoding bytes: [UInt8]) {
        guard bytes.starts(with: Self.magic) else { return nil }
        guard let joins = bytes.withUnsafeBytes({ Self.decode(JoinsReader(bytes: $0, at: Self.magic.count)) }) else { return nil }
        self = joins
    }

    private static func decode(_ reader: JoinsReader) -> Self? {
        var reader = reader
        guard let buildings = reader.count() else { return nil }
        var parcels: [BuildingParcelMatch] = []
        parcels.reserveCapacity(buildings)
        for _ in 0..<buildings {
            guard let parcel = reader.int(), let overlap = reader.double(), let spanned = reader.int(), let tied = reader.int() else { return nil }
            parcels.append(
                BuildingParcelMatch(parcel: parcel < 0 ? nil : parcel, overlapM2: overlap, parcelsSpanned: spanned, tiedWith: tied < 0 ? nil : tied))
        }
        guard let buildingZones = reader.lists(), let parcelZones = reader.lists(), let firms = reader.count() else { return nil }
        // The firms' matches without their reasons, whose texts come last; the few firms with a
        // reason are noted and given it once the texts are read.
        let methods = EnterpriseBuildingMatch.Method.allCases
        var enterpriseBuilding: [EnterpriseBuildingMatch] = []
        enterpriseBuilding.reserveCapacity(firms)
        var withReason: [(firm: Int, reason: Int)] = []
        for k in 0..<firms {
            guard let building = reader.int(), let method = reader.int(), method >= 0, method < methods.count,
                let distance = reader.double(), let reason = reader.int()
            else { return nil }
            if reason >= 0 { withReason.append((k, reason)) }
            enterpriseBuilding.append(
                EnterpriseBuildingMatch(building: building < 0 ? nil : building, method: methods[method], distanceM: distance, reason: nil))
        }
        // A firm in a building shares its building's zone list as the joins made it (not a list per firm).
        let enterpriseZones = reader.lists { k in
            guard let b = enterpriseBuilding[k].building, b < buildingZones.count else { return nil }
            return buildingZones[b]
        }
        guard let enterpriseZones, let reasonCount = reader.count(), let hasDoubt = reader.int(), hasDoubt == 0 || hasDoubt == 1 else { return nil }
        var texts: [String] = []
        for _ in 0..<(reasonCount + hasDoubt) {
            guard let text = reader.text() else { return nil }
            texts.append(text)
        }
        guard reader.atEnd else { return nil }
        for (firm, reason) in withReason {
            guard reason < reasonCount else { return nil }
            let m = enterpriseBuilding[firm]
            enterpriseBuilding[firm] = EnterpriseBuildingMatch(building: m.building, method: m.method, distanceM: m.distanceM, reason: texts[reason])
        }
        return Self(
            buildingParcel: parcels, buildingZones: buildingZones, parcelZones: parcelZones, enterpriseBuilding: enterpriseBuilding,
            enterpriseZones: enterpriseZones, firmCRSDoubt: hasDoubt == 1 ? texts[reasonCount] : nil)
    }
}

/// Reads the joins' little-endian numbers in place, each read checked against the end.
private struct JoinsReader {
    let bytes: UnsafeRawBufferPointer
    var at: Int

    var atEnd: Bool { at == bytes.count }

    func peek(_ offset: Int) -> Int { Int(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self))) }

    mutating func int() -> Int? {
        guard at + 4 <= bytes.count else { return nil }
        defer { at += 4 }
        return peek(at)
    }

    /// A count: an int that is not negative.
    mutating func count() -> Int? {
        guard let n = int(), n >= 0 else { return nil }
        return n
    }

    mutating func double() -> Double? {
        guard at + 8 <= bytes.count else { return nil }
        defer { at += 8 }
        return Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)))
    }

    mutating func text() -> String? {
        guard let n = count(), at + n <= bytes.count else { return nil }
        defer { at += n }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[at..<(at + n)]), as: UTF8.self)
    }

    /// Lists; the k-th is `like(k)` itself when it holds the same numbers.
    mutating func lists(like: (Int) -> [Int]? = { _ in nil }) -> [[Int]]? {
        guard let n = count() else { return nil }
        var out: [[Int]] = []
        out.reserveCapacity(n)
        var pool = ZoneListPool()
        for k in 0..<n {
            guard let m = count(), at + 4 * m <= bytes.count else { return nil }
            if let same = like(k), same.count == m, same.indices.allSatisfy({ peek(at + 4 * $0) == same[$0] }) {
                out.append(same)
                at += 4 * m
                continue
            }
            let start = at
            out.append(pool.shared((0..<m).map { peek(start + 4 * $0) }))
            at += 4 * m
        }
        return out
    }
}
