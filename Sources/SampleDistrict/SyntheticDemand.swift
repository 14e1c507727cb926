import Foundation
import SpaceCore
import SpaceData
import SpaceGeometry

/// Synthetic incoming firms asking for space, for the sample, tests and benchmarks: sizes by
/// stage (a start-up wants a few desks, a scale-up a floor or more), sectors as in the sample
/// district, preferred zones, move-in years after the data's year, rent limits for some.
public enum SyntheticDemand {
    public struct Options: Sendable {
        public var seed: UInt64
        public var firms: Int
        /// Sub-district and cluster ids a firm may prefer.
        public var zoneIDs: [String]
        public var asOfYear: Int
        /// When given, sizes are scaled so the firms' minimum areas add up to this many m².
        public var totalMinimumM2: Double?
        public init(seed: UInt64, firms: Int, zoneIDs: [String], asOfYear: Int, totalMinimumM2: Double? = nil) {
            self.seed = seed; self.firms = firms; self.zoneIDs = zoneIDs; self.asOfYear = asOfYear; self.totalMinimumM2 = totalMinimumM2
        }
    }

    public static func firms(_ options: Options) -> [FirmDemand] {
        var random = SeededRandom(seed: options.seed)
        let sectors: [(String, Double)] = [
            ("next_gen_it", 0.18), ("semiconductors", 0.08), ("biomedicine", 0.1), ("ai", 0.14),
            ("fintech", 0.1), ("green_low_carbon", 0.04), ("digital_economy", 0.12), ("culture_tech", 0.06),
            ("tech_services", 0.08), ("new_materials", 0.03), ("smart_devices", 0.05), ("other", 0.02),
        ]
        let stages: [(FirmStage, Double)] = [(.startUp, 0.5), (.growth, 0.3), (.scaleUp, 0.15), (.mature, 0.05)]
        var drafts: [(stage: FirmStage, min: Double, stretch: Double)] = []
        for _ in 0..<options.firms {
            let stage = random.pick(stages)
            let (low, high): (Double, Double)
            switch stage {
            case .startUp: (low, high) = (20, 150)
            case .growth: (low, high) = (150, 800)
            case .scaleUp: (low, high) = (800, 3_000)
            case .mature: (low, high) = (1_500, 5_000)
            }
            // Log-uniform: small firms are more common than large within a stage.
            drafts.append((stage, exp(random.uniform(log(low), log(high))), random.uniform(1, 1.6)))
        }
        let scale = options.totalMinimumM2.map { $0 / max(1, drafts.reduce(0) { $0 + $1.min }) } ?? 1
        return drafts.enumerated().map { k, draft in
            let minimum = max(1, (draft.min * scale).rounded())
            let zones = random.chance(0.5) && !options.zoneIDs.isEmpty ? [options.zoneIDs[random.integer(0...(options.zoneIDs.count - 1))]] : []
            return FirmDemand(
                index: k, id: "D\(String(k + 1).leftPadded(6))", name: "入驻企业 \(k + 1)", sector: random.pick(sectors), stage: draft.stage,
                flags: Vocabulary.enterpriseFlags.filter { _ in random.chance(0.12) },
                minM2: minimum, preferredM2: (minimum * draft.stretch).rounded(), preferredZoneIDs: zones,
                moveInYear: options.asOfYear + random.integer(1...4),
                priority: random.chance(0.1) ? (random.uniform(1, 3) * 10).rounded() / 10 : nil,
                maxRentYuanPerM2Month: random.chance(0.4) ? (random.uniform(60, 150)).rounded() : nil,
                employees: max(1, Int(minimum / random.uniform(8, 15))))
        }
    }

    /// The firms as a demand CSV (the schema of GIS/README.md).
    public static func csv(_ firms: [FirmDemand]) -> String {
        var text = CSV.line([
            "id", "name", "sector", "stage", "flags", "employees", "min_m2", "preferred_m2", "preferred_zones",
            "move_in_year", "priority", "max_rent_yuan_m2_month",
        ])
        for f in firms {
            text += CSV.line([
                f.id, f.name, f.sector, f.stage.rawValue, f.flags.joined(separator: ";"), f.employees.map(String.init) ?? "",
                formatFixed(f.minM2, 0), formatFixed(f.preferredM2, 0), f.preferredZoneIDs.joined(separator: ";"),
                "\(f.moveInYear)", f.priority.map { formatFixed($0, 1) } ?? "",
                f.maxRentYuanPerM2Month.map { formatFixed($0, 0) } ?? "",
            ])
        }
        return text
    }
}
