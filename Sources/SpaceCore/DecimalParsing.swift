/// Plain decimals ("114.0579123", "-52", "0.25") parsed without strtod when the result is
/// exact by construction (Clinger's fast path): at most 15 significant digits make an integer
/// mantissa a Double holds exactly, and dividing it by an exact power of ten (10^0…10^22) is
/// one correctly rounded operation, so the result equals strtod's. Anything else (exponents,
/// more digits, odd forms) returns nil and is left to strtod. Coordinates in GeoJSON and CSV
/// are nearly all of the plain kind, and strtod was a tenth of the loading time.
public func parsePlainDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
    var i = 0
    let n = bytes.count
    var negative = false
    if i < n, bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
    var mantissa: UInt64 = 0
    var digits = 0  // significant digits so far (leading zeros do not count)
    /// Reads a run of digits into the mantissa; returns its length.
    func digitRun() -> Int {
        let start = i
        while i < n, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
            mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- UInt8(ascii: "0"))
            if mantissa > 0 { digits += 1 }
            i += 1
        }
        return i - start
    }
    guard digitRun() > 0 else { return nil }
    var fractionDigits = 0
    if i < n, bytes[i] == UInt8(ascii: ".") {
        i += 1
        fractionDigits = digitRun()
        guard fractionDigits > 0 else { return nil }
    }
    guard i == n, digits <= 15, fractionDigits <= 22 else { return nil }
    let value = Double(mantissa) / exactPowersOfTen[fractionDigits]
    return negative ? -value : value
}

/// 10^0 … 10^22, each exactly representable as a Double.
private let exactPowersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]
