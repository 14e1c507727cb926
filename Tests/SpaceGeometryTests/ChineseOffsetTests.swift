import SpaceCore
import Foundation
import Testing
import TestSupport
@testable import SpaceGeometry

@Suite("GCJ-02 and BD-09 against an independent implementation")
struct ChineseOffsetTests {
    @Test("forward GCJ-02 and BD-09 match the independent Python implementation at 24 Futian points")
    func forwardMatchesReference() throws {
        for p in try TestPaths.fixture("futian_reference.json")["points"]!.array {
            let wgs = Coordinate(p["lon"]!.double, p["lat"]!.double)
            let gcj = ChineseWebMapOffsets.gcj02(fromWGS84: wgs)
            #expect(abs(gcj.x - p["gcj_lon"]!.double) < 1e-12 && abs(gcj.y - p["gcj_lat"]!.double) < 1e-12)
            let bd = ChineseWebMapOffsets.bd09(fromWGS84: wgs)
            #expect(abs(bd.x - p["bd_lon"]!.double) < 1e-12 && abs(bd.y - p["bd_lat"]!.double) < 1e-12)
        }
    }

    @Test("the published test vectors of wandergis/coordtransform are reproduced")
    func publishedVectors() throws {
        let v = try TestPaths.fixture("futian_reference.json")["offset_check_vectors"]!
        let input = Coordinate(v["input"]!.array[0].double, v["input"]!.array[1].double)
        let r = v["results"]!
        let gcj = ChineseWebMapOffsets.gcj02(fromWGS84: input)
        #expect(abs(gcj.x - r["wgs84_to_gcj02"]!.array[0].double) < 1e-12)
        #expect(abs(gcj.y - r["wgs84_to_gcj02"]!.array[1].double) < 1e-12)
        let bd = ChineseWebMapOffsets.bd09(fromGCJ02: input)
        #expect(abs(bd.x - r["gcj02_to_bd09"]!.array[0].double) < 1e-12)
        #expect(abs(bd.y - r["gcj02_to_bd09"]!.array[1].double) < 1e-12)
    }

    @Test(
        "inverses are exact to far better than 0.5 m across China",
        arguments: [
            (114.0579, 22.5431), (116.404, 39.915), (87.6, 43.8), (126.6, 45.75), (109.5, 18.25), (121.47, 31.23),
        ])
    func inverseAccuracy(lon: Double, lat: Double) throws {
        let wgs = Coordinate(lon, lat)
        let toMetres = try CoordinateTransformer(from: .wgs84, to: .epsg(3857))
        func metres(_ a: Coordinate, _ b: Coordinate) throws -> Double {
            let p = try toMetres.transform(a), q = try toMetres.transform(b)
            // Web Mercator stretches by 1/cos(lat): scale back to ground metres.
            return ((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)).squareRoot() * cos(lat * .pi / 180)
        }
        let gcj = ChineseWebMapOffsets.gcj02(fromWGS84: wgs)
        #expect(try metres(gcj, wgs) > 100, "GCJ-02 must actually move the point")
        #expect(try metres(ChineseWebMapOffsets.wgs84(fromGCJ02: gcj), wgs) < 0.001)
        let bd = ChineseWebMapOffsets.bd09(fromWGS84: wgs)
        #expect(try metres(ChineseWebMapOffsets.wgs84(fromBD09: bd), wgs) < 0.001)
    }

    @Test("no offset outside China")
    func outsideChina() throws {
        let london = Coordinate(-0.1276, 51.5072)
        #expect(ChineseWebMapOffsets.gcj02(fromWGS84: london) == london)
        #expect(ChineseWebMapOffsets.wgs84(fromGCJ02: london) == london)
        #expect(ChineseWebMapOffsets.bd09(fromWGS84: london) == london)
        #expect(ChineseWebMapOffsets.wgs84(fromBD09: london) == london)
    }

    @Test("GCJ-02 to EPSG:4547 goes through WGS84 in one transformer")
    func chainedThroughWGS84() throws {
        let gcj = Coordinate(114.0579, 22.5431)
        let direct = try CoordinateTransformer(from: .gcj02, to: .cgcs2000GK114).transform(gcj)
        let viaWGS = try CoordinateTransformer(from: .wgs84, to: .cgcs2000GK114)
            .transform(ChineseWebMapOffsets.wgs84(fromGCJ02: gcj))
        #expect(abs(direct.x - viaWGS.x) < 1e-6 && abs(direct.y - viaWGS.y) < 1e-6)
        // In Futian the GCJ-02 offset is about 500-600 m.
        let naive = try CoordinateTransformer(from: .wgs84, to: .cgcs2000GK114).transform(gcj)
        let offset = ((naive.x - direct.x) * (naive.x - direct.x) + (naive.y - direct.y) * (naive.y - direct.y)).squareRoot()
        #expect(offset > 450 && offset < 650)
    }
}
