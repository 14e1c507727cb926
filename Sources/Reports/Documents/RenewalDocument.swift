import Renewal
import SpaceCore
import SpaceData
import SpaceMap

/// renewal.json: every proposal's figures, checks and rank. The command line writes it; the
/// server answers with it.
public struct RenewalDocument: Codable, Equatable, Sendable {
    public var data: String
    public var synthetic: Bool
    public var asOfYear: Int
    public var rules: String
    public var scoring: Scoring
    /// Proposal ids, best first.
    public var ranking: [String]
    public var allProposals: AllProposals
    public var proposals: [Proposal]

    enum CodingKeys: String, CodingKey {
        case data, synthetic, asOfYear = "as_of_year", rules, scoring, ranking, allProposals = "all_proposals", proposals
    }

    public struct Scoring: Codable, Equatable, Sendable {
        public var formula: String
        public var targetYear: Int
        public var techSpaceWeight: Double
        public var governmentHousingWeight: Double
        public var displacementFloorM2: Double
        public var noncompliantLast: Bool
        enum CodingKeys: String, CodingKey {
            case formula, targetYear = "target_year", techSpaceWeight = "tech_space_weight", governmentHousingWeight = "government_housing_weight"
            case displacementFloorM2 = "displacement_floor_m2", noncompliantLast = "noncompliant_last"
        }
    }

    public struct AllProposals: Codable, Equatable, Sendable {
        public var techStockM2: Double
        public var displacedFirms: Int
        public var timeline: [YearFigures]
        enum CodingKeys: String, CodingKey { case techStockM2 = "tech_stock_m2", displacedFirms = "displaced_firms", timeline }
    }

    /// What one year of the works adds and takes away.
    public struct YearFigures: Codable, Equatable, Sendable {
        public var year: Int
        public var techAddedM2: Double
        public var techLostM2: Double
        public var industrialAddedM2: Double
        public var industrialLostM2: Double
        public var governmentHousingM2: Double
        enum CodingKeys: String, CodingKey {
            case year, techAddedM2 = "tech_added_m2", techLostM2 = "tech_lost_m2", industrialAddedM2 = "industrial_added_m2"
            case industrialLostM2 = "industrial_lost_m2", governmentHousingM2 = "government_housing_m2"
        }
    }

    public struct Proposal: Codable, Equatable, Sendable {
        public var id: String
        public var name: String
        public var rank: Int
        public var score: Double
        public var passesAllChecks: Bool
        public var netTechByTargetYearM2: Double
        public var governmentHousingByTargetYearM2: Double
        public var displaced: Displaced
        public var timeline: [YearFigures]
        public var units: [Unit]
        enum CodingKeys: String, CodingKey {
            case id, name, rank, score, passesAllChecks = "passes_all_checks", netTechByTargetYearM2 = "net_tech_by_target_year_m2"
            case governmentHousingByTargetYearM2 = "government_housing_by_target_year_m2", displaced, timeline, units
        }
    }

    public struct Displaced: Codable, Equatable, Sendable {
        public var firms: Int
        public var floorAreaM2: Double
        public var employees: Int
        public var bySector: [Sector]
        public var nearbyCarriers: [String]
        public var nearbyVacantTechSpaceM2: Double
        public var rehousedFirms: Int
        public var rehousedM2: Double
        public var canRehouseAll: Bool
        public var firmIDs: [String]
        enum CodingKeys: String, CodingKey {
            case firms, floorAreaM2 = "floor_area_m2", employees, bySector = "by_sector", nearbyCarriers = "nearby_carriers"
            case nearbyVacantTechSpaceM2 = "nearby_vacant_tech_space_m2", rehousedFirms = "rehoused_firms", rehousedM2 = "rehoused_m2"
            case canRehouseAll = "can_rehouse_all", firmIDs = "firm_ids"
        }
    }

    public struct Sector: Codable, Equatable, Sendable {
        public var sector: String
        public var firms: Int
        public var floorAreaM2: Double
        enum CodingKeys: String, CodingKey { case sector, firms, floorAreaM2 = "floor_area_m2" }
    }

    public struct Unit: Codable, Equatable, Sendable {
        public var id: String
        public var name: String
        public var mode: String
        public var landUse: String
        public var landAreaM2: Double
        public var densityZone: String
        public var zones: [String]
        public var startYear: Int
        public var phases: [Phase]
        public var parcels: [ParcelOverlap]
        public var buildings: [BuildingShare]
        /// Floor area by use: before, demolished, kept, built and after the works.
        public var floorAreaM2: OrderedMembers<OrderedMembers<Double>>
        public var industrialBeforeM2: Double
        public var industrialAfterM2: Double
        public var netIndustrialM2: Double
        public var farAfter: Double
        public var existingTechSpaceM2: Double
        public var carrier: Carrier?
        public var sectors: [String]
        public var techGainedM2: Double
        public var techLostM2: Double
        public var netTechM2: Double
        public var handoverShare: Double
        public var governmentHousingM2: Double
        public var firmsInUnit: Int
        public var displacedFirms: Int
        public var checks: [Check]
        public var timeline: [YearFigures]
        enum CodingKeys: String, CodingKey {
            case id, name, mode, landUse = "land_use", landAreaM2 = "land_area_m2", densityZone = "density_zone", zones
            case startYear = "start_year", phases, parcels, buildings, floorAreaM2 = "floor_area_m2"
            case industrialBeforeM2 = "industrial_before_m2", industrialAfterM2 = "industrial_after_m2", netIndustrialM2 = "net_industrial_m2"
            case farAfter = "far_after", existingTechSpaceM2 = "existing_tech_space_m2", carrier, sectors, techGainedM2 = "tech_gained_m2"
            case techLostM2 = "tech_lost_m2", netTechM2 = "net_tech_m2", handoverShare = "handover_share"
            case governmentHousingM2 = "government_housing_m2", firmsInUnit = "firms_in_unit", displacedFirms = "displaced_firms", checks, timeline
        }
    }

    public struct Phase: Codable, Equatable, Sendable {
        public var name: String
        public var completionYear: Int
        public var share: Double
        enum CodingKeys: String, CodingKey { case name, completionYear = "completion_year", share }
    }

    public struct ParcelOverlap: Codable, Equatable, Sendable {
        public var id: String
        public var overlapM2: Double
        enum CodingKeys: String, CodingKey { case id, overlapM2 = "overlap_m2" }
    }

    public struct BuildingShare: Codable, Equatable, Sendable {
        public var id: String
        public var use: String
        public var shareInUnit: Double
        public var gfaInUnitM2: Double
        public var firmsCountedHere: Bool
        enum CodingKeys: String, CodingKey {
            case id, use, shareInUnit = "share_in_unit", gfaInUnitM2 = "gfa_in_unit_m2", firmsCountedHere = "firms_counted_here"
        }
    }

    public struct Carrier: Codable, Equatable, Sendable {
        public var type: String
        public var name: String
        public var floorAreaM2: Double
        enum CodingKeys: String, CodingKey { case type, name, floorAreaM2 = "floor_area_m2" }
    }

    public struct Check: Codable, Equatable, Sendable {
        public var rule: String
        public var value: Double?
        public var limit: Double?
        public var outcome: String
        public var detail: String
        public var source: String
    }
}

extension RenewalDocument {
    public init(_ e: RenewalEvaluation, map: SpaceMap) {
        let data = map.data, r = e.rules.ranking
        self.data = data.manifest.name
        synthetic = data.manifest.synthetic
        asOfYear = e.asOfYear
        rules = e.rules.source
        scoring = Scoring(
            formula: RenewalReport.scoringFormula(r), targetYear: r.targetYear, techSpaceWeight: r.techSpaceWeight,
            governmentHousingWeight: r.governmentHousingWeight, displacementFloorM2: r.displacementFloorM2, noncompliantLast: r.noncompliantLast)
        ranking = e.ranking.map { e.proposals[$0].proposal.id }
        allProposals = AllProposals(
            techStockM2: m2(map.total.techSpaceM2), displacedFirms: e.displacedFirms.count, timeline: Self.timeline(e.timeline))
        proposals = e.proposals.map { Self.proposal($0, data) }
    }

    static func timeline(_ t: [YearChange]) -> [YearFigures] {
        t.map {
            YearFigures(
                year: $0.year, techAddedM2: m2($0.techAddedM2), techLostM2: m2($0.techLostM2), industrialAddedM2: m2($0.industrialAddedM2),
                industrialLostM2: m2($0.industrialLostM2), governmentHousingM2: m2($0.governmentHousingM2))
        }
    }

    static func proposal(_ p: ProposalEvaluation, _ data: DistrictData) -> Proposal {
        let d = p.displacement
        return Proposal(
            id: p.proposal.id, name: p.proposal.name, rank: p.rank, score: rounded(p.score, decimals: 4), passesAllChecks: p.passes,
            netTechByTargetYearM2: m2(p.netTechByTargetYearM2), governmentHousingByTargetYearM2: m2(p.governmentHousingByTargetYearM2),
            displaced: Displaced(
                firms: d.firms.count, floorAreaM2: m2(d.floorAreaM2), employees: d.employees,
                bySector: d.bySector.map { Sector(sector: $0.sector, firms: $0.firms, floorAreaM2: m2($0.floorAreaM2)) },
                nearbyCarriers: d.nearbyCarriers.map { data.carriers[$0].id }, nearbyVacantTechSpaceM2: m2(d.nearbyVacantM2),
                rehousedFirms: d.rehousedFirms, rehousedM2: m2(d.rehousedM2), canRehouseAll: d.canRehouseAll,
                firmIDs: d.firms.map { data.enterprises[$0].id }),
            timeline: timeline(p.timeline), units: p.units.map { unit($0, data) })
    }

    static func unit(_ u: UnitEvaluation, _ data: DistrictData) -> Unit {
        func byUse(_ d: FloorAreaByUse) -> OrderedMembers<Double> { OrderedMembers(sorted: d.mapValues(m2)) }
        return Unit(
            id: u.unit.id, name: u.unit.name, mode: u.unit.mode.rawValue, landUse: u.unit.landUse, landAreaM2: m2(u.unit.landAreaM2),
            densityZone: u.densityZone, zones: u.footprint.zoneIDs, startYear: u.unit.startYear,
            phases: u.unit.phases.map { Phase(name: $0.name, completionYear: $0.completionYear, share: $0.share) },
            parcels: u.footprint.parcels.map { ParcelOverlap(id: data.parcels[$0.parcel].id, overlapM2: m2($0.overlapM2)) },
            buildings: u.footprint.buildings.map { t in
                let b = data.buildings[t.building]
                return BuildingShare(
                    id: b.id, use: b.use, shareInUnit: rounded(t.share, decimals: 4), gfaInUnitM2: m2(b.gfaM2 * t.share), firmsCountedHere: t.isPrimary)
            },
            floorAreaM2: OrderedMembers([
                .init("before", byUse(u.before)), .init("demolished", byUse(u.demolished)), .init("kept", byUse(u.kept)),
                .init("built", byUse(u.built)), .init("after", byUse(u.after)),
            ]),
            industrialBeforeM2: m2(u.industrialBeforeM2), industrialAfterM2: m2(u.industrialAfterM2), netIndustrialM2: m2(u.netIndustrialM2),
            farAfter: rounded(u.farAfter, decimals: 4), existingTechSpaceM2: m2(u.existingTechSpaceM2),
            carrier: u.unit.carrier.map { Carrier(type: $0.type.rawValue, name: $0.name, floorAreaM2: m2(u.carrierFloorAreaM2)) },
            sectors: u.unit.sectors, techGainedM2: m2(u.techGainedM2), techLostM2: m2(u.techLostM2), netTechM2: m2(u.netTechM2),
            handoverShare: u.unit.handoverShare, governmentHousingM2: m2(u.governmentHousingM2), firmsInUnit: u.firmsInUnit.count,
            displacedFirms: u.displacedFirms.count,
            checks: u.checks.map {
                Check(rule: $0.rule, value: $0.value.map { rounded($0, decimals: 4) }, limit: $0.limit, outcome: $0.outcome.rawValue, detail: $0.detail, source: $0.source)
            },
            timeline: timeline(u.timeline))
    }
}
