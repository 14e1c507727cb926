import Foundation
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
public struct SupplySettings: Sendable {
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

    public static func load(_ url: URL) throws -> SupplySettings {
        let file = url.path
        let json = try readConfigJSON(url, what: "land-supply settings")
        func fail(_ problem: String) -> DataError { DataError(file: file, problem: problem) }
        func value(_ key: String) throws -> JSONValue {
            guard let v = json[key]?["value"] else { throw fail("missing entry \"\(key)\" with a \"value\"") }
            return v
        }
        func number(_ v: JSONValue?, _ path: String, max: Double = .infinity) throws -> Double {
            guard let n = v?.numberValue, n.isFinite, n >= 0, n <= max else { throw fail("\(path) must be a non-negative number\(max.isFinite ? " up to \(formatJSONNumber(max))" : "")") }
            return n
        }
        func whole(_ v: JSONValue?, _ path: String) throws -> Int {
            let n = try number(v, path)
            guard n == n.rounded() else { throw fail("\(path) must be a whole number") }
            return Int(n)
        }
        let horizon = try value("horizon")
        let first = try whole(horizon["first_year"], "horizon.value.first_year"), last = try whole(horizon["last_year"], "horizon.value.last_year")
        guard first <= last else { throw fail("horizon: first_year \(first) is after last_year \(last)") }
        var modes: [String: SupplyModeTerms] = [:]
        guard let modeEntries = try value("supply_modes").objectValue else { throw fail("supply_modes.value must be an object") }
        for (name, m) in modeEntries.members {
            let path = "supply_modes.value.\(name)"
            let terms = SupplyModeTerms(label: m["label"]?.stringValue ?? name, termYears: try whole(m["term_years"], "\(path).term_years"),
                                        leaseYears: try whole(m["lease_years"], "\(path).lease_years"),
                                        transferShare: try number(m["transfer_share"], "\(path).transfer_share", max: 1))
            guard terms.termYears > 0, terms.leaseYears <= terms.termYears else { throw fail("\(path): lease_years must not exceed a positive term_years") }
            modes[name] = terms
        }
        let fullTerm = try whole(try value("full_term_years"), "full_term_years.value")
        guard fullTerm > 0 else { throw fail("full_term_years.value must be positive") }
        return SupplySettings(
            firstYear: first, lastYear: last,
            constructionYears: try whole(try value("construction_years"), "construction_years.value"),
            discountRate: try number(try value("discount_rate"), "discount_rate.value", max: 1),
            landPricePerM2: try number(try value("land_price_yuan_per_m2"), "land_price_yuan_per_m2.value"),
            fullTermYears: fullTerm,
            annualRentPerM2: try number(try value("annual_rent_yuan_per_m2"), "annual_rent_yuan_per_m2.value"),
            modes: modes, source: file)
    }
}
