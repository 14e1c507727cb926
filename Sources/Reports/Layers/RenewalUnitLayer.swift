import SpaceCore
import SpaceData
import Renewal

extension RenewalEvaluation {
    /// The units of the evaluated proposals as a published layer: rank, checks, net
    /// tech-cultivation space, firms displaced.
    public func unitLayer(workingCRS: CRSCode) -> PublishedLayer {
        let units = proposals.flatMap { p in p.units.map { (p, $0) } }
        return PublishedLayer(
            id: "renewal-units", title: "Renewal units 城市更新单元",
            description:
                "The units of the renewal proposals shipped beside the data (proposals.geojson), evaluated against the space map: rank, checks, net tech-cultivation space, firms displaced.",
            geometry: .multiPolygon, geometryNote: "the unit's boundary as proposed",
            fields: [
                LayerField("id", .text, "the unit's id"), LayerField("name", .text, "its name"),
                LayerField("proposal_id", .text, "the proposal it belongs to"), LayerField("proposal_name", .text, "that proposal's name"),
                LayerField("rank", .integer, "the proposal's rank among those evaluated"),
                LayerField("mode", .text, "how it is renewed (demolition and rebuilding, comprehensive improvement, …)"),
                LayerField("land_use", .text, "the land use proposed"), LayerField("land_area_m2", .real, unit: "m²", "the unit's land area"),
                LayerField("passes_all_checks", .boolean, "whether its proposal passes every policy check"),
                LayerField("failed_checks", .text, "the rules the unit fails, ';'-separated"),
                LayerField("net_tech_m2", .real, unit: "m²", "tech-cultivation space after less before"),
                LayerField("government_housing_m2", .real, unit: "m²", "industrial floor area handed to the government"),
                LayerField("far_after", .real, decimals: 3, "floor-area ratio after renewal"),
                LayerField("displaced_firms", .integer, "firms in the buildings it demolishes"),
            ],
            crs: workingCRS, count: units.count, featureID: { units[$0].1.unit.id }, shape: { units[$0].1.unit.geometry.shape }
        ) { k, values in
            let (p, u) = units[k]
            values += [
                .text(u.unit.id), .text(u.unit.name), .text(p.proposal.id), .text(p.proposal.name), .integer(p.rank),
                .text(u.unit.mode.rawValue), .text(u.unit.landUse), .real(u.unit.landAreaM2), .boolean(p.passes),
                .text(u.checks.filter { $0.outcome == .fail }.map(\.rule).joined(separator: ";")),
                .real(u.netTechM2), .real(u.governmentHousingM2), .real(u.farAfter), .integer(u.displacedFirms.count),
            ]
        }
    }
}
