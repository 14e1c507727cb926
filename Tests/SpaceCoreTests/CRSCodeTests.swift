import Foundation
import SpaceCore
import Testing
import TestSupport

/// CRS codes as values (SpaceCore); the transforms between them are PROJ's, in
/// Tests/SpaceGeometryTests/CRSTests.swift.
@Suite("CRS codes")
struct CRSCodeTests {
    @Test("CRS names are parsed the way planners and files write them")
    func parsesCodes() throws {
        #expect(try CRSCode(parsing: "EPSG:4547") == .epsg(4547))
        #expect(try CRSCode(parsing: "4547") == .epsg(4547))
        #expect(try CRSCode(parsing: "urn:ogc:def:crs:OGC:1.3:CRS84") == .wgs84)
        #expect(try CRSCode(parsing: "urn:ogc:def:crs:EPSG::4326") == .wgs84)
        #expect(try CRSCode(parsing: "gcj02") == .gcj02)
        #expect(try CRSCode(parsing: "BD-09") == .bd09)
        #expect(throws: CRSError.self) { try CRSCode(parsing: "Mars") }
    }
}
