import Foundation

/// Numbers as reports print them.

/// Fixed-point text with trailing zeros trimmed ("114.05", "2490000"): `TextBuffer.appendFixed` as a `String`.
public func formatFixed(_ value: Double, _ decimals: Int) -> String {
    var text = TextBuffer(capacity: 24)
    text.appendFixed(value, decimals)
    return text.text
}

/// 1234567.8 → "1,234,568"; "–" when not finite.
public func grouped(_ x: Double) -> String {
    guard x.isFinite else { return "–" }
    let r = x.rounded()
    // Beyond Int64 the digits come from the decimal text: an absurd input must not trap.
    let digits = abs(r) < 9.2e18 ? String(Int64(r).magnitude) : String(format: "%.0f", abs(r))
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return r < 0 ? "-" + out : out
}

public func percent(_ share: Double?) -> String {
    guard let share, share.isFinite else { return "–" }
    return formatFixed(share * 100, 1) + " %"
}

/// "1 parcel", "2 parcels", "1,204 firms": a count with its noun in the right number.
public func counted(_ n: Int, _ singular: String, plural: String? = nil) -> String {
    "\(grouped(Double(n))) \(n == 1 ? singular : plural ?? singular + "s")"
}

/// The gap from a stock to its target as printed beside them: the difference of the printed
/// (rounded) figures, so that stock and gap always add up to the target on the page.
public func groupedGap(target: Double, stock: Double) -> String {
    grouped(max(0, target.rounded() - stock.rounded()))
}
