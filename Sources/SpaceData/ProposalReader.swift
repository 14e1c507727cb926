import Foundation
import SpaceCore
import SpaceGeometry

/// Reads a proposal file (GeoJSON, one feature per renewal unit; GIS/README.md documents it)
/// and checks every unit, listing all problems at once: unknown modes, uses or sectors, shares
/// over 100 %, phases before the data's year, units outside the district or overlapping.
/// Proposals are the planner's input like the layers, so they are read here, in the data layer.
public enum ProposalReader {
    public static func read(_ url: URL, district: Zone, workingCRS: CRSCode, asOfYear: Int) throws -> (
        proposals: [Proposal], report: ValidationReport
    ) {
        let file = url.path
        let (features, report) = try loadCheckedPolygons(url, layerName: "proposals", crs: nil, workingCRS: workingCRS)
        var errors: [DataError] = []
        var units: [RenewalUnit] = []
        for feature in features {
            var problems: [String] = []
            if let unit = unit(feature, asOfYear: asOfYear, problems: &problems) { units.append(unit) }
            errors += problems.map { DataError(file: file, record: feature.index, recordID: feature.id, problem: $0) }
        }
        // Every unit's land, those with other problems too: one run reports every overlap.
        errors += try placementProblems(features, district: district, file: file)
        if !errors.isEmpty { throw DataErrors(errors: errors.inRecordOrder()) }

        var order: [String] = []
        var byProposal: [String: [RenewalUnit]] = [:]
        var names: [String: String] = [:]
        for (unit, feature) in zip(units, features) {
            if byProposal[unit.proposalID] == nil { order.append(unit.proposalID) }
            byProposal[unit.proposalID, default: []].append(unit)
            if names[unit.proposalID] == nil { names[unit.proposalID] = feature.properties["proposal_name"]?.stringValue }
        }
        let proposals = order.map { Proposal(id: $0, name: names[$0] ?? byProposal[$0]!.first!.name, units: byProposal[$0]!) }
        return (proposals, report)
    }

    // MARK: One unit

    static func unit(_ feature: CheckedFeature, asOfYear: Int, problems: inout [String]) -> RenewalUnit? {
        let p = feature.properties
        func text(_ key: String) -> String? { p[key]?.stringValue?.trimmingCharacters(in: .whitespaces).nilIfEmpty }
        /// A number of the unit keeping `rule` (checked before any conversion), or nil with the problem noted.
        func number(_ value: JSONValue?, _ what: String, _ rule: NumberRule) -> Double? {
            guard let value else { return nil }
            guard let n = value.numberValue else { problems.append("\(what) must be a number, found \(describeFound(value))"); return nil }
            if let problem = rule.problem(what, n) { problems.append(problem); return nil }
            return n
        }
        func share(_ value: JSONValue?, _ what: String) -> Double? {
            // Over 100 % is worded as a share: the planner wrote a fraction of the unit.
            if let n = value?.numberValue, n.isFinite, n > 1 { problems.append("\(what) is \(formatFixed(n * 100, 1)) %, over 100 %"); return nil }
            return number(value, what, .share)
        }
        func year(_ value: JSONValue?, _ what: String) -> Int? {
            guard let value else { problems.append("\(what) is missing: a unit needs a year"); return nil }
            guard let year = number(value, what, .year).flatMap(NumberRule.year.integer) else { return nil }
            if year < asOfYear { problems.append("\(what) \(year) is in the past: the data describe \(asOfYear)") }
            return year
        }
        func useAreas(_ value: JSONValue?, _ what: String) -> [String: Double] {
            var out: [String: Double] = [:]
            guard let object = value?.objectValue else { problems.append("\(what) must be an object of use → number"); return out }
            for (use, v) in object.members {
                if !Vocabulary.buildingUses.contains(use) {
                    problems.append("\(what): unknown use \"\(use)\" (known: \(Vocabulary.buildingUses.sorted().joined(separator: ", ")))")
                }
                if let n = number(v, "\(what).\(use)", .quantity) { out[use] = n }
            }
            return out
        }

        guard let modeText = text("mode"), let mode = RenewalMode(rawValue: modeText) else {
            problems.append("mode must be one of \(RenewalMode.allCases.map(\.rawValue).joined(separator: ", ")) (got \(text("mode") ?? "nothing"))")
            return nil
        }
        let landUse = text("land_use") ?? ""
        if Vocabulary.landUseClass(landUse) == nil { problems.append("land_use \"\(landUse)\" is not a land-use code (M0, M1, W1, C1, R2, GIC…)") }

        var built = ProposedFloorArea.none
        if let far = p["far"] {
            guard let value = number(far, "far", .positive) else { return nil }
            let shares = useAreas(p["use_shares"] ?? .object(JSONObject([("industrial", .number(1))])), "use_shares")
            let total = shares.values.reduce(0, +)
            if total > 1 + 1e-9 {
                problems.append("use_shares add to \(formatFixed(total * 100, 1)) %, over 100 %")
            } else if total < 1 - 1e-9 {
                problems.append("use_shares add to \(formatFixed(total * 100, 1)) %, not 100 %")
            }
            built = .far(value, useShares: shares)
            if mode != .demolitionRebuild {
                problems.append("far applies to a demolition and rebuild; give floor_area_m2 for what a \(mode.rawValue) adds")
            }
            if p["floor_area_m2"] != nil { problems.append("give far (with use_shares) or floor_area_m2, not both") }
        } else if p["floor_area_m2"] != nil {
            built = .byUse(useAreas(p["floor_area_m2"], "floor_area_m2"))
        } else if mode == .demolitionRebuild {
            problems.append("a demolition and rebuild needs far (with use_shares) or floor_area_m2 for what is built")
        }

        let newUse = text("new_use")
        if let newUse, !Vocabulary.buildingUses.contains(newUse) { problems.append("new_use \"\(newUse)\" is not a building use") }
        if newUse != nil, mode == .demolitionRebuild { problems.append("new_use applies to kept buildings; a demolition and rebuild keeps none") }

        var carrier: ProposedCarrier?
        if let c = p["carrier"], !c.isNull {
            if let typeText = c["type"]?.stringValue, let type = CarrierType(rawValue: typeText) {
                var area: Double?
                area = number(c["floor_area_m2"], "carrier.floor_area_m2", .positive)
                carrier = ProposedCarrier(type: type, name: c["name"]?.stringValue ?? feature.id, floorAreaM2: area)
            } else {
                problems.append("carrier.type must be one of \(CarrierType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        var sectors: [String] = []
        if let list = p["sectors"], !list.isNull {
            if let items = list.arrayValue, items.allSatisfy({ $0.stringValue != nil }) {
                sectors = items.compactMap(\.stringValue)
            } else {
                problems.append("sectors must be a list of sector codes, found \(describeFound(list))")
            }
        }
        for s in sectors where !Vocabulary.sectors.contains(s) {
            problems.append("unknown sector \"\(s)\" (known: \(Vocabulary.sectors.joined(separator: ", ")))")
        }
        if carrier != nil, sectors.isEmpty { problems.append("a unit that becomes a carrier must list the sectors it will house (sectors)") }

        let startYear = year(p["start_year"], "start_year")
        var phases: [RenewalPhase] = []
        let found = problems.count
        if let value = p["phases"] {
            if let list = value.arrayValue, !list.isEmpty {
                for (k, phase) in list.enumerated() {
                    if phase["share"] == nil, list.count > 1 {
                        problems.append("phases[\(k)].share is missing: each of several phases gives its share")
                    }
                    let s = share(phase["share"] ?? .number(list.count == 1 ? 1 : 0), "phases[\(k)].share") ?? 0
                    guard let y = year(phase["completion_year"], "phases[\(k)].completion_year") else { continue }
                    phases.append(RenewalPhase(name: phase["name"]?.stringValue ?? "phase \(k + 1)", completionYear: y, share: s))
                }
                // Shares are added up only when every phase could be read: else the sum says nothing new.
                let total = phases.map(\.share).reduce(0, +)
                if problems.count == found, abs(total - 1) > 1e-9 {
                    problems.append("phase shares add to \(formatFixed(total * 100, 1)) %, \(total > 1 ? "over" : "not") 100 %")
                }
            } else {
                problems.append("phases must be a non-empty list of phases (each with completion_year and share), found \(describeFound(value))")
            }
        } else if p["completion_year"] != nil {
            if let y = year(p["completion_year"], "completion_year") { phases = [RenewalPhase(name: "single phase", completionYear: y, share: 1)] }
        } else {
            problems.append("needs phases (each with completion_year and share) or a completion_year")
        }
        if let startYear, let early = phases.first(where: { $0.completionYear < startYear }) {
            problems.append("\(early.name) completes in \(early.completionYear), before the works start (\(startYear))")
        }
        let handover = share(p["handover_share"] ?? .number(0), "handover_share") ?? 0

        guard problems.isEmpty, let startYear else { return nil }
        return RenewalUnit(
            index: feature.index, id: feature.id, name: text("name") ?? feature.id,
            proposalID: text("proposal") ?? feature.id, mode: mode, landUse: landUse,
            geometry: feature.geometry, landAreaM2: feature.areaM2, built: built, newUse: newUse,
            handoverShare: handover, carrier: carrier, sectors: sectors, startYear: startYear,
            phases: phases.sorted { $0.completionYear < $1.completionYear })
    }

    // MARK: Where units lie

    /// Units must lie in the district and must not overlap one another (a building split
    /// between two units is fine; the same land in two units is not).
    static func placementProblems(_ units: [CheckedFeature], district: Zone, file: String) throws -> [DataError] {
        var errors: [DataError] = []
        let districtArea = try PreparedGeometry(district.geometry)
        for unit in units where !(try districtArea.covers(unit.geometry)) {
            let outside = try unit.geometry.difference(district.geometry).planarArea
            // Digitising along the boundary leaves slivers; only real land outside is an error.
            if outside > max(1, unit.areaM2 * 1e-4) {
                errors.append(
                    DataError(
                        file: file, record: unit.index, recordID: unit.id,
                        problem:
                            "the unit lies outside the district \(district.name): \(grouped(outside)) m² of its \(grouped(unit.areaM2)) m² are outside"
                    ))
            }
        }
        let index = SpatialIndex(units.map(\.geometry))
        for (i, unit) in units.enumerated() {
            for j in try index.query(unit.geometry) where j > i {
                let overlap = try unit.geometry.intersection(units[j].geometry).planarArea
                if overlap > 1 {
                    errors.append(
                        DataError(
                            file: file, record: unit.index, recordID: unit.id,
                            problem: "overlaps unit \(units[j].id) by \(grouped(overlap)) m²: the same land cannot be in two renewal units"))
                }
            }
        }
        return errors
    }
}

private extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
