import SpaceCore
import SpaceData
import SpaceGeometry

/// The industrial-space map (产业空间地图): every layer joined, and the figures per zone.
public struct SpaceMap: Sendable {
    public let data: DistrictData
    /// Per building: its parcel by largest overlap.
    public let buildingParcel: [BuildingParcelMatch]
    /// Per building, parcel, firm and carrier: indices of the zones it belongs to.
    public let buildingZones: [[Int]]
    public let parcelZones: [[Int]]
    public let enterpriseBuilding: [EnterpriseBuildingMatch]
    public let enterpriseZones: [[Int]]
    public let carrierBuildings: [[Int]]
    public let carrierZones: [[Int]]
    /// Per zone (same order as `data.zones`), and for the whole district.
    public let zoneTallies: [SpaceTally]
    public let total: SpaceTally
    public let progress: [TargetProgress]
    /// The data report plus what the joins found (spans, ties, unmatched firms…).
    public let report: ValidationReport
    /// The tallies of parcels, buildings, carriers and firms apart, merged in that order into
    /// `zoneTallies` and `total`: an edit of carriers sums their part again and merges anew.
    let parts: [(zones: [SpaceTally], total: SpaceTally)]
    /// The joins the map was made from (their arrays shared with the properties above), for a store to keep.
    public let joins: Joins

    /// Builds the map. `progress` hears each stage's name.
    public static func build(_ data: DistrictData, progress stage: (String) -> Void = { _ in }) throws -> SpaceMap {
        try assemble(data, joins: try joins(data, progress: stage), progress: stage)
    }

    /// What the joins found, kept apart so that a store can keep them and a later read of the
    /// same district can skip them (`assemble`): per building its parcel and zones, per parcel
    /// its zones, per firm its building and zones, and the doubt about the firms' CRS.
    public struct Joins: Sendable {
        public var buildingParcel: [BuildingParcelMatch]
        public var buildingZones: [[Int]]
        public var parcelZones: [[Int]]
        public var enterpriseBuilding: [EnterpriseBuildingMatch]
        public var enterpriseZones: [[Int]]
        public var firmCRSDoubt: String?

        /// Whether they are joins of a district of this size (else they are another's).
        public func fit(_ data: DistrictData) -> Bool {
            buildingParcel.count == data.buildings.count && buildingZones.count == data.buildings.count
                && parcelZones.count == data.parcels.count && enterpriseBuilding.count == data.enterprises.count
                && enterpriseZones.count == data.enterprises.count
        }
    }

    /// The joins of every layer: the geometric work of the map.
    public static func joins(_ data: DistrictData, progress stage: (String) -> Void = { _ in }) throws -> Joins {
        let policy = data.policy
        stage("joining buildings to parcels")
        let buildingIndex = SpatialIndex(data.buildings.map(\.geometry))
        let buildingParcel = try BuildingParcelJoin.match(buildings: data.buildings, parcels: data.parcels, buildingIndex: buildingIndex)
        stage("placing parcels and buildings in zones")
        let membership = ZoneMembership(zones: data.zones)
        let buildingZones = try membership.zones(of: data.buildings.map(\.geometry))
        let parcelZones = try membership.zones(of: data.parcels.map(\.geometry))
        stage("matching enterprises to buildings")
        let enterpriseBuilding = try EnterpriseBuildingJoin.match(
            enterprises: data.enterprises, buildings: data.buildings, byID: buildingIndexByID(data), index: buildingIndex,
            maxDistanceM: policy.enterpriseMatchMaxDistanceM, crs: policy.workingCRS)
        let doubt = try FirmCRSCheck.check(data, matches: enterpriseBuilding, index: buildingIndex)
        // A firm is in its building's zones; only a firm in no building is placed by its own point.
        let unplaced = enterpriseBuilding.indices.filter { enterpriseBuilding[$0].building == nil }
        let unplacedZones = try membership.zones(ofPoints: unplaced.map { data.enterprises[$0].location }, crs: policy.workingCRS)
        var enterpriseZones = enterpriseBuilding.map { match in match.building.map { buildingZones[$0] } ?? [] }
        for (k, e) in unplaced.enumerated() { enterpriseZones[e] = unplacedZones[k] }
        return Joins(
            buildingParcel: buildingParcel, buildingZones: buildingZones, parcelZones: parcelZones,
            enterpriseBuilding: enterpriseBuilding, enterpriseZones: enterpriseZones, firmCRSDoubt: doubt)
    }

    static func buildingIndexByID(_ data: DistrictData) -> IDIndex { IDIndex(data.buildings.map(\.id)) }

    /// The map from its joins: what they found reported, the carriers placed, every zone summed.
    /// `sums`: the parcels', buildings' and firms' sums a store kept for this district (when they
    /// fit it), so that only the carriers are summed.
    public static func assemble(_ data: DistrictData, joins: Joins, sums: KeptSums? = nil, progress stage: (String) -> Void = { _ in }) throws -> SpaceMap {
        let policy = data.policy
        var report = data.report
        let buildingParcel = joins.buildingParcel, buildingZones = joins.buildingZones, parcelZones = joins.parcelZones
        let enterpriseBuilding = joins.enterpriseBuilding, enterpriseZones = joins.enterpriseZones
        noteBuildingParcelFindings(buildingParcel, data: data, into: &report)

        // Several district outlines are a slip (a sub-district marked district): the first is used; say so.
        let districts = data.zones.filter { $0.kind == .district }
        if districts.count > 1 {
            report.add(
                .warning, layer: "zones", file: data.manifest.path(of: "zones"), record: districts[1].index, id: districts[1].id,
                "\(districts.count) zones are of kind district (\(districts.map(\.id).joined(separator: ", "))): only the first, \(districts[0].id), is the district outline"
            )
        }

        stage("checking the firms in their buildings")
        let enterpriseFile = data.manifest.path(of: "enterprises")
        for (e, match) in enterpriseBuilding.enumerated() where match.method == .unmatched {
            let firm = data.enterprises[e]
            report.add(.unmatched, layer: "enterprises", file: enterpriseFile, record: firm.index, id: firm.id, match.reason ?? "unmatched")
        }
        for finding in try Plausibility.firms(
            data.enterprises, buildingOf: enterpriseBuilding.map(\.building), buildings: data.buildings, policy.plausibility)
        {
            report.add(finding, file: enterpriseFile)
        }
        if let doubt = joins.firmCRSDoubt {
            report.add(.warning, layer: "enterprises", file: enterpriseFile, record: nil, id: nil, doubt)
        }

        stage("placing carriers")
        let buildingByID = buildingIndexByID(data)
        let carrierFile = data.manifest.path(of: "carriers")
        let carrierBuildings: [[Int]] = data.carriers.map { carrier in
            carrier.buildingIDs.compactMap { id in
                if let b = buildingByID[id] { return b }
                report.add(
                    .unmatched, layer: "carriers", file: carrierFile, record: carrier.index, id: carrier.id,
                    "building \(id) is not in the buildings layer")
                return nil
            }
        }
        // A carrier counts in the zones of its first building found, so no zone counts it twice.
        let carrierZones = carrierBuildings.map { $0.first.map { buildingZones[$0] } ?? [] }

        let n = data.zones.count
        let kept = sums.flatMap { $0.fits(data) ? $0 : nil }
        stage(kept == nil ? "summing per zone" : "summing the carriers per zone (the store keeps the other sums)")
        let summed = try kept ?? KeptSums(summing: data, joins: joins)
        let carriers = try SpaceTally.tally(data.carriers, zones: carrierZones, zoneCount: n) { $0.add($1, policy: policy) }
        let parts = [summed.parcels.summed, summed.buildings.summed, carriers, summed.firms.summed]
        let (tallies, total) = merged(parts, zoneCount: n)
        let progress = policy.milestones.map { TargetProgress(year: $0.year, targetM2: $0.floorAreaM2, stockM2: total.techSpaceM2) }
        return SpaceMap(
            data: data, buildingParcel: buildingParcel, buildingZones: buildingZones, parcelZones: parcelZones,
            enterpriseBuilding: enterpriseBuilding, enterpriseZones: enterpriseZones,
            carrierBuildings: carrierBuildings, carrierZones: carrierZones,
            zoneTallies: tallies, total: total, progress: progress, report: report, parts: parts, joins: joins)
    }


    static func merged(_ parts: [(zones: [SpaceTally], total: SpaceTally)], zoneCount n: Int) -> ([SpaceTally], SpaceTally) {
        var tallies = [SpaceTally](repeating: SpaceTally(), count: n)
        var total = SpaceTally()
        for part in parts {
            total.merge(part.total)
            for z in 0..<n { tallies[z].merge(part.zones[z]) }
        }
        return (tallies, total)
    }

    /// The map after an edit of carriers' figures (capacity, vacancy, rent, status) that keeps
    /// every carrier in its buildings: the joins stay as they are, only the carriers' part of the
    /// tallies is summed again. Nil when the edit moved, added or removed a carrier: then the
    /// map is built again. The figures are those a full build gives, to the last bit (the parts
    /// are merged in the same order); the report stays that of the last full build.
    public func updatingCarriers(_ carriers: [Carrier]) throws -> SpaceMap? {
        guard carriers.count == data.carriers.count,
            zip(carriers, data.carriers).allSatisfy({ $0.id == $1.id && $0.buildingIDs == $1.buildingIDs })
        else { return nil }
        let d = data
        let next = DistrictData(
            manifest: d.manifest, policy: d.policy, zones: d.zones, parcels: d.parcels, buildings: d.buildings, carriers: carriers,
            enterprises: d.enterprises, roads: d.roads, report: d.report)
        var parts = self.parts
        parts[2] = try SpaceTally.tally(carriers, zones: carrierZones, zoneCount: d.zones.count) { $0.add($1, policy: d.policy) }
        let (tallies, total) = Self.merged(parts, zoneCount: d.zones.count)
        let progress = d.policy.milestones.map { TargetProgress(year: $0.year, targetM2: $0.floorAreaM2, stockM2: total.techSpaceM2) }
        return SpaceMap(
            data: next, buildingParcel: buildingParcel, buildingZones: buildingZones, parcelZones: parcelZones,
            enterpriseBuilding: enterpriseBuilding, enterpriseZones: enterpriseZones, carrierBuildings: carrierBuildings,
            carrierZones: carrierZones, zoneTallies: tallies, total: total, progress: progress, report: report, parts: parts, joins: joins)
    }

    /// The carriers' part of the zone and district figures for carriers as they stood at another
    /// time, in this map's buildings: each counts in the zones of its first building found, as
    /// `assemble` counts it, and the sums are made in the same order (so a past day's figures are
    /// those of a snapshot of that day, to the bit).
    public func carrierTallies(_ carriers: [Carrier], buildingIndex: IDIndex) throws -> (zones: [SpaceTally], total: SpaceTally) {
        let zones = carriers.map { c in c.buildingIDs.lazy.compactMap { buildingIndex[$0] }.first.map { buildingZones[$0] } ?? [] }
        return try SpaceTally.tally(carriers, zones: zones, zoneCount: data.zones.count) { $0.add($1, policy: data.policy) }
    }

    /// Each building's place in the layer, by id.
    public var buildingIndex: IDIndex { Self.buildingIndexByID(data) }

    private static func noteBuildingParcelFindings(_ matches: [BuildingParcelMatch], data: DistrictData, into report: inout ValidationReport) {
        let file = data.manifest.path(of: "buildings")
        for (b, match) in matches.enumerated() {
            let building = data.buildings[b]
            if match.parcel == nil {
                report.add(.unmatched, layer: "buildings", file: file, record: building.index, id: building.id, "overlaps no parcel")
                continue
            }
            if let tie = match.tiedWith {
                report.add(
                    .warning, layer: "buildings", file: file, record: building.index, id: building.id,
                    "overlaps parcels \(data.parcels[match.parcel!].id) and \(data.parcels[tie].id) equally; took \(data.parcels[match.parcel!].id)")
            } else if match.parcelsSpanned > 1 {
                report.add(
                    .warning, layer: "buildings", file: file, record: building.index, id: building.id,
                    "spans \(match.parcelsSpanned) parcels; assigned to \(data.parcels[match.parcel!].id) (\(formatFixed(match.overlapM2 / building.footprintM2 * 100, 1)) % of its footprint)"
                )
            }
        }
    }
}

extension SpaceMap {
    /// Tech-cultivation floor area per building: each carrier's area shared evenly over its buildings.
    public var techSpaceByBuilding: [Double] {
        var tech = [Double](repeating: 0, count: data.buildings.count)
        for (c, buildings) in carrierBuildings.enumerated() where !buildings.isEmpty {
            for b in buildings { tech[b] += data.carriers[c].floorAreaM2 / Double(buildings.count) }
        }
        return tech
    }

    /// The firms matched to each building.
    public var firmsByBuilding: [[Int]] {
        var firms = [[Int]](repeating: [], count: data.buildings.count)
        for (f, match) in enterpriseBuilding.enumerated() { if let b = match.building { firms[b].append(f) } }
        return firms
    }
}
