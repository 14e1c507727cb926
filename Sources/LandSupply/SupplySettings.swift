import Foundation
import SpaceCore
import Renewal
import SpaceData
import SpaceGeometry

/// How a land-supply mode splits lease and transfer over its term.
public struct SupplyModeTerms: Sendable, Equatable {
    public let label: String
    public let termYears: Int
    /// Years the whole floor area is leased before any transfer.
    public let leaseYears: Int
    /// Share of floor area transferred after the lease years; the rest stays leased to the end.
    public let transferShare: Double
}

/// Settings of `spaceplan supply`, read from `GIS/config/land_supply.json` (every number an
/// assumption with its source there).
public struct SupplySettings: ConfigDocument {
    public let firstYear: Int
    public let lastYear: Int
    public let constructionYears: Int
    public let discountRate: Double
    public let landPricePerM2: Double
    public let fullTermYears: Int
    public let annualRentPerM2: Double
    public let modes: [String: SupplyModeTerms]
    public let source: String

    public var years: ClosedRange<Int> { firstYear...lastYear }

    public static var what: String { "land-supply settings" }

    public static func decode(_ json: JSONValue, source: String) throws -> SupplySettings {
        let file = try decodeConfig(SupplyFile.self, from: json, file: source)
        return SupplySettings(
            firstYear: file.horizon.value.firstYear, lastYear: file.horizon.value.lastYear,
            constructionYears: file.constructionYears.value.value,
            discountRate: file.discountRate.value.value,
            landPricePerM2: file.landPrice.value.value,
            fullTermYears: file.fullTermYears.value.value,
            annualRentPerM2: file.annualRent.value.value,
            modes: file.supplyModes.value.mapValues(\.terms), source: source)
    }
}

/// land_supply.json as written: each entry `{"value": …, "source": …}`, checked as it decodes.
private struct SupplyFile: Decodable {
    let horizon: ConfigEntry<Horizon>
    let constructionYears: ConfigEntry<Config.YearSpan>
    let discountRate: ConfigEntry<Config.Share>
    let landPrice: ConfigEntry<Config.NonNegative>
    /// Shorter terms pay its premium pro rata, so it divides.
    let fullTermYears: ConfigEntry<Config.TermYears>
    let annualRent: ConfigEntry<Config.NonNegative>
    let supplyModes: ConfigEntry<[String: ModeEntry]>

    enum CodingKeys: String, CodingKey {
        case horizon
        case constructionYears = "construction_years"
        case discountRate = "discount_rate"
        case landPrice = "land_price_yuan_per_m2"
        case fullTermYears = "full_term_years"
        case annualRent = "annual_rent_yuan_per_m2"
        case supplyModes = "supply_modes"
    }

    struct Horizon: Decodable {
        let firstYear: Int
        let lastYear: Int
        enum CodingKeys: String, CodingKey {
            case firstYear = "first_year"
            case lastYear = "last_year"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            firstYear = try c.decode(Config.Year.self, forKey: .firstYear).value
            lastYear = try c.decode(Config.Year.self, forKey: .lastYear).value
            guard firstYear <= lastYear else { throw ConfigRule.problem("first_year \(firstYear) is after last_year \(lastYear)") }
        }
    }

    struct ModeEntry: Decodable {
        let terms: SupplyModeTerms
        enum CodingKeys: String, CodingKey {
            case label
            case termYears = "term_years"
            case leaseYears = "lease_years"
            case transferShare = "transfer_share"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            terms = SupplyModeTerms(
                label: try c.decodeIfPresent(String.self, forKey: .label) ?? decoder.codingPath.last?.stringValue ?? "",
                termYears: try c.decode(Config.TermYears.self, forKey: .termYears).value,
                leaseYears: try c.decode(Config.YearSpan.self, forKey: .leaseYears).value,
                transferShare: try c.decode(Config.Share.self, forKey: .transferShare).value)
            guard terms.leaseYears <= terms.termYears else {
                throw ConfigRule.problem("lease_years \(terms.leaseYears) must not exceed term_years \(terms.termYears)")
            }
        }
    }
}
