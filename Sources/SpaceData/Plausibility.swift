import Foundation
import SpaceCore
import SpaceGeometry

/// Plausibility rules: figures that cannot both be true, layers that contradict each other.
/// Each rule has a name (`building.floors_beyond_tallest`), a severity, and its thresholds in
/// `policy.json`'s `plausibility` section (GIS/README.md lists them). The checks are functions
/// over records and settings, returning findings: the loaders run them on a data folder, and
/// the store can run them on an edit set, so a wrong edit is refused the way a wrong file is.
public enum Plausibility {
    /// An error where the figure cannot be right; a warning where it may be.
    public enum Severity: String, Sendable, Codable { case error, warning }

    /// One rule broken by one record (or by a layer as a whole: `record` nil).
    public struct Finding: Sendable, Codable, Equatable, CustomStringConvertible {
        public let rule: String
        public let severity: Severity
        public let layer: String
        public let record: Int?
        public let recordID: String?
        /// What does not add up, for this record, with its figures.
        public let problem: String
        /// What the rule's findings share, for the count by rule ("floor area above 3× footprint × floors").
        public let summary: String

        public init(rule: String, severity: Severity, layer: String, record: Int?, recordID: String?, problem: String, summary: String) {
            self.rule = rule; self.severity = severity; self.layer = layer; self.record = record
            self.recordID = recordID; self.problem = problem; self.summary = summary
        }

        public var description: String { "\(problem) [\(rule)]" }

        /// The finding as an error naming `file`, the record and the rule.
        public func dataError(file: String) -> DataError {
            DataError(file: file, record: record, recordID: recordID, problem: "\(problem) [\(rule)]")
        }
    }

    // MARK: Buildings

    /// One building's figures: floors and height beyond any building in Shenzhen (error), floor
    /// area far beyond footprint × floors (warning).
    public static func building(_ b: Building, _ s: PlausibilitySettings) -> [Finding] {
        var found: [Finding] = []
        func add(_ rule: String, _ severity: Severity, _ problem: String, _ summary: String) {
            found.append(
                Finding(rule: rule, severity: severity, layer: "buildings", record: b.index, recordID: b.id, problem: problem, summary: summary))
        }
        if b.floors > s.maxFloors {
            add(
                "building.floors_beyond_tallest", .error,
                "floors \(b.floors) is more than any building in Shenzhen has (\(s.maxFloors) floors above ground, \(s.tallestBuilding))",
                "more floors than \(s.tallestBuilding)")
        }
        if let h = b.heightM, h > s.maxHeightM {
            add(
                "building.height_beyond_tallest", .error,
                "height_m \(formatJSONNumber(h)) is more than any building in Shenzhen has (\(formatJSONNumber(s.maxHeightM)) m, \(s.tallestBuilding))",
                "taller than \(s.tallestBuilding)")
        }
        let ceiling = s.maxFloorAreaRatio * b.footprintM2 * Double(b.floors)
        if !b.gfaDerived, b.footprintM2 > 0, b.gfaM2 > ceiling {
            add(
                "building.floor_area_beyond_footprint", .warning,
                "gfa_m2 \(formatArea(b.gfaM2)) is \(formatFixed(b.gfaM2 / (b.footprintM2 * Double(b.floors)), 1))× footprint \(formatArea(b.footprintM2)) m² × \(b.floors) floors (more than \(formatJSONNumber(s.maxFloorAreaRatio))×)",
                "floor area above \(formatJSONNumber(s.maxFloorAreaRatio))× footprint × floors")
        }
        return found
    }

    // MARK: Carriers

    /// Carriers against the buildings they name: a building named twice, a carrier larger than
    /// its buildings, a unit larger than the carrier or its buildings, carriers whose areas in one
    /// building add up to more than the building has (all errors: the tech space would be counted
    /// beyond what exists). `buildingByID` maps ids to indices of `buildings`.
    public static func carriers(_ carriers: [Carrier], buildings: [Building], buildingByID: IDIndex, _ s: PlausibilitySettings) -> [Finding] {
        var found: [Finding] = []
        func add(_ c: Carrier, _ rule: String, _ problem: String, _ summary: String) {
            found.append(
                Finding(rule: rule, severity: .error, layer: "carriers", record: c.index, recordID: c.id, problem: problem, summary: summary))
        }
        let slack = 1 + s.carrierFloorAreaTolerance
        // Each building's share of the carriers in it, carriers spread by their buildings' floor area.
        var inBuilding: [Int: (m2: Double, carriers: [String])] = [:]
        for c in carriers {
            var seen: Set<String> = []
            let twice = c.buildingIDs.filter { !seen.insert($0).inserted }
            if !twice.isEmpty {
                add(
                    c, "carrier.building_listed_twice",
                    "building_ids names \(Set(twice).sorted().joined(separator: ", ")) more than once: its floor area would count twice",
                    "a building named twice in building_ids")
            }
            let known = Array(seen).compactMap { buildingByID[$0] }.sorted()
            guard !known.isEmpty else { continue }  // unknown buildings are reported by the space map
            let gfa = known.reduce(0) { $0 + buildings[$1].gfaM2 }
            let names = known.map { buildings[$0].id }.joined(separator: ", ")
            if c.floorAreaM2 > gfa * slack {
                add(
                    c, "carrier.area_beyond_buildings",
                    "floor_area_m2 \(formatArea(c.floorAreaM2)) is more than the floor area of its building\(known.count > 1 ? "s" : "") \(names) (\(formatArea(gfa)) m²)",
                    "carrier larger than its buildings")
            }
            if let unit = c.unitM2, unit > min(c.floorAreaM2, gfa) * slack {
                add(
                    c, "carrier.unit_beyond_carrier",
                    "unit_m2 \(formatArea(unit)) is larger than the carrier (\(formatArea(c.floorAreaM2)) m²) or its building\(known.count > 1 ? "s" : "") (\(formatArea(gfa)) m²)",
                    "unit larger than its carrier or building")
            }
            if gfa > 0 {
                for b in known {
                    inBuilding[b, default: (0, [])].m2 += c.floorAreaM2 * buildings[b].gfaM2 / gfa
                    inBuilding[b, default: (0, [])].carriers.append(c.id)
                }
            }
        }
        for (b, sum) in inBuilding.sorted(by: { $0.key < $1.key }) where sum.carriers.count > 1 && sum.m2 > buildings[b].gfaM2 * slack {
            let building = buildings[b]
            found.append(
                Finding(
                    rule: "carriers.beyond_building", severity: .error, layer: "carriers", record: nil,
                    recordID: sum.carriers.joined(separator: ", "),
                    problem:
                        "carriers \(sum.carriers.joined(separator: ", ")) hold \(formatArea(sum.m2)) m² in building \(building.id), which has \(formatArea(building.gfaM2)) m²",
                    summary: "buildings whose carriers exceed their floor area"))
        }
        return found
    }

    // MARK: Firms

    /// A firm with more floor area than the building it is placed in has (a warning: the place
    /// may be the firm's head office only, or the match may be wrong). `buildingOf` gives each
    /// firm's building index, nil when unplaced.
    public static func firms(_ firms: [Enterprise], buildingOf: [Int?], buildings: [Building], _ s: PlausibilitySettings) throws -> [Finding] {
        // One comparison a firm, in firm order: a finding is rare, so only findings are made (an
        // optional finding for each of a million firms cost more than the comparisons).
        var found: [Finding] = []
        for f in firms.indices {
            guard let b = buildingOf[f], firms[f].floorAreaM2 > buildings[b].gfaM2 * (1 + s.firmFloorAreaTolerance) else { continue }
            let firm = firms[f], building = buildings[b]
            found.append(
                Finding(
                    rule: "enterprise.area_beyond_building", severity: .warning, layer: "enterprises", record: firm.index, recordID: firm.id,
                    problem: "floor_area_m2 \(formatArea(firm.floorAreaM2)) is more than its building \(building.id) has (\(formatArea(building.gfaM2)) m²)",
                    summary: "firm with more floor area than its building"))
        }
        return found
    }

    // MARK: Renewal units

    /// A proposal's carrier larger than its renewal unit's floor area after renewal (error).
    public static func proposedCarrier(unitIndex: Int, unitID: String, carrierM2: Double, floorAreaAfterM2: Double, _ s: PlausibilitySettings)
        -> Finding?
    {
        guard carrierM2 > floorAreaAfterM2 * (1 + s.carrierFloorAreaTolerance) else { return nil }
        return Finding(
            rule: "proposal.carrier_beyond_unit", severity: .error, layer: "proposals", record: unitIndex, recordID: unitID,
            problem:
                "carrier.floor_area_m2 \(formatArea(carrierM2)) is more than the unit's floor area after renewal (\(formatArea(floorAreaAfterM2)) m²)",
            summary: "carrier larger than its renewal unit")
    }

    // MARK: Zones and parcels

    /// Sub-districts overlapping each other or lying partly outside the district (warnings:
    /// outlines from different sources disagree at their edges), a cluster wholly outside the
    /// district (error) or partly (warning).
    public static func zones(_ zones: [Zone], _ s: PlausibilitySettings) throws -> [Finding] {
        guard let district = zones.first(where: { $0.kind == .district }) else { return [] }
        var found: [Finding] = []
        let outline = try PreparedGeometry(district.geometry)
        for z in zones where z.kind != .district {
            let area = z.geometry.planarArea
            guard area > 0 else { continue }
            let inside = try outline.intersects(z.geometry) ? try z.geometry.intersection(district.geometry).planarArea : 0
            let outsideShare = 1 - inside / area
            let noun = z.kind == .cluster ? "cluster" : "sub-district"
            if inside <= 0 {
                found.append(
                    Finding(
                        rule: "zone.outside_district", severity: z.kind == .cluster ? .error : .warning, layer: "zones", record: z.index,
                        recordID: z.id,
                        problem: "the \(noun) lies wholly outside the district \(district.id)",
                        summary: "zones outside the district"))
            } else if outsideShare > s.zoneOutsideTolerance {
                found.append(
                    Finding(
                        rule: "zone.outside_district", severity: .warning, layer: "zones", record: z.index, recordID: z.id,
                        problem:
                            "\(percent1(outsideShare)) of the \(noun) lies outside the district \(district.id) (more than \(percent1(s.zoneOutsideTolerance)))",
                        summary: "zones partly outside the district"))
            }
        }
        let subdistricts = zones.filter { $0.kind == .subdistrict }
        let index = SpatialIndex(subdistricts.map(\.geometry))
        for (i, a) in subdistricts.enumerated() {
            for j in try index.query(a.geometry) where j > i {
                let b = subdistricts[j]
                let overlap = try a.geometry.intersection(b.geometry).planarArea
                let smaller = min(a.geometry.planarArea, b.geometry.planarArea)
                if smaller > 0, overlap / smaller > s.zoneOverlapTolerance {
                    found.append(
                        Finding(
                            rule: "zone.subdistricts_overlap", severity: .warning, layer: "zones", record: b.index, recordID: b.id,
                            problem:
                                "sub-districts \(a.id) and \(b.id) overlap by \(formatArea(overlap)) m² (\(percent1(overlap / smaller)) of the smaller; they should tile the district)",
                            summary: "sub-districts that overlap another"))
                }
            }
        }
        return found
    }

    /// Two parcels with the same footprint (error: the land would count twice).
    public static func parcels(_ parcels: [Parcel], _ s: PlausibilitySettings) throws -> [Finding] {
        let index = SpatialIndex(parcels.map(\.geometry))
        let bounds = try ParallelMap.map(parcels.indices, chunk: 8_192) { parcels[$0].geometry.bounds }
        // Each parcel against the later ones, on all cores; the findings in parcel order.
        return try ParallelMap.map(parcels.indices, chunk: 1_024) { i -> [Finding] in
            let a = parcels[i]
            guard a.landAreaM2 > 0, let boxA = bounds[i] else { return [] }
            var found: [Finding] = []
            for j in index.candidates(intersecting: boxA) where j > i {
                let b = parcels[j]
                // Neighbours only touch: their boxes overlap by too little for the same footprint, and
                // no intersection is computed (the overlap is at most the boxes' common area).
                guard b.landAreaM2 > 0, let boxB = bounds[j] else { continue }
                let common =
                    max(0, min(boxA.maxX, boxB.maxX) - max(boxA.minX, boxB.minX)) * max(0, min(boxA.maxY, boxB.maxY) - max(boxA.minY, boxB.minY))
                guard common >= s.duplicateFootprintShare * max(a.landAreaM2, b.landAreaM2) else { continue }
                let overlap = try a.geometry.intersection(b.geometry).planarArea
                if overlap / max(a.landAreaM2, b.landAreaM2) >= s.duplicateFootprintShare {
                    found.append(
                        Finding(
                            rule: "parcel.duplicate_footprint", severity: .error, layer: "parcels", record: b.index, recordID: b.id,
                            problem: "has the same footprint as parcel \(a.id) (record \(a.index)): its land would count twice",
                            summary: "parcels with the footprint of another"))
                }
            }
            return found
        }.flatMap { $0 }
    }

    /// Whether the zones and the parcels line up only once one of them is shifted by the
    /// GCJ-02 offset: one layer declared GCJ-02 (or BD-09) that is not, or the other way round.
    /// `shift` is the GCJ-02 offset at the district, in working-CRS metres (WGS84 → GCJ-02).
    /// An error when a layer is declared in a Chinese web-map CRS (its declaration is then
    /// what is wrong), a warning otherwise.
    public static func alignment(
        district: Zone, parcels: [Parcel], shift: Coordinate, zonesCRS: CRSCode, parcelsCRS: CRSCode, _ s: PlausibilitySettings
    ) throws -> Finding? {
        guard !parcels.isEmpty else { return nil }
        // Each parcel by the centre of its bounds: enough to count how many lie outside, and cheap.
        let points = parcels.compactMap { $0.geometry.bounds.map { Coordinate(($0.minX + $0.maxX) / 2, ($0.minY + $0.maxY) / 2) } }
        guard !points.isEmpty else { return nil }
        let outline = try PreparedGeometry(district.geometry)
        func outsideShare(_ dx: Double, _ dy: Double) throws -> Double {
            var outside = 0
            for p in points where !(try outline.covers(try Geometry.point(p.x + dx, p.y + dy, crs: district.geometry.crs))) { outside += 1 }
            return Double(outside) / Double(points.count)
        }
        let asDeclared = try outsideShare(0, 0)
        guard asDeclared > s.alignmentOutsideShare else { return nil }
        let plus = try outsideShare(shift.x, shift.y), minus = try outsideShare(-shift.x, -shift.y)
        let better = min(plus, minus)
        guard better <= asDeclared * s.alignmentImprovement else { return nil }
        let chinese = zonesCRS.isChineseWebMap || parcelsCRS.isChineseWebMap
        let metres = formatFixed((shift.x * shift.x + shift.y * shift.y).squareRoot(), 0)
        return Finding(
            rule: "layers.offset_mismatch", severity: chinese ? .error : .warning, layer: "zones", record: nil, recordID: nil,
            problem:
                "the zones (declared \(zonesCRS)) and the parcels (declared \(parcelsCRS)) do not line up: \(percent1(asDeclared)) of parcels lie outside the district as declared, \(percent1(better)) once one layer is moved by the GCJ-02 shift (\(metres) m); one layer looks converted from GCJ-02 and the other not: is a crs in layers.json wrong?",
            summary: "zone and parcel layers apart by the GCJ-02 shift")
    }

    private static func percent1(_ share: Double) -> String { "\(formatFixed(share * 100, 1)) %" }
}

/// The thresholds of the plausibility rules (`policy.json`, `plausibility`): each with its
/// source or marked an assumption there.
public struct PlausibilitySettings: Sendable, Codable, Equatable {
    /// Floors above ground of the tallest building in Shenzhen, and its height.
    public let maxFloors: Int
    public let maxHeightM: Double
    public let tallestBuilding: String
    /// Recorded floor area above this × footprint × floors is reported.
    public let maxFloorAreaRatio: Double
    /// Carrier areas may exceed their buildings' floor area by this share (measurement differences).
    public let carrierFloorAreaTolerance: Double
    /// A firm's floor area may exceed its building's by this share before it is reported.
    public let firmFloorAreaTolerance: Double
    /// A sub-district or cluster may lie outside the district by this share of its area.
    public let zoneOutsideTolerance: Double
    /// Sub-districts may overlap by this share of the smaller one.
    public let zoneOverlapTolerance: Double
    /// Two parcels overlapping by this share of the larger are the same footprint.
    public let duplicateFootprintShare: Double
    /// Alignment: the share of parcels outside the district above which a shift is tried, and
    /// the factor by which the shift must reduce it to be reported.
    public let alignmentOutsideShare: Double
    public let alignmentImprovement: Double

    public init(
        maxFloors: Int, maxHeightM: Double, tallestBuilding: String, maxFloorAreaRatio: Double, carrierFloorAreaTolerance: Double,
        firmFloorAreaTolerance: Double, zoneOutsideTolerance: Double, zoneOverlapTolerance: Double, duplicateFootprintShare: Double,
        alignmentOutsideShare: Double, alignmentImprovement: Double
    ) {
        self.maxFloors = maxFloors; self.maxHeightM = maxHeightM; self.tallestBuilding = tallestBuilding
        self.maxFloorAreaRatio = maxFloorAreaRatio; self.carrierFloorAreaTolerance = carrierFloorAreaTolerance
        self.firmFloorAreaTolerance = firmFloorAreaTolerance; self.zoneOutsideTolerance = zoneOutsideTolerance
        self.zoneOverlapTolerance = zoneOverlapTolerance; self.duplicateFootprintShare = duplicateFootprintShare
        self.alignmentOutsideShare = alignmentOutsideShare; self.alignmentImprovement = alignmentImprovement
    }
}

/// policy.json's `plausibility` section as written.
struct PlausibilityEntries: Decodable {
    let tallestBuilding: ConfigEntry<String>
    let maxFloors: ConfigEntry<Config.Count>
    let maxHeight: ConfigEntry<Config.Positive>
    let maxFloorAreaRatio: ConfigEntry<Config.Positive>
    let carrierTolerance: ConfigEntry<Config.NonNegative>
    let firmTolerance: ConfigEntry<Config.NonNegative>
    let zoneOutside: ConfigEntry<Config.Share>
    let zoneOverlap: ConfigEntry<Config.Share>
    let duplicateFootprint: ConfigEntry<Config.Share>
    let alignmentOutside: ConfigEntry<Config.Share>
    let alignmentImprovement: ConfigEntry<Config.Share>

    enum CodingKeys: String, CodingKey {
        case tallestBuilding = "tallest_building"
        case maxFloors = "max_floors"
        case maxHeight = "max_height_m"
        case maxFloorAreaRatio = "max_floor_area_to_footprint_floors"
        case carrierTolerance = "carrier_floor_area_tolerance"
        case firmTolerance = "firm_floor_area_tolerance"
        case zoneOutside = "zone_outside_district_tolerance"
        case zoneOverlap = "subdistrict_overlap_tolerance"
        case duplicateFootprint = "duplicate_footprint_share"
        case alignmentOutside = "alignment_outside_share"
        case alignmentImprovement = "alignment_improvement"
    }

    var settings: PlausibilitySettings {
        PlausibilitySettings(
            maxFloors: maxFloors.value.value, maxHeightM: maxHeight.value.value, tallestBuilding: tallestBuilding.value,
            maxFloorAreaRatio: maxFloorAreaRatio.value.value, carrierFloorAreaTolerance: carrierTolerance.value.value,
            firmFloorAreaTolerance: firmTolerance.value.value, zoneOutsideTolerance: zoneOutside.value.value,
            zoneOverlapTolerance: zoneOverlap.value.value, duplicateFootprintShare: duplicateFootprint.value.value,
            alignmentOutsideShare: alignmentOutside.value.value, alignmentImprovement: alignmentImprovement.value.value)
    }
}
