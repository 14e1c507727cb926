import Foundation
import SpaceCore
import SpaceData
import TestSupport
@testable import Allocation

/// Random allocation instances for tests: carriers of every type in zones with and without
/// positive lists, some let in units or with known rents; firms of every stage asking more
/// space in all than there is. A seeded generator, so every instance is reproducible.
struct RandomInstance {
    var firms: [FirmDemand] = []
    var carriers: [CarrierSupply] = []
    var lists: [String: Set<String>] = [:]

    init(seed: UInt64, firms firmCount: Int, carriers carrierCount: Int, demandOverSupply: Double = 1.5) {
        var random = SeededRandom(seed: seed)
        let zones = ["Z1", "Z2", "Z3", "Z4"]
        let sectors = Vocabulary.sectors
        lists = ["Z1": Set(sectors.prefix(8)), "Z2": Set(sectors.suffix(6))]  // Z3, Z4 have no list
        var supply = 0.0
        for c in 0..<carrierCount {
            let type = CarrierType.allCases[random.integer(CarrierType.allCases.count)]
            let vacant = (random.uniform(400, 4_000)).rounded()
            var shares: [String: Double] = [:]
            for s in sectors.shuffled(using: &random).prefix(3) { shares[s] = random.uniform(0, 0.4) }
            carriers.append(
                CarrierSupply(
                    id: "C\(c)", type: type, zoneIDs: ["D", zones[random.integer(zones.count)]],
                    floorAreaM2: vacant * 2, occupiedM2: vacant,
                    unitM2: random.chance(0.3) ? [25.0, 50, 100][random.integer(3)] : nil,
                    rentYuanPerM2Month: random.chance(0.6) ? random.uniform(60, 160).rounded() : nil,
                    sectorShares: shares))
            supply += vacant
        }
        let meanMin = demandOverSupply * supply / Double(firmCount) / 1.3
        for f in 0..<firmCount {
            let minimum = (random.uniform(0.3, 1.7) * meanMin).rounded()
            firms.append(
                FirmDemand(
                    index: f, id: "F\(f)", sector: sectors[random.integer(sectors.count)],
                    stage: FirmStage.allCases[random.integer(FirmStage.allCases.count)],
                    flags: Vocabulary.enterpriseFlags.filter { _ in random.chance(0.15) },
                    minM2: minimum, preferredM2: (minimum * random.uniform(1, 1.6)).rounded(),
                    preferredZoneIDs: random.chance(0.5) ? [zones[random.integer(zones.count)]] : [],
                    moveInYear: 2025, priority: random.chance(0.2) ? random.uniform(0.5, 3) : nil,
                    maxRentYuanPerM2Month: random.chance(0.3) ? random.uniform(70, 150).rounded() : nil))
        }
    }

    var positiveLists: PositiveLists { PositiveLists(lists: lists, source: "test") }
}
