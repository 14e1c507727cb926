import SpaceCore
import SpaceGeometry

/// The planner's layers, in the working (projected, metre) CRS. `index` is the record's
/// position in its file, for messages.

public enum ZoneKind: String, Sendable, CaseIterable {
    case district, subdistrict, cluster
}

public struct Zone: Sendable {
    public let index: Int
    public let id: String
    public let name: String
    public let kind: ZoneKind
    public let code: String?
    public let geometry: Geometry

    /// A record as the store keeps it (checked when it was written).
    public init(index: Int, id: String, name: String, kind: ZoneKind, code: String?, geometry: Geometry) {
        self.index = index; self.id = id; self.name = name; self.kind = kind; self.code = code; self.geometry = geometry
    }
}

public struct Parcel: Sendable {
    public let index: Int
    public let id: String
    /// Land-use class code as recorded (M0, M1, W1, C1, R2, GIC…).
    public let landUse: String
    /// Its class (M, W, C, R, GIC, U, S, G, E), which the maps colour by and every layer publishes;
    /// the code itself when it names no class.
    public var landUseClass: String { Vocabulary.landUseClass(landUse) ?? landUse }
    public let recordedLandAreaM2: Double?
    public let farCap: Double?
    public let heightCapM: Double?
    public let tenureStart: Int?
    public let tenureEnd: Int?
    public let supplyMode: String?
    public let geometry: Geometry
    /// Drawn area in the working CRS.
    public let landAreaM2: Double

    /// A record as the store keeps it (checked when it was written).
    public init(index: Int, id: String, landUse: String, recordedLandAreaM2: Double?, farCap: Double?, heightCapM: Double?, tenureStart: Int?, tenureEnd: Int?, supplyMode: String?, geometry: Geometry, landAreaM2: Double) {
        self.index = index; self.id = id; self.landUse = landUse; self.recordedLandAreaM2 = recordedLandAreaM2; self.farCap = farCap; self.heightCapM = heightCapM; self.tenureStart = tenureStart; self.tenureEnd = tenureEnd; self.supplyMode = supplyMode; self.geometry = geometry; self.landAreaM2 = landAreaM2
    }
}

public struct Building: Sendable {
    public let index: Int
    public let id: String
    public let floors: Int
    public let heightM: Double?
    /// Gross floor area: as recorded, or floors × footprint when `gfaDerived`.
    public let gfaM2: Double
    public let gfaDerived: Bool
    public let use: String
    public let yearBuilt: Int?
    public let condition: String?
    public let vacantM2: Double
    public let geometry: Geometry
    public let footprintM2: Double

    /// A record as the store keeps it (checked when it was written).
    public init(index: Int, id: String, floors: Int, heightM: Double?, gfaM2: Double, gfaDerived: Bool, use: String, yearBuilt: Int?, condition: String?, vacantM2: Double, geometry: Geometry, footprintM2: Double) {
        self.index = index; self.id = id; self.floors = floors; self.heightM = heightM; self.gfaM2 = gfaM2; self.gfaDerived = gfaDerived; self.use = use; self.yearBuilt = yearBuilt; self.condition = condition; self.vacantM2 = vacantM2; self.geometry = geometry; self.footprintM2 = footprintM2
    }
}

public enum CarrierType: String, Sendable, CaseIterable {
    case makerSpace = "maker_space"
    case incubator, accelerator, park
    case siliconBuilding = "silicon_building"

    public var label: String {
        switch self {
        case .makerSpace: return "maker space 众创空间"
        case .incubator: return "incubator 孵化器"
        case .accelerator: return "accelerator 加速器"
        case .park: return "park 园区"
        case .siliconBuilding: return "silicon building 硅楼"
        }
    }
}

public struct Carrier: Sendable {
    public let index: Int
    public let id: String
    public let name: String
    public let type: CarrierType
    public let level: String
    public let operatorName: String
    public let floorAreaM2: Double
    public let occupiedM2: Double
    public let buildingIDs: [String]
    /// The size of the units the carrier is let in (a firm takes whole units), when it is divided.
    public let unitM2: Double?
    /// Asking rent, yuan per m² per month, when known.
    public let rentYuanPerM2Month: Double?

    /// A record as the store keeps it (checked when it was written).
    public init(index: Int, id: String, name: String, type: CarrierType, level: String, operatorName: String, floorAreaM2: Double, occupiedM2: Double, buildingIDs: [String], unitM2: Double?, rentYuanPerM2Month: Double?) {
        self.index = index; self.id = id; self.name = name; self.type = type; self.level = level; self.operatorName = operatorName; self.floorAreaM2 = floorAreaM2; self.occupiedM2 = occupiedM2; self.buildingIDs = buildingIDs; self.unitM2 = unitM2; self.rentYuanPerM2Month = rentYuanPerM2Month
    }
    public var vacantM2: Double { floorAreaM2 - occupiedM2 }
}

public struct Enterprise: Sendable {
    public let index: Int
    public let id: String
    public let name: String
    public let sector: String
    public let flags: [String]
    public let employees: Int
    public let floorAreaM2: Double
    /// Location in the working CRS, when given as lon/lat.
    public let location: Coordinate?
    /// Building id given in the file (wins over the location).
    public let buildingID: String?

    /// A record as the store keeps it (checked when it was written).
    public init(index: Int, id: String, name: String, sector: String, flags: [String], employees: Int, floorAreaM2: Double, location: Coordinate?, buildingID: String?) {
        self.index = index; self.id = id; self.name = name; self.sector = sector; self.flags = flags; self.employees = employees; self.floorAreaM2 = floorAreaM2; self.location = location; self.buildingID = buildingID
    }
}

/// Firm stages on the incubation ladder (孵化链条), as a demand file names them.
public enum FirmStage: String, Sendable, CaseIterable {
    case startUp = "start_up"
    case growth
    case scaleUp = "scale_up"
    case mature
}

/// An incoming firm asking for space (the demand file of `spaceplan allocate`).
public struct FirmDemand: Sendable {
    public let index: Int
    public let id: String
    public let name: String
    public let sector: String
    public let stage: FirmStage
    public let flags: [String]
    public let minM2: Double
    public let preferredM2: Double
    public let preferredZoneIDs: [String]
    public let moveInYear: Int
    /// As given in the file; nil means "computed from the flags" (allocation rules).
    public let priority: Double?
    public let maxRentYuanPerM2Month: Double?
    public let employees: Int?

    public init(
        index: Int, id: String, name: String = "", sector: String, stage: FirmStage, flags: [String] = [],
        minM2: Double, preferredM2: Double, preferredZoneIDs: [String] = [], moveInYear: Int,
        priority: Double? = nil, maxRentYuanPerM2Month: Double? = nil, employees: Int? = nil
    ) {
        self.index = index; self.id = id; self.name = name; self.sector = sector; self.stage = stage; self.flags = flags
        self.minM2 = minM2; self.preferredM2 = preferredM2; self.preferredZoneIDs = preferredZoneIDs
        self.moveInYear = moveInYear; self.priority = priority; self.maxRentYuanPerM2Month = maxRentYuanPerM2Month
        self.employees = employees
    }
}

/// Vocabularies the loaders check values against (GIS/README.md documents them).
public enum Vocabulary {
    public static let buildingUses: Set<String> = ["industrial", "rnd", "warehouse", "office", "commercial", "residential", "public", "mixed"]
    public static let conditions: Set<String> = ["good", "fair", "old_factory", "old_warehouse", "dilapidated"]
    public static let supplyModes: Set<String> = [
        "transfer", "long_term_lease", "lease_then_transfer", "mixed_lease_transfer", "flexible_term_transfer", "allocation",
    ]
    public static let landUsePrefixes = ["GIC", "M", "W", "C", "R", "U", "S", "G", "E"]
    public static let carrierLevels: Set<String> = ["national", "provincial", "city", "district", "none"]
    public static let sectors: [String] = [
        "next_gen_it", "semiconductors", "biomedicine", "ai", "fintech", "green_low_carbon",
        "digital_economy", "culture_tech", "tech_services", "new_materials", "smart_devices", "other",
    ]
    public static let enterpriseFlags: [String] = [
        "national_high_tech", "strategic_emerging", "high_growth", "quasi_unicorn", "overseas_talent", "leading",
    ]

    /// The land-use class of a code: "M1" → "M", "GIC2" → "GIC", "W0" → "W".
    public static func landUseClass(_ code: String) -> String? {
        // Codes are ASCII nearly always: compared as bytes (the zones' sums ask for every parcel).
        if code.utf8.allSatisfy({ $0 < 0x80 }) {
            let bytes = code.utf8
            return landUsePrefixes.first { prefix in
                bytes.starts(with: prefix.utf8) && bytes.dropFirst(prefix.utf8.count).allSatisfy { b in
                    (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
                }
            }
        }
        return landUsePrefixes.first { code.hasPrefix($0) && code.dropFirst($0.count).allSatisfy { $0.isNumber || $0.isLetter } }
    }

    /// Land-use categories that Shenzhen's standard counts apart from their class: M0,
    /// new-type industrial land (新型产业用地), is where R&D and incubators go, not factories.
    public static let separateCategories = ["M0"]

    /// The category land is summed by: the class, except M0 which stays apart from M1.
    public static func landUseCategory(_ code: String) -> String? {
        if let separate = separateCategories.first(where: { code.hasPrefix($0) }), landUseClass(code) != nil { return separate }
        return landUseClass(code)
    }
}
