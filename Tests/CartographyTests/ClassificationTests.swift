import Foundation
import Testing
import TestSupport
import Cartography

/// Checks `Classification.classify` against mapclassify's breaks in
/// Fixtures/classification.json (scripts/reference/make_classification_fixtures.py),
/// plus small cases worked out by hand.
struct ClassificationTests {
    struct FixtureCase {
        let dataset: String
        let method: ClassificationMethod
        let k: Int
        let breaks: [Double]
        let ssd: Double?
    }

    struct Fixture {
        let values: [String: [Double]]
        let cases: [FixtureCase]
        let published: [String: Any]
    }

    static func loadFixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/classification.json")
        let doc = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var values: [String: [Double]] = [:]
        for d in try #require(doc["datasets"] as? [[String: Any]]) {
            values[try #require(d["name"] as? String)] = try #require(d["values"] as? [Double])
        }
        let cases = try #require(doc["cases"] as? [[String: Any]]).map { c in
            let method = try #require(c["method"] as? String)
            return FixtureCase(
                dataset: try #require(c["dataset"] as? String),
                method: try #require(ClassificationMethod(rawValue: method)),
                k: try #require(c["k"] as? Int),
                breaks: try #require(c["breaks"] as? [Double]),
                ssd: c["ssd"] as? Double)
        }
        return Fixture(
            values: values, cases: cases,
            published: try #require(doc["published"] as? [String: Any]))
    }

    static func close(_ a: Double, _ b: Double, relative: Double = 1e-9) -> Bool {
        abs(a - b) <= relative * max(abs(a), abs(b)) || a == b
    }

    /// Total within-class sum of squared deviations of `values` under `c`.
    static func withinClassSSD(_ values: [Double], _ c: Classification) -> Double {
        var groups = [[Double]](repeating: [], count: c.breaks.count)
        for v in values { groups[c.classIndex(of: v)].append(v) }
        return groups.reduce(0) { total, g in
            guard !g.isEmpty else { return total }
            let mean = g.reduce(0, +) / Double(g.count)
            return total + g.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        }
    }

    @Test func matchesMapclassifyFixtures() throws {
        let fixture = try Self.loadFixture()
        #expect(fixture.cases.count == 90)
        for c in fixture.cases {
            let values = try #require(fixture.values[c.dataset])
            let result = try Classification.classify(values, classes: c.k, method: c.method)
            let label = "\(c.dataset) \(c.method.rawValue) k=\(c.k)"
            #expect(result.method == c.method)
            #expect(result.minimum == values.min(), "\(label)")
            #expect(result.breaks.count == c.breaks.count, "\(label): \(result.breaks) vs \(c.breaks)")
            if result.breaks.count == c.breaks.count {
                for (got, want) in zip(result.breaks, c.breaks) {
                    #expect(Self.close(got, want), "\(label): \(result.breaks) vs \(c.breaks)")
                }
            }
            if let ssd = c.ssd {
                #expect(Self.close(Self.withinClassSSD(values, result), ssd, relative: 1e-9), "\(label)")
            }
        }
    }

    /// mapclassify's documented example: FisherJenks(load_example(), k=5), and its
    /// Quantiles and EqualInterval docstrings, on the calemp data.
    @Test func publishedCalempExample() throws {
        let fixture = try Self.loadFixture()
        let calemp = try #require(fixture.values["calemp"])
        #expect(calemp.count == 58)
        for method in ClassificationMethod.allCases {
            let want = try #require(fixture.published["\(method.rawValue)_k5"] as? [Double])
            let got = try Classification.classify(calemp, classes: 5, method: method).breaks
            #expect(got.count == want.count)
            for (g, w) in zip(got, want) { #expect(Self.close(g, w), "\(method): \(got)") }
        }
        let fj = try Classification.classify(calemp, classes: 5, method: .fisherJenks)
        #expect(fj.breaks == [75.29, 192.05, 370.5, 722.85, 4111.45])
        let counts = calemp.reduce(into: [0, 0, 0, 0, 0]) { $0[fj.classIndex(of: $1)] += 1 }
        #expect(counts == [49, 3, 4, 1, 1])
    }

    @Test func handCheckedBreaks() throws {
        let twoGroups: [Double] = [1, 2, 3, 10, 11, 12]
        #expect(try Classification.classify(twoGroups, classes: 2, method: .fisherJenks).breaks == [3, 12])
        #expect(try Classification.classify(twoGroups.reversed(), classes: 2, method: .fisherJenks).breaks == [3, 12])
        #expect(try Classification.classify([0, 10], classes: 2, method: .equalInterval).breaks == [5, 10])
        #expect(try Classification.classify([1, 2, 3, 4, 5], classes: 4, method: .quantiles).breaks == [2, 3, 4, 5])
        #expect(try Classification.classify([1, 2, 3, 4], classes: 2, method: .quantiles).breaks == [2.5, 4])
        // Equal-cost partitions {1}{2,3} and {1,2}{3}: like mapclassify, the last class starts early.
        #expect(try Classification.classify([1, 2, 3], classes: 2, method: .fisherJenks).breaks == [1, 3])
        // One value per class.
        #expect(try Classification.classify([4, 1, 9], classes: 3, method: .fisherJenks).breaks == [1, 4, 9])
        // k = 1: everything in one class.
        for method in ClassificationMethod.allCases {
            #expect(try Classification.classify(twoGroups, classes: 1, method: method).breaks == [12])
        }
    }

    @Test func nanIsIgnoredAndKIsReduced() throws {
        let withNaN: [Double] = [1, .nan, 2, 3, .nan, 10, 11, 12]
        #expect(try Classification.classify(withNaN, classes: 2, method: .fisherJenks).breaks == [3, 12])
        #expect(try Classification.classify(withNaN, classes: 2, method: .fisherJenks).minimum == 1)
        for method in ClassificationMethod.allCases {
            #expect(try Classification.classify([5, 5, 5], classes: 3, method: method).breaks == [5])
            #expect(try Classification.classify([1, 1, 2, 2], classes: 5, method: method).breaks.count == 2)
        }
        #expect(try Classification.classify([1, 1, 2, 2], classes: 5, method: .fisherJenks).breaks == [1, 2])
        // Equal interval too: two distinct values give two classes, not five.
        #expect(try Classification.classify([0, 10], classes: 5, method: .equalInterval).breaks == [5, 10])
        // Quantiles merge equal breaks: fewer classes than k even with enough distinct values.
        #expect(try Classification.classify([0, 0, 0, 0, 0, 0, 1, 2], classes: 3, method: .quantiles).breaks == [0, 2])
    }

    @Test func classIndexBoundaries() throws {
        let c = try Classification.classify([1, 2, 3, 10, 11, 12], classes: 2, method: .fisherJenks)
        #expect(c.classIndex(of: 1) == 0)
        #expect(c.classIndex(of: 3) == 0)
        #expect(c.classIndex(of: 3.000001) == 1)
        #expect(c.classIndex(of: 12) == 1)
        #expect(c.classIndex(of: -50) == 0)
        #expect(c.classIndex(of: 100) == 1)
        let e = try Classification.classify([0, 1, 5, 9, 10], classes: 5, method: .equalInterval)
        #expect(e.breaks == [2, 4, 6, 8, 10])
        #expect([0, 2, 2.5, 4, 6, 7.9, 8, 8.1, 10].map(e.classIndex(of:)) == [0, 0, 1, 1, 2, 3, 3, 4, 4])
    }

    @Test func labels() throws {
        let c = try Classification.classify([1, 2, 3, 10, 11, 12], classes: 2, method: .fisherJenks)
        #expect(c.labels == ["1 – 3", "3 – 12"])
        #expect(c.labels(format: { "\(Int($0)) m²" }) == ["1 m² – 3 m²", "3 m² – 12 m²"])
        let q = try Classification.classify([0.5, 1.2, 2.1, 3], classes: 2, method: .quantiles)
        #expect(q.labels == ["0.5 – 1.65", "1.65 – 3"])
        #expect(Classification.defaultFormat(1.23456) == "1.23")
        #expect(Classification.defaultFormat(200000) == "200000")
        #expect(Classification.defaultFormat(-0.1) == "-0.1")
    }

    @Test func errors() {
        #expect(throws: ClassificationError.noValues) {
            try Classification.classify([], classes: 3, method: .quantiles)
        }
        #expect(throws: ClassificationError.noValues) {
            try Classification.classify([.nan, .nan], classes: 3, method: .fisherJenks)
        }
        #expect(throws: ClassificationError.invalidClassCount(0)) {
            try Classification.classify([1, 2], classes: 0, method: .equalInterval)
        }
        #expect(throws: ClassificationError.invalidClassCount(-2)) {
            try Classification.classify([1, 2], classes: -2, method: .fisherJenks)
        }
        #expect(throws: ClassificationError.nonFiniteValue(.infinity)) {
            try Classification.classify([1, .infinity], classes: 2, method: .equalInterval)
        }
        #expect(ClassificationError.noValues.description.contains("no values"))
        #expect(ClassificationError.invalidClassCount(0).description.contains("0 classes"))
        #expect(ClassificationMethod(rawValue: "fisher-jenks") == .fisherJenks)
        #expect(ClassificationMethod.allCases.map(\.rawValue) == ["fisher-jenks", "quantiles", "equal-interval"])
    }
}
