/// Choropleth classification: split a set of values into k ordered classes for a map legend.
///
/// The three methods follow mapclassify's definitions (FisherJenks, Quantiles, EqualInterval);
/// `scripts/reference/make_classification_fixtures.py` produces the reference breaks the
/// tests check against. Classes are closed above: class i holds `breaks[i-1] < v <= breaks[i]`,
/// and the first class also holds the minimum.
import Foundation

/// How `Classification.classify` places the class breaks.
public enum ClassificationMethod: String, CaseIterable, Sendable {
    /// Exact optimal breaks (Fisher 1958): least within-class sum of squared deviations.
    case fisherJenks = "fisher-jenks"
    /// Equal-count classes: breaks at the i/k quantiles (linear interpolation).
    case quantiles
    /// Equal-width classes between the minimum and the maximum.
    case equalInterval = "equal-interval"
}

/// Why `Classification.classify` could not classify.
public enum ClassificationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No values to classify (the input was empty or all NaN).
    case noValues
    /// The requested number of classes was less than 1.
    case invalidClassCount(Int)
    /// An infinite value was given (NaN is ignored, infinity is not).
    case nonFiniteValue(Double)

    public var description: String {
        switch self {
        case .noValues:
            return "cannot classify: no values (the input is empty or all NaN)"
        case .invalidClassCount(let k):
            return "cannot classify into \(k) classes: need at least 1"
        case .nonFiniteValue(let v):
            return "cannot classify: the values include \(v)"
        }
    }
}

/// Class breaks for a choropleth map.
public struct Classification: Sendable, Equatable {
    public let method: ClassificationMethod
    /// Upper bound of each class, strictly ascending; the last is the maximum value.
    public let breaks: [Double]
    /// The smallest value classified (the lower bound of the first class).
    public let minimum: Double

    /// The 0-based class of `value`: the first `i` with `value <= breaks[i]`. Values below the
    /// minimum fall in class 0, values above the maximum (and NaN) in the last class.
    public func classIndex(of value: Double) -> Int {
        var lo = 0, hi = breaks.count - 1  // answer in lo...hi
        while lo < hi {
            let mid = (lo + hi) / 2
            if value <= breaks[mid] { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// One legend label per class, "lower – upper", with numbers written by the default format.
    public var labels: [String] { labels(format: Classification.defaultFormat) }

    /// One legend label per class, "lower – upper", with numbers written by `format`.
    /// The first class runs from `minimum`, the others from the previous break.
    public func labels(format: (Double) -> String) -> [String] {
        breaks.indices.map { i in
            "\(format(i == 0 ? minimum : breaks[i - 1])) – \(format(breaks[i]))"
        }
    }

    /// Whole numbers without decimals, others with up to two decimals (trailing zeros dropped).
    public static func defaultFormat(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// Classifies `values` into at most `k` classes by `method`.
    ///
    /// NaN values are ignored. If there are fewer distinct values than `k`, `k` becomes the
    /// number of distinct values. The result does not depend on the order of `values`.
    /// Quantiles may still give fewer than `k` classes when ties make breaks coincide.
    /// Fisher–Jenks takes O(k·n²) time and O(k·n) memory: fine for a few thousand values.
    /// - Throws: `ClassificationError` for no values, `k < 1` or an infinite value.
    public static func classify(
        _ values: [Double], classes k: Int, method: ClassificationMethod
    ) throws -> Classification {
        guard k >= 1 else { throw ClassificationError.invalidClassCount(k) }
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard let minimum = sorted.first, let maximum = sorted.last else {
            throw ClassificationError.noValues
        }
        if let bad = sorted.first(where: { $0.isInfinite }) {
            throw ClassificationError.nonFiniteValue(bad)
        }
        var distinct = 1
        for i in 1..<sorted.count where sorted[i] != sorted[i - 1] { distinct += 1 }
        let classes = min(k, distinct)

        let breaks: [Double]
        switch method {
        case .fisherJenks: breaks = fisherJenksBreaks(sorted, classes: classes)
        case .quantiles: breaks = quantileBreaks(sorted, classes: classes)
        case .equalInterval: breaks = equalIntervalBreaks(minimum, maximum, classes: classes)
        }
        return Classification(method: method, breaks: breaks, minimum: minimum)
    }

    /// Equal interval (mapclassify.EqualInterval): `min + i·(max−min)/k` for i = 1..k−1,
    /// then the maximum.
    static func equalIntervalBreaks(_ minimum: Double, _ maximum: Double, classes k: Int) -> [Double] {
        let width = (maximum - minimum) / Double(k)
        return (1..<k).map { minimum + Double($0) * width } + [maximum]
    }

    /// Quantiles (mapclassify.Quantiles): the value at fraction i/k of the sorted data for
    /// i = 1..k, linearly interpolated between neighbours (numpy/scipy's default percentile),
    /// the last being the maximum; equal breaks are merged, as mapclassify does.
    static func quantileBreaks(_ x: [Double], classes k: Int) -> [Double] {
        var breaks: [Double] = []
        for i in 1...k {
            let q: Double
            if i == k {
                q = x[x.count - 1]
            } else {
                let position = Double(i) * Double(x.count - 1) / Double(k)
                let lower = Int(position.rounded(.down))
                let fraction = position - Double(lower)
                q = fraction == 0 ? x[lower] : x[lower] + (x[lower + 1] - x[lower]) * fraction
            }
            if breaks.last != q { breaks.append(q) }
        }
        return breaks
    }

    /// Fisher–Jenks (mapclassify.FisherJenks, Fisher 1958): the exact partition of the sorted
    /// values into k contiguous classes with the least total within-class sum of squared
    /// deviations from the class means, by dynamic programming; breaks are each class's maximum.
    /// Ties go, like mapclassify, to the last class starting as early as possible.
    /// mapclassify sums in float32 and can miss the optimum for large values; this sums in
    /// Double with Welford's update, so it does not. O(k·n²) time, O(k·n) memory.
    /// `x` must be sorted, with at least `k` distinct values.
    static func fisherJenksBreaks(_ x: [Double], classes k: Int) -> [Double] {
        let n = x.count
        guard k > 1 else { return [x[n - 1]] }
        // cost[j*(n+1)+l]: least cost of the first l values in j classes;
        // start[j*(n+1)+l]: the index where the last of those classes begins.
        let stride = n + 1
        var cost = [Double](repeating: .infinity, count: (k + 1) * stride)
        var start = [Int](repeating: 0, count: (k + 1) * stride)
        for l in 1...n {
            // Grow the last class x[s..<l] downwards, keeping its mean and sum of squares.
            var count = 0.0, mean = 0.0, squares = 0.0
            for s in Swift.stride(from: l - 1, through: 0, by: -1) {
                count += 1
                let delta = x[s] - mean
                mean += delta / count
                squares += delta * (x[s] - mean)
                if s == 0 {
                    cost[stride + l] = squares
                } else {
                    for j in 2...min(k, s + 1) {
                        let candidate = squares + cost[(j - 1) * stride + s]
                        if candidate <= cost[j * stride + l] {
                            cost[j * stride + l] = candidate
                            start[j * stride + l] = s
                        }
                    }
                }
            }
        }
        var breaks = [Double](repeating: 0, count: k)
        var l = n
        for j in Swift.stride(from: k, through: 1, by: -1) {
            breaks[j - 1] = x[l - 1]
            l = start[j * stride + l]
        }
        return breaks
    }
}
