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
        var at = Self.magic.count
        func peek(_ offset: Int) -> Int {
            var v: UInt32 = 0
            for i in 0..<4 { v |= UInt32(bytes[offset + i]) << (8 * UInt32(i)) }
            return Int(Int32(bitPattern: v))
        }
        func int() -> Int? {
            guard at + 4 <= bytes.count else { return nil }
            defer { at += 4 }
            return peek(at)
        }
        func double() -> Double? {
            guard at + 8 <= bytes.count else { return nil }
            var v: UInt64 = 0
            for i in 0..<8 { v |= UInt64(bytes[at + i]) << (8 * UInt64(i)) }
            at += 8
            return Double(bitPattern: v)
        }
        /// Lists; the k-th is `like(k)` itself when it holds the same numbers, so that a firm in
        /// a building shares its building's zone list as the joins made it (not a list per firm).
        func lists(like: (Int) -> [Int]? = { _ in nil }) -> [[Int]]? {
            guard let n = int(), n >= 0 else { return nil }
            var out: [[Int]] = []
            out.reserveCapacity(n)
            for k in 0..<n {
                guard let m = int(), m >= 0 else { return nil }
                if let same = like(k), same.count == m, at + 4 * m <= bytes.count, same.indices.allSatisfy({ peek(at + 4 * $0) == same[$0] }) {
                    out.append(same)
                    at += 4 * m
                    continue
                }
                var inner: [Int] = []
                inner.reserveCapacity(m)
                for _ in 0..<m {
                    guard let v = int() else { return nil }
                    inner.append(v)
                }
                out.append(inner)
            }
            return out
        }
        guard let buildings = int(), buildings >= 0 else { return nil }
        var parcels: [BuildingParcelMatch] = []
        parcels.reserveCapacity(buildings)
        for _ in 0..<buildings {
            guard let parcel = int(), let overlap = double(), let spanned = int(), let tied = int() else { return nil }
            parcels.append(
                BuildingParcelMatch(parcel: parcel < 0 ? nil : parcel, overlapM2: overlap, parcelsSpanned: spanned, tiedWith: tied < 0 ? nil : tied))
        }
        guard let buildingZones = lists(), let parcelZones = lists(), let firms = int(), firms >= 0 else { return nil }
        var matches: [(building: Int, method: Int, distance: Double, reason: Int)] = []
        matches.reserveCapacity(firms)
        for _ in 0..<firms {
            guard let building = int(), let method = int(), method >= 0, method < EnterpriseBuildingMatch.Method.allCases.count,
                let distance = double(), let reason = int()
            else { return nil }
            matches.append((building, method, distance, reason))
        }
        let building = { (k: Int) in matches[k].building >= 0 && matches[k].building < buildingZones.count ? buildingZones[matches[k].building] : nil }
        guard let enterpriseZones = lists(like: building), let reasonCount = int(), reasonCount >= 0, let hasDoubt = int() else { return nil }
        var texts: [String] = []
        for _ in 0..<(reasonCount + hasDoubt) {
            guard let n = int(), n >= 0, at + n <= bytes.count else { return nil }
            texts.append(String(decoding: bytes[at..<(at + n)], as: UTF8.self))
            at += n
        }
        guard at == bytes.count else { return nil }
        let methods = EnterpriseBuildingMatch.Method.allCases
        var enterpriseBuilding: [EnterpriseBuildingMatch] = []
        enterpriseBuilding.reserveCapacity(firms)
        for m in matches {
            guard m.reason < reasonCount else { return nil }
            enterpriseBuilding.append(
                EnterpriseBuildingMatch(
                    building: m.building < 0 ? nil : m.building, method: methods[m.method], distanceM: m.distance,
                    reason: m.reason < 0 ? nil : texts[m.reason]))
        }
        self.init(
            buildingParcel: parcels, buildingZones: buildingZones, parcelZones: parcelZones, enterpriseBuilding: enterpriseBuilding,
            enterpriseZones: enterpriseZones, firmCRSDoubt: hasDoubt == 1 ? texts[reasonCount] : nil)
    }
}
