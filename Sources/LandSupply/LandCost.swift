/// What a firm pays for land under a supply mode over its term: the premium for the
/// transferred share (pro rata to the years it covers) and rent on the leased share.
public struct LandCost: Sendable, Equatable {
    public let mode: String
    public let floorAreaM2: Double
    public let termYears: Int
    /// Paid in the first year (rent and any premium due at the start).
    public let upfrontYuan: Double
    /// All payments over the term, not discounted.
    public let totalYuan: Double
    /// All payments discounted to the start at the configured rate.
    public let presentValueYuan: Double
    /// Payment per year in each year of the term (index 0 = first year).
    public let payments: [Double]

    /// Total per m² of floor area per year of the term.
    public var perM2PerYear: Double { floorAreaM2 > 0 && termYears > 0 ? totalYuan / floorAreaM2 / Double(termYears) : 0 }

    public static func of(mode: String, terms: SupplyModeTerms, floorAreaM2: Double, settings: SupplySettings) -> LandCost {
        let term = terms.termYears, lease = terms.leaseYears
        var payments = [Double](repeating: 0, count: term)
        for year in 0..<term {
            let leasedShare = year < lease ? 1 : 1 - terms.transferShare
            payments[year] += settings.annualRentPerM2 * floorAreaM2 * leasedShare
        }
        if terms.transferShare > 0, lease < term {
            // The transfer covers the years left after the lease, priced as that part of a full term.
            let years = Double(term - lease) / Double(settings.fullTermYears)
            payments[lease] += settings.landPricePerM2 * floorAreaM2 * terms.transferShare * years
        }
        var present = 0.0
        for (year, p) in payments.enumerated() { present += p / pow1p(settings.discountRate, year) }
        return LandCost(
            mode: mode, floorAreaM2: floorAreaM2, termYears: term, upfrontYuan: payments.first ?? 0,
            totalYuan: payments.reduce(0, +), presentValueYuan: present, payments: payments)
    }

    static func pow1p(_ rate: Double, _ years: Int) -> Double {
        var f = 1.0
        for _ in 0..<years { f *= 1 + rate }
        return f
    }
}
