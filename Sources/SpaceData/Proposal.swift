import SpaceGeometry

// Renewal proposals as the planner submits them: input records like parcels, read and checked
// here (ProposalReader); the Renewal module weighs them.

/// The four renewal modes of the domain brief.
public enum RenewalMode: String, Sendable, CaseIterable {
    case comprehensiveRemediation = "comprehensive_remediation"
    case functionChange = "function_change"
    case demolitionRebuild = "demolition_rebuild"
    case microRenewal = "micro_renewal"
}

extension RenewalMode: ConfigVocabulary {
    public static var noun: String { "renewal mode" }
}

/// One phase of a renewal unit: the share of its new or changed floor area finished in a year.
public struct RenewalPhase: Sendable, Equatable {
    public let name: String
    public let completionYear: Int
    public let share: Double
}

/// The tech-cultivation carrier a unit becomes.
public struct ProposedCarrier: Sendable {
    public let type: CarrierType
    public let name: String
    /// Floor area stated by the proposal; nil means the unit's whole industrial floor area after renewal.
    public let floorAreaM2: Double?
}

/// What a unit builds: either a FAR on its land with shares by use, or floor area by use.
public enum ProposedFloorArea: Sendable {
    case far(Double, useShares: [String: Double])
    case byUse([String: Double])
    case none
}

/// A renewal unit (更新单元): a boundary in the working CRS and what is proposed inside it.
public struct RenewalUnit: Sendable {
    public let index: Int
    public let id: String
    public let name: String
    public let proposalID: String
    public let mode: RenewalMode
    /// Proposed land-use code (M0, M1, W1, C1…).
    public let landUse: String
    public let geometry: Geometry
    public let landAreaM2: Double
    /// New floor area: the rebuilt building (demolition and rebuild) or additions (other modes).
    public let built: ProposedFloorArea
    /// The use kept floor area takes after a function change; nil keeps each building's use.
    public let newUse: String?
    /// Share of the new industrial floor area handed to the government (配建).
    public let handoverShare: Double
    public let carrier: ProposedCarrier?
    /// Sectors the unit is meant to house, checked against the positive lists.
    public let sectors: [String]
    /// Works start: firms leave and buildings come down in this year.
    public let startYear: Int
    public let phases: [RenewalPhase]
}

/// A proposal: one or more units submitted together, evaluated and ranked as one.
public struct Proposal: Sendable {
    public let id: String
    public let name: String
    public let units: [RenewalUnit]
}
