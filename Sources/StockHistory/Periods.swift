import Foundation

/// How often the stock is reported: the bureau reports to the city by quarter.
public enum ReportingPeriod: String, Sendable, CaseIterable {
    case month, quarter, year

    var months: Int {
        switch self {
        case .month: return 1
        case .quarter: return 3
        case .year: return 12
        }
    }
}

/// One reporting period: its label (`2023-Q1`, `2023-05`, `2023`) and its last day.
public struct Period: Sendable, Equatable {
    public let label: String
    public let firstDay: String
    public let lastDay: String

    /// The periods whose last day falls within `from`…`to` (YYYY-MM-DD), in order; the first
    /// one starts at its own calendar start even when `from` lies inside it.
    public static func ending(from: String, to: String, every: ReportingPeriod) -> [Period] {
        guard let (y0, m0, _) = day(from), let (y1, m1, d1) = day(to) else { return [] }
        var out: [Period] = []
        // The first period end on or after `from`.
        var year = y0, month = ((m0 - 1) / every.months + 1) * every.months
        while (year, month) <= (y1, m1) {
            let last = String(format: "%04d-%02d-%02d", year, month, daysIn(year, month))
            let startMonth = month - every.months + 1
            let first = String(format: "%04d-%02d-01", year, startMonth)
            if (year, month) < (y1, m1) || d1 >= daysIn(year, month) {
                out.append(Period(label: label(year, month, every), firstDay: first, lastDay: last))
            }
            month += every.months
            if month > 12 { month -= 12; year += 1 }
        }
        return out
    }

    static func label(_ year: Int, _ month: Int, _ every: ReportingPeriod) -> String {
        switch every {
        case .month: return String(format: "%04d-%02d", year, month)
        case .quarter: return "\(year)-Q\(month / 3)"
        case .year: return String(year)
        }
    }

    static func day(_ text: String) -> (Int, Int, Int)? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        return (parts[0], parts[1], parts[2])
    }

    static func daysIn(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Where a day sits on the plan's time axis: a target year Y is reached at the end of Y,
    /// which is Y + 1 here; 2023-12-31 is 2024.0, 2023-06-30 is about 2023.5.
    public static func yearPosition(_ text: String) -> Double? {
        guard let (y, m, d) = day(text) else { return nil }
        let before = (1..<m).reduce(0) { $0 + daysIn(y, $1) }
        let length = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 366.0 : 365.0
        return Double(y) + Double(before + d) / length
    }
}
