import Foundation
import SpaceCore
import SpaceData
import SpaceGeometry

/// Generates a synthetic district at any scale, deterministically from a seed: blocks →
/// parcels → buildings → carriers → enterprises, in the schema of GIS/README.md. A small share
/// of records is awkward on purpose (bow-tie footprints, buildings across parcel lines,
/// firms geocoded beside or far from any building, derived floor areas), as real data is.
public struct SyntheticDistrict {
    public struct Options {
        public var seed: UInt64
        public var buildings: Int
        public var firmsPerBuilding: Double = 3
        /// Tech-cultivation space per building: 400,000 m² over the 3,000-building sample.
        public var carrierAreaPerBuildingM2: Double = 400_000.0 / 3_000.0
        /// The year the data describe: a stock near the plan's baseline is the plan's first year.
        public var asOfYear = 2021
        public init(seed: UInt64, buildings: Int) { self.seed = seed; self.buildings = buildings }
    }

    /// South-west corner of the district in EPSG:4547 (near Futian's, ≈ 113.975 E, 22.505 N).
    static let origin = Coordinate(497_500, 2_489_500)
    static let blockSize = (width: 220.0, height: 160.0, road: 20.0)
    static let crs = CRSCode.cgcs2000GK114

    struct PlannedBuilding {
        var id: String
        var ring: [Coordinate]
        var use: String
        var floors: Int
        var gfa: Double
        var recordGFA: Bool
        var year: Int
        var condition: String
        var vacant: Double
        var parcel: Int
    }

    struct PlannedParcel {
        var id: String
        var rect: DistrictLayout.Rect
        var landUse: String
        var recordedArea: Double?
        var farCap: Double
        var heightCap: Double
        var tenure: (Int, Int)
        var supplyMode: String
    }

    public static func generate(_ options: Options) throws -> [Artifact] {
        var random = SeededRandom(seed: options.seed)
        // A block holds ~10 footprints on average (2–6 parcels × 1–4): plan 6 per block so a
        // single pass over the parcels always yields enough; the rest stays vacant land.
        let perBlock = 6.0
        let blocks = max(4, Int((Double(options.buildings) / perBlock).rounded(.up)))
        let columns = max(2, Int((Double(blocks) * 1.3).squareRoot().rounded(.up)))
        let rows = max(2, (blocks + columns - 1) / columns)
        let (bw, bh, road) = blockSize
        let district = DistrictLayout.Rect(
            minX: origin.x, minY: origin.y,
            maxX: origin.x + Double(columns) * bw + road, maxY: origin.y + Double(rows) * bh + road)
        let layout = DistrictLayout(district: district)

        // Parcels: each block split into strips.
        var parcels: [PlannedParcel] = []
        var blockCells: [(Int, Int)] = []
        for r in 0..<rows { for c in 0..<columns { blockCells.append((r, c)) } }
        for (r, c) in blockCells {
            let x0 = origin.x + road + Double(c) * bw, y0 = origin.y + road + Double(r) * bh
            let x1 = x0 + bw - road, y1 = y0 + bh - road
            let strips = random.integer(2...6)
            var cuts = [x0]
            for k in 1..<strips { cuts.append(x0 + (x1 - x0) * (Double(k) + random.uniform(-0.25, 0.25)) / Double(strips)) }
            cuts.append(x1)
            let industrial = layout.inCluster((x0 + x1) / 2, (y0 + y1) / 2)
            for k in 0..<strips {
                let rect = DistrictLayout.Rect(minX: cuts[k], minY: y0, maxX: cuts[k + 1], maxY: y1)
                let landUse =
                    industrial
                    ? random.pick([("M0", 0.35), ("M1", 0.25), ("W1", 0.15), ("C1", 0.12), ("R2", 0.05), ("GIC", 0.05), ("G1", 0.03)])
                    : random.pick([("R2", 0.38), ("C1", 0.27), ("GIC", 0.10), ("M1", 0.10), ("W1", 0.05), ("G1", 0.05), ("U", 0.05)])
                let area = (rect.maxX - rect.minX) * (rect.maxY - rect.minY)
                let start = random.integer(1985...2020)
                let mode =
                    landUse.hasPrefix("M")
                    ? random.pick([
                        ("transfer", 0.6), ("long_term_lease", 0.1), ("lease_then_transfer", 0.1), ("mixed_lease_transfer", 0.1),
                        ("flexible_term_transfer", 0.1),
                    ])
                    : (landUse == "GIC" ? "allocation" : "transfer")
                parcels.append(
                    PlannedParcel(
                        id: "P\(String(parcels.count + 1).leftPadded(7))", rect: rect, landUse: landUse,
                        recordedArea: random.chance(0.7)
                            ? (random.chance(0.02) ? area * random.uniform(1.08, 1.3) : area * random.uniform(0.995, 1.005)) : nil,
                        farCap: landUse.hasPrefix("M")
                            ? random.pick([(3.5, 0.4), (4.0, 0.3), (5.0, 0.2), (6.0, 0.1)])
                            : random.pick([(2.5, 0.3), (3.2, 0.3), (4.5, 0.2), (6.0, 0.2)]),
                        heightCap: random.pick([(24.0, 0.2), (50.0, 0.3), (100.0, 0.4), (150.0, 0.1)]),
                        tenure: (start, start + (mode == "flexible_term_transfer" ? 20 : landUse.hasPrefix("R") ? 70 : 50)),
                        supplyMode: mode))
            }
        }

        // Buildings: a column of footprints in each parcel, until the requested number.
        var buildings: [PlannedBuilding] = []
        var parcelOrder = Array(parcels.indices)
        parcelOrder.shuffle(using: &random)
        var cursor = 0
        while buildings.count < options.buildings {
            guard cursor < parcelOrder.count else {
                throw DataError(file: "synthetic district", problem: "the synthetic layout ran out of parcels (seed \(options.seed))")
            }
            let p = parcelOrder[cursor]
            cursor += 1
            let parcel = parcels[p]
            let rect = parcel.rect
            let count = min(options.buildings - buildings.count, random.integer(1...4))
            let cellHeight = (rect.maxY - rect.minY) / Double(count)
            for k in 0..<count {
                let cy0 = rect.minY + Double(k) * cellHeight
                let bx0 = rect.minX + random.uniform(3, 8), bx1 = rect.maxX - random.uniform(3, 8)
                let by0 = cy0 + random.uniform(3, 8), by1 = cy0 + cellHeight - random.uniform(3, 8)
                guard bx1 - bx0 > 4, by1 - by0 > 4 else { continue }
                var ring = [Coordinate(bx0, by0), Coordinate(bx1, by0), Coordinate(bx1, by1), Coordinate(bx0, by1), Coordinate(bx0, by0)]
                // Awkward records, as real footprints have them.
                if random.chance(0.005) {  // drawn across the parcel line
                    let shift = (bx1 - bx0) * random.uniform(0.3, 0.6)
                    ring = ring.map { Coordinate($0.x + shift + 8, $0.y) }
                } else if random.chance(0.001) {  // bow-tie: two corners swapped
                    ring = [ring[0], ring[1], ring[3], ring[2], ring[0]]
                } else if random.chance(0.001) {  // repeated vertex
                    ring.insert(ring[1], at: 1)
                }
                buildings.append(
                    plannedBuilding(
                        id: "B\(String(buildings.count + 1).leftPadded(7))", ring: ring,
                        footprint: (bx1 - bx0) * (by1 - by0), parcel: p, landUse: parcel.landUse, random: &random))
            }
        }

        let carriers = planCarriers(buildings: buildings, options: options, random: &random)
        let firms = planEnterprises(buildings: buildings, options: options, random: &random)
        return try SyntheticWriter.write(
            layout: layout, parcels: parcels, buildings: buildings, carriers: carriers,
            enterprises: firms, options: options)
    }

    static func plannedBuilding(
        id: String, ring: [Coordinate], footprint: Double, parcel: Int, landUse: String,
        random: inout SeededRandom
    ) -> PlannedBuilding {
        let use: String
        switch landUse.prefix(1) {
        case "M":
            use =
                landUse == "M0"
                ? random.pick([("rnd", 0.6), ("industrial", 0.3), ("office", 0.1)]) : random.pick([("industrial", 0.8), ("rnd", 0.2)])
        case "W": use = "warehouse"
        case "C": use = random.pick([("office", 0.6), ("commercial", 0.3), ("mixed", 0.1)])
        case "R": use = random.pick([("residential", 0.9), ("commercial", 0.1)])
        default: use = "public"
        }
        let floors: Int
        switch use {
        case "industrial": floors = random.integer(2...8)
        case "rnd": floors = random.integer(6...25)
        case "warehouse": floors = random.integer(1...4)
        case "office": floors = random.integer(10...45)
        case "residential": floors = random.integer(8...33)
        default: floors = random.integer(2...10)
        }
        let oldStock = use == "industrial" || use == "warehouse"
        let year = oldStock ? random.integer(1982...2010) : random.integer(1985...2022)
        var condition = random.pick([("good", 0.6), ("fair", 0.4)])
        if oldStock, year < 1998, random.chance(0.7) { condition = use == "warehouse" ? "old_warehouse" : "old_factory" }
        if year < 1990, random.chance(0.1) { condition = "dilapidated" }
        let gfa = (footprint * Double(floors) * random.uniform(0.92, 1.0)).rounded()
        let vacantShare = condition.hasPrefix("old") ? random.uniform(0.1, 0.5) : random.uniform(0, 0.15)
        return PlannedBuilding(
            id: id, ring: ring, use: use, floors: floors, gfa: gfa, recordGFA: random.chance(0.9), year: year,
            condition: condition, vacant: (gfa * vacantShare).rounded(), parcel: parcel)
    }

    struct PlannedCarrier {
        var id, name, type, level, operatorName: String
        var floorArea, occupied: Double
        var buildings: [Int]
    }

    static func planCarriers(buildings: [PlannedBuilding], options: Options, random: inout SeededRandom) -> [PlannedCarrier] {
        let target = options.carrierAreaPerBuildingM2 * Double(options.buildings)
        let hosts = buildings.indices.filter { ["rnd", "office", "industrial"].contains(buildings[$0].use) && buildings[$0].gfa >= 3000 }
        guard !hosts.isEmpty else { return [] }
        var carriers: [PlannedCarrier] = []
        var used = Set<Int>()
        var total = 0.0
        var attempts = 0
        while total < target, attempts < hosts.count * 4 {
            attempts += 1
            let host = hosts[random.integer(0...(hosts.count - 1))]
            if used.contains(host) { continue }
            let type = random.pick([("maker_space", 0.55), ("incubator", 0.2), ("accelerator", 0.08), ("park", 0.07), ("silicon_building", 0.1)])
            var members = [host]
            if type == "park" {  // a park takes its neighbours on the same parcel
                members += buildings.indices.filter { $0 != host && buildings[$0].parcel == buildings[host].parcel && !used.contains($0) }.prefix(3)
            }
            let capacity = members.reduce(0.0) { $0 + visibleFloorArea(buildings[$1]) }
            let wanted: Double
            switch type {
            case "maker_space": wanted = random.uniform(1_500, 6_000)
            case "incubator": wanted = random.uniform(5_000, 20_000)
            case "accelerator": wanted = random.uniform(8_000, 25_000)
            case "park": wanted = random.uniform(30_000, 80_000)
            default: wanted = capacity
            }
            let area = min(wanted, capacity * 0.9).rounded()
            if area < 500 { continue }
            members.forEach { used.insert($0) }
            let number = carriers.count + 1
            carriers.append(
                PlannedCarrier(
                    id: "C\(String(number).leftPadded(5))", name: "\(carrierNames[number % carrierNames.count])\(typeNames[type]!) \(number)",
                    type: type, level: random.pick([("national", 0.15), ("city", 0.45), ("district", 0.4)]),
                    operatorName: operators[random.integer(0...(operators.count - 1))],
                    floorArea: area, occupied: (area * random.uniform(0.6, 0.97)).rounded(), buildings: members))
            total += area
        }
        return carriers
    }

    /// The floor area the loaders will find in a building: its recorded GFA, else floors × its
    /// footprint as drawn, and a bow-tie footprint keeps half its rectangle once make-valid has
    /// repaired it. (Planned against the planned GFA alone, a carrier could be larger than its
    /// building: one was at 1,000,000 buildings.)
    static func visibleFloorArea(_ b: PlannedBuilding) -> Double {
        guard !b.recordGFA else { return b.gfa }
        var twiceArea = 0.0
        for (p, q) in zip(b.ring, b.ring.dropFirst()) { twiceArea += p.x * q.y - q.x * p.y }
        let xs = b.ring.map(\.x), ys = b.ring.map(\.y)
        let box = (xs.max()! - xs.min()!) * (ys.max()! - ys.min()!)
        return abs(twiceArea) / 2 < box / 2 ? b.gfa / 2 : b.gfa
    }

    /// How a synthetic carrier lets its space: maker spaces by desks, incubators and accelerators
    /// by office units, parks and silicon buildings by the m²; rents by type, spread by carrier
    /// number (not drawn from the random stream, so the rest of a district does not change).
    static func letting(type: String, number: Int) -> (unitM2: Double?, rent: Double) {
        let spread = 0.85 + 0.3 * Double((number * 7) % 10) / 9
        switch type {
        case "maker_space": return (10, 60 * spread)
        case "incubator": return (50, 80 * spread)
        case "accelerator": return (100, 95 * spread)
        case "park": return (nil, 110 * spread)
        default: return (nil, 130 * spread)
        }
    }

    struct PlannedEnterprise {
        var id, name, sector: String
        var flags: [String]
        var employees: Int
        var floorArea: Double
        /// Where the firm really is (EPSG:4547), or its building id when the record has one.
        var location: Coordinate?
        var buildingID: String?
    }

    static func planEnterprises(buildings: [PlannedBuilding], options: Options, random: inout SeededRandom) -> [PlannedEnterprise] {
        let weights: [String: Double] = [
            "office": 6, "rnd": 6, "industrial": 3, "mixed": 2, "commercial": 1, "warehouse": 0.5, "residential": 0.2, "public": 0.1,
        ]
        var cumulative: [Double] = []
        var sum = 0.0
        for b in buildings { sum += weights[b.use] ?? 0.1; cumulative.append(sum) }
        let count = Int((Double(options.buildings) * options.firmsPerBuilding).rounded())
        var firms: [PlannedEnterprise] = []
        firms.reserveCapacity(count)
        for k in 0..<count {
            let r = random.uniform(0, sum)
            var lo = 0, hi = cumulative.count - 1
            while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] < r { lo = mid + 1 } else { hi = mid } }
            let b = buildings[lo]
            let xs = b.ring.map(\.x), ys = b.ring.map(\.y)
            let (minX, maxX, minY, maxY) = (xs.min()!, xs.max()!, ys.min()!, ys.max()!)
            var location: Coordinate? = Coordinate(random.uniform(minX + 0.5, maxX - 0.5), random.uniform(minY + 0.5, maxY - 0.5))
            var buildingID: String?
            if random.chance(0.04) {
                location = nil
                buildingID = b.id
            } else if random.chance(0.02) {  // geocoded to the entrance, just outside the footprint
                location = Coordinate(maxX + random.uniform(2, 12), location!.y)
            } else if random.chance(0.005) {  // geocoded to the wrong place
                location = Coordinate(location!.x, minY - random.uniform(60, 90))
            }
            let sector = random.pick([
                ("next_gen_it", 0.18), ("semiconductors", 0.06), ("biomedicine", 0.1), ("ai", 0.1), ("fintech", 0.12),
                ("green_low_carbon", 0.04), ("digital_economy", 0.1), ("culture_tech", 0.07), ("tech_services", 0.1),
                ("new_materials", 0.03), ("smart_devices", 0.05), ("other", 0.05),
            ])
            var flags: [String] = []
            if random.chance(0.15) { flags.append("national_high_tech") }
            if random.chance(0.15) { flags.append("strategic_emerging") }
            if random.chance(0.05) { flags.append("high_growth") }
            if random.chance(0.005) { flags.append("quasi_unicorn") }
            if random.chance(0.03) { flags.append("overseas_talent") }
            if random.chance(0.005) { flags.append("leading") }
            let employees = max(1, Int(exp(random.uniform(log(3), log(400)))))
            firms.append(
                PlannedEnterprise(
                    id: "E\(String(k + 1).leftPadded(8))", name: "\(firmNames[k % firmNames.count])科技有限公司 \(k + 1)", sector: sector, flags: flags,
                    employees: employees, floorArea: (Double(employees) * random.uniform(8, 25)).rounded(), location: location, buildingID: buildingID
                ))
        }
        return firms
    }

    static let carrierNames = ["深港", "福田", "华强", "车公庙", "梅林", "八卦岭", "天安", "彩田", "上步", "香蜜"]
    static let typeNames = ["maker_space": "众创空间", "incubator": "孵化器", "accelerator": "加速器", "park": "科技园", "silicon_building": "硅楼"]
    static let operators = ["福田区投资控股", "深业集团", "天安数码城", "华强集团", "赛格集团", "福田国资", "深圳湾科技", "招商局"]
    static let firmNames = ["星河", "云启", "鹏程", "智芯", "华讯", "海川", "信达", "远景", "极光", "微澜", "数聚", "乐康"]
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
