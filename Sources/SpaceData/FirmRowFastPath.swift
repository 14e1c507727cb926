import Foundation
import SpaceCore
import SpaceGeometry

/// The common case of a firm row, read straight from its bytes: no quotes, no padding, known
/// sector and flags, plain numbers within the general path's `NumberRule`s. Anything else
/// returns nil and the row takes the general path (`FieldReader`), which also words every
/// error: the fast path never decides an error.
struct FirmRowFastPath {
    let id, name, sector, flags, employees, floorArea: Int
    let lon, lat, buildingID: Int?

    /// Column positions with the layer's renames applied; nil when the layer gives defaults
    /// (the general path applies them) or lacks a column the fast path reads.
    init?(columns: [String: Int], layer: Manifest.Layer) {
        guard layer.defaults.count == 0, let id = columns["id"], let sector = columns["sector"],
            let employees = columns["employees"], let floorArea = columns["floor_area_m2"]
        else { return nil }
        self.id = id; self.sector = sector; self.employees = employees; self.floorArea = floorArea
        name = columns["name"] ?? -1
        flags = columns["flags"] ?? -1
        lon = columns["lon"]; lat = columns["lat"]; buildingID = columns["building_id"]
    }

    static let sectors = Vocabulary.sectors.map { ($0, Array($0.utf8)) }
    static let flagNames = Vocabulary.enterpriseFlags.map { ($0, Array($0.utf8)) }

    func read(
        _ row: UnsafeBufferPointer<UInt8>, _ fields: UnsafeBufferPointer<Range<Int>>, index: Int,
        crs: CRSCode, isGeographic: Bool, transformer: CoordinateTransformer
    ) -> Enterprise? {
        func bytes(_ column: Int) -> UnsafeBufferPointer<UInt8> {
            column < 0 ? UnsafeBufferPointer(start: nil, count: 0) : UnsafeBufferPointer(rebasing: row[fields[column]])
        }
        func text(_ column: Int) -> String { String(decoding: bytes(column), as: UTF8.self) }
        // Padding is trimmed by the general path; leave it to that path.
        for f in fields where !f.isEmpty && (row[f.lowerBound] == 0x20 || row[f.upperBound - 1] == 0x20) { return nil }
        let idBytes = bytes(id)
        guard !idBytes.isEmpty, let sectorName = Self.match(bytes(sector), Self.sectors),
            let people = Self.number(bytes(employees)).flatMap(NumberRule.count.integer),
            let area = Self.number(bytes(floorArea)), NumberRule.quantity.accepts(area)
        else { return nil }
        var flagList: [String] = []
        var start = 0
        let flagBytes = bytes(flags)
        for i in 0...flagBytes.count where i == flagBytes.count || flagBytes[i] == UInt8(ascii: ";") {
            if i > start {
                guard let flag = Self.match(UnsafeBufferPointer(rebasing: flagBytes[start..<i]), Self.flagNames) else { return nil }
                flagList.append(flag)
            }
            start = i + 1
        }
        let lonBytes = lon.map(bytes) ?? UnsafeBufferPointer(start: nil, count: 0)
        let latBytes = lat.map(bytes) ?? UnsafeBufferPointer(start: nil, count: 0)
        let building = buildingID.map(text).flatMap { $0.isEmpty ? nil : $0 }
        var location: Coordinate?
        if !lonBytes.isEmpty || !latBytes.isEmpty {
            guard let x = Self.number(lonBytes), let y = Self.number(latBytes),
                NumberRule.signed.accepts(x), NumberRule.signed.accepts(y)
            else { return nil }
            let c = Coordinate(x, y)
            guard coordinateProblem(.point(c), crs: crs, isGeographic: isGeographic) == nil,
                let projected = try? transformer.transform(c)
            else { return nil }
            location = projected
        } else if building == nil {
            return nil
        }
        return Enterprise(
            index: index, id: String(decoding: idBytes, as: UTF8.self), name: text(name), sector: sectorName,
            flags: flagList, employees: people, floorAreaM2: area, location: location, buildingID: building)
    }

    /// The vocabulary word these bytes spell, as the vocabulary's own String (no allocation).
    static func match(_ b: UnsafeBufferPointer<UInt8>, _ words: [(String, [UInt8])]) -> String? {
        words.first { $0.1.count == b.count && $0.1.elementsEqual(b) }?.0
    }

    /// A finite number written plainly (digits, sign, point, exponent), parsed by strtod.
    static func number(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !b.isEmpty, b.count < 64 else { return nil }
        if let value = parsePlainDecimal(b) { return value }
        for c in b where !((c >= 0x30 && c <= 0x39) || c == 0x2E || c == 0x2D || c == 0x2B || c == 0x65 || c == 0x45) { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: b.count + 1) { buffer -> Double? in
            for i in 0..<b.count { buffer[i] = CChar(bitPattern: b[i]) }
            buffer[b.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &end)
            guard let end, end - buffer.baseAddress! == b.count, value.isFinite else { return nil }
            return value
        }
    }
}
