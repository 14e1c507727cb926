import Cartography
import Foundation
import Renewal
import SpaceCore
import SpaceData
import SpaceGeometry
import SpaceMap

/// An evaluation's files: renewal.json, renewal.md, validation of the proposal file, and a
/// before and an after map of every unit.
public enum RenewalFiles {
    public static func artifacts(_ e: RenewalEvaluation, map: SpaceMap, maps: Bool = true) throws -> [Artifact] {
        var files: [(String, String)] = []
        var mapFiles: [String: [String]] = [:]
        if maps {
            for p in e.proposals {
                for u in p.units {
                    let input = try mapInput(u, proposal: p, all: e, map: map)
                    let names = ["before", "after"].map { "maps/\(safeFileName(u.unit.id))-\($0).svg" }
                    files.append((names[0], UnitMap.render(input.before, stage: .before)))
                    files.append((names[1], UnitMap.render(input.after, stage: .after)))
                    mapFiles[u.unit.id] = names
                }
            }
        }
        files.insert(
            contentsOf: [
                ("renewal.json", RenewalReport.json(e, map: map)),
                ("renewal.md", RenewalReport.markdown(e, map: map, mapFiles: mapFiles)),
                ("validation.json", ValidationFormats.json(e.report)),
                ("validation.txt", ValidationFormats.text(e.report)),
            ], at: 0)
        return files.map { Artifact($0.0, text: $0.1) }
    }

    static func safeFileName(_ id: String) -> String {
        String(id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }

    static func mapInput(_ u: UnitEvaluation, proposal p: ProposalEvaluation, all e: RenewalEvaluation, map: SpaceMap) throws -> (
        before: UnitMapInput, after: UnitMapInput
    ) {
        let data = map.data, policy = data.policy
        guard let bounds = u.unit.geometry.bounds else { throw DataError(file: u.unit.id, problem: "the unit has no extent") }
        let view = bounds.expanded(by: max(bounds.width, bounds.height) * 0.45 + 50)
        let viewGeometry = try Geometry(
            .polygon([
                [
                    Coordinate(x: view.minX, y: view.minY), Coordinate(x: view.maxX, y: view.minY),
                    Coordinate(x: view.maxX, y: view.maxY), Coordinate(x: view.minX, y: view.maxY),
                    Coordinate(x: view.minX, y: view.minY),
                ]
            ]), crs: policy.workingCRS)
        let crsLabel = workingCRSLabel(policy.workingCRS)
        let mode = e.rules.modes[u.unit.mode]!
        var before = UnitMapInput(
            title: "\(u.unit.id) \(u.unit.name)", subtitle: "\(p.proposal.name) · \(mode.label) · \(data.manifest.name)",
            crsLabel: crsLabel, synthetic: data.manifest.synthetic, unit: u.unit.geometry.shape, bounds: bounds)
        before.otherUnits = e.proposals.flatMap(\.units).filter { $0.unit.id != u.unit.id }
            .map(\.unit.geometry).filter { $0.bounds?.intersects(view) == true }.map(\.shape)
        before.parcels = try SpatialIndex(data.parcels.map(\.geometry)).query(viewGeometry).map {
            (data.parcels[$0].geometry.shape, Vocabulary.landUseClass(data.parcels[$0].landUse) ?? "E")
        }
        let inUnit = Set(u.footprint.buildings.map(\.building))
        let carriersIn = Set(map.carrierBuildings.flatMap { $0 })
        let nearby = try SpatialIndex(data.buildings.map(\.geometry)).query(viewGeometry)
        before.buildings = nearby.map { b in
            .init(
                shape: data.buildings[b].geometry.shape, use: data.buildings[b].use, state: inUnit.contains(b) ? .touched : .around,
                isCarrier: carriersIn.contains(b))
        }
        let displaced = Set(u.displacedFirms)
        let nearbySet = Set(nearby)
        before.firms = map.enterpriseBuilding.enumerated().compactMap { f, match -> (at: Coordinate, displaced: Bool)? in
            guard let b = match.building, nearbySet.contains(b) else { return nil }
            // Firms listed by building id have no point of their own: draw them at the building.
            guard let at = data.enterprises[f].location ?? (try? data.buildings[b].geometry.pointOnSurface())?.pointCoordinate else { return nil }
            return (at, displaced.contains(f))
        }
        before.figures = [
            "\(counted(u.footprint.buildings.count, "building")), \(grouped(u.before.total)) m² floor area (\(grouped(u.industrialBeforeM2)) m² industrial)",
            "tech-cultivation space: \(grouped(u.existingTechSpaceM2)) m²",
            "\(counted(u.displacedFirms.count, "firm")) displaced by the works",
            "land \(grouped(u.unit.landAreaM2)) m², FAR today \(formatFixed(u.before.total / max(u.unit.landAreaM2, 1), 2))",
        ]

        var after = before
        after.buildings = nearby.map { b in
            let building = data.buildings[b]
            guard inUnit.contains(b) else {
                return .init(shape: building.geometry.shape, use: building.use, state: .around, isCarrier: carriersIn.contains(b))
            }
            if mode.demolishes { return .init(shape: building.geometry.shape, use: building.use, state: .demolished, isCarrier: false) }
            return .init(shape: building.geometry.shape, use: u.unit.newUse ?? building.use, state: .kept, isCarrier: carriersIn.contains(b))
        }
        after.builtUse = u.built.total > 0 ? u.built.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key : nil
        after.carrierType = u.unit.carrier?.type.rawValue
        after.carrierAt = try u.unit.geometry.pointOnSurface().pointCoordinate
        let checks = u.checks.filter { $0.outcome != .notApplicable }
        after.figures = [
            "demolished \(grouped(u.demolished.total)) m², kept \(grouped(u.kept.total)) m², built \(grouped(u.built.total)) m²",
            "floor area after: \(grouped(u.after.total)) m² (FAR \(formatFixed(u.farAfter, 2))), industrial \(grouped(u.industrialAfterM2)) m²",
            "tech-cultivation space \(RenewalReport.signed(u.netTechM2)) m²"
                + (u.unit.carrier.map { " (\($0.type.rawValue), \(grouped(u.carrierFloorAreaM2)) m²)" } ?? ""),
            "government industrial housing \(grouped(u.governmentHousingM2)) m²",
            "checks: " + (checks.isEmpty ? "none apply" : checks.map { "\($0.rule) \($0.outcome.rawValue)" }.joined(separator: ", ")),
            "phases: " + u.unit.phases.map { "\($0.completionYear) \(percent($0.share))" }.joined(separator: ", "),
        ]
        return (before, after)
    }
}
