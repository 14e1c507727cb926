import SpaceCore
import Foundation
import FoundationXML
import Testing
import TestSupport
import SpaceData
import SpaceGeometry
import SpaceMap
import Reports
@testable import Cartography

/// Maps drawn from the shipped sample and the real Futian layers, read back as XML. Cartography draws
/// them; the scenes come from the data through Reports' `MapScene` builder, as the tool builds them.
@Suite("SVG maps and charts")
struct MapTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func scene(_ folder: String) throws -> (SpaceMap, MapScene) {
        let policy = try Policy.load(root.appendingPathComponent("GIS/config/policy.json"))
        let map = try SpaceMap.build(try DistrictData.load(directory: root.appendingPathComponent(folder), policy: policy))
        return (map, try MapScene(map))
    }

    /// Built per test rather than kept in a static: data alive until exit only confuses the leak check.
    static var sample: (SpaceMap, MapScene) { get throws { try scene("GIS/sample") } }

    static func xml(_ svg: String) throws -> XMLElement {
        try XMLDocument(xmlString: svg, options: []).rootElement()!
    }

    static func nodes(_ root: XMLElement, _ xpath: String) throws -> [XMLElement] {
        try root.nodes(forXPath: xpath).compactMap { $0 as? XMLElement }
    }

    /// Rasterizes with rsvg-convert; returns the PNG's width and height.
    static func rasterize(_ svg: String, width: Int = 800) throws -> (Int, Int) {
        try withTemporaryFolder("raster") { folder in
            let input = folder.appendingPathComponent("map.svg")
            try svg.write(to: input, atomically: true, encoding: .utf8)
            return try pngSize(Data(contentsOf: try rasterize(file: input, width: width, into: folder)))
        }
    }

    /// Rasterizes an SVG file with rsvg-convert into `folder`; returns the PNG.
    static func rasterize(file input: URL, width: Int, into folder: URL) throws -> URL {
        let output = folder.appendingPathComponent(input.deletingPathExtension().lastPathComponent + "-\(width).png")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/rsvg-convert")
        process.arguments = ["-w", String(width), "-o", output.path, input.path]
        process.standardError = Pipe()
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "rsvg-convert failed")
        return output
    }

    /// A PNG's pixels, every band one after the other (GDAL's ENVI raw output, band-sequential), read
    /// with gdal_translate: Foundation on Linux cannot inflate a PNG.
    static func pixels(_ png: URL, in folder: URL) throws -> [UInt8] {
        let raw = folder.appendingPathComponent(png.deletingPathExtension().lastPathComponent + ".raw")
        let (_, status) = try runTool(gdalTranslate, ["-q", "-of", "ENVI", png.path, raw.path])
        #expect(status == 0, "gdal_translate failed on \(png.path)")
        return Array(try Data(contentsOf: raw))
    }

    static let gdalTranslate = "/usr/bin/gdal_translate"

    static func pngSize(_ png: Data) throws -> (Int, Int) {
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let be = { (o: Int) in png[o..<(o + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (be(16), be(20))
    }

    @Test("every theme is valid XML with its layers, legend, scale bar, north arrow and notes", arguments: MapTheme.allCases)
    func theme(_ theme: MapTheme) throws {
        let (_, scene) = try Self.sample
        var options = MapOptions()
        options.theme = theme
        let svg = try DistrictMap.render(scene, options)
        let root = try Self.xml(svg)
        for id in ["map", "zones", "zone-labels", "legends", "scale-bar", "north-arrow", "notes"] {
            #expect(try Self.nodes(root, "//*[@id='\(id)']").count == 1, "\(theme): no #\(id)")
        }
        let labels = Set(try Self.nodes(root, "//*[@id='zone-labels']/*").map { $0.stringValue ?? "" })
        for z in scene.zones where z.kind != .district { #expect(labels.contains(z.name), "\(theme): no label \(z.name)") }
        #expect(try Self.nodes(root, "//*[@id='notes']/*").map { $0.stringValue ?? "" }.joined(separator: " ").contains("EPSG:4547"))
        let legend = try Self.nodes(root, "//*[@class='legend-entry']").compactMap { $0.value("data-label") }
        switch theme {
        case .landuse:
            #expect(try Self.nodes(root, "//*[@id='parcels']/*").count == scene.parcels.count)
            #expect(legend.contains("M 工业 industrial") && legend.contains("R 居住 residential"))
        case .carriers, .space:
            let carriers = try Self.nodes(root, "//*[@id='buildings']/*[@data-carrier-type]")
            #expect(carriers.count == scene.buildings.filter { $0.carrierType != nil }.count)
            #expect(legend.contains("incubator 孵化器"))
        case .enterprises:
            #expect(try Self.nodes(root, "//*[@id='enterprises']/*").count == scene.firms.count)
        case .vacancy, .techspace:
            let cells = try Self.nodes(root, "//*[@id='choropleth']/*")
            #expect(cells.count == 10)
            #expect(legend.count >= 5)
        case .renewal:
            let old = scene.buildings.filter(\.oldIndustrial)
            #expect(legend.contains { $0.hasPrefix("old factory/warehouse (\(old.count),") })
        }
    }

    static let hasRSVG = FileManager.default.isExecutableFile(atPath: "/usr/bin/rsvg-convert")

    @Test(
        "every theme, the charts and the real Futian map rasterise with rsvg-convert at their size",
        .enabled(if: hasRSVG, "needs /usr/bin/rsvg-convert (Debian's librsvg2-bin), absent"))
    func rasterised() throws {
        let (_, scene) = try Self.sample
        for theme in MapTheme.allCases {
            var options = MapOptions()
            options.theme = theme
            let (w, h) = try Self.rasterize(try DistrictMap.render(scene, options))
            #expect(w == 800 && h == 565, "\(theme)")
        }
        _ = try Self.rasterize(Charts.trajectory(scene))
        let (w, h) = try Self.rasterize(try Self.futianLandUseSVG(), width: 1400)
        #expect(w == 1400 && h == 989)
    }

    @Test("the vacancy choropleth shows each sub-district's vacant / gross floor area, in its stated class")
    func choroplethValues() throws {
        let (_, scene) = try Self.sample
        var options = MapOptions()
        options.theme = .vacancy
        options.classification = .quantiles
        let root = try Self.xml(try DistrictMap.render(scene, options))
        #expect(try Self.nodes(root, "//*[@id='choropleth']").first?.value("data-method") == "quantiles")
        for cell in try Self.nodes(root, "//*[@id='choropleth']/*") {
            let id = cell.value("data-id")!
            let t = scene.zoneFigures[id]!
            #expect(cell.value("data-value") == formatFixed(t.vacantBuildingM2 / t.gfaM2 * 100, 2))
        }
    }

    @Test("zoomed on a zone: the inset frames the whole district")
    func zoom() throws {
        let (_, scene) = try Self.sample
        var options = MapOptions()
        options.theme = .carriers
        options.zone = "cluster-hetao-futian-bonded"
        let root = try Self.xml(try DistrictMap.render(scene, options))
        #expect(try Self.nodes(root, "//*[@id='inset']/*[@data-id='cluster-hetao-futian-bonded']").count == 1)
        // Zoomed in, the scale bar is shorter than on the district map.
        let zoomed = try Self.nodes(root, "//*[@id='scale-bar']").first!.value("data-length-m")!
        let whole = try Self.nodes(try Self.xml(try DistrictMap.render(scene, MapOptions())), "//*[@id='scale-bar']").first!
            .value("data-length-m")!
        #expect(Double(zoomed)! < Double(whole)!)
        options.zone = "nowhere"
        #expect(throws: MapError.self) { try DistrictMap.render(scene, options) }
    }

    @Test("large inputs are drawn as a density grid, keeping the file small")
    func densityGrid() throws {
        let (_, scene) = try Self.sample
        var options = MapOptions()
        options.theme = .carriers
        let full = try DistrictMap.render(scene, options)
        options.maxBuildings = 1_000
        let grid = try DistrictMap.render(scene, options)
        let root = try Self.xml(grid)
        #expect(try Self.nodes(root, "//*[@id='buildings-density']/*").count > 100)
        // Carriers are still drawn on top of the grid.
        #expect(try Self.nodes(root, "//*[@id='buildings']/*").count == scene.buildings.filter { $0.carrierType != nil }.count)
        #expect(grid.utf8.count < full.utf8.count)
    }

    @Test("charts: the plan's path, the stock, and bars that add up to each zone's tech space")
    func charts() throws {
        let (map, scene) = try Self.sample
        let trajectory = try Self.xml(Charts.trajectory(scene))
        let path = try Self.nodes(trajectory, "//*[@id='target-path']/*[@data-m2]").map { $0.value("data-m2")! }
        #expect(path == ["400000", "1000000", "1500000"])
        #expect(
            try Self.nodes(trajectory, "//*[@id='stock']/*[@data-m2]").first?.value("data-m2")
                == formatFixed(map.total.techSpaceM2, 0))
        let bars = try Self.xml(Charts.floorAreaByZone(scene))
        var perZone: [String: Double] = [:]
        for bar in try Self.nodes(bars, "//*[@id='bars']/*[@data-zone]") {
            perZone[bar.value("data-zone")!, default: 0] += Double(bar.value("data-m2")!)!
        }
        for (id, area) in perZone { #expect(abs(area - scene.zoneFigures[id]!.techSpaceM2) < 1) }
    }

    /// The sub-districts GIS/futian-real reads when present: they state no licence, so they are not shipped.
    static let futianSubdistricts = root.deletingLastPathComponent().appendingPathComponent(
        "shared/data/futian/streets/futian_streets_10_wgs84.geojson")

    static func futianLandUseSVG() throws -> String {
        let (_, scene) = try Self.scene("GIS/futian-real")
        var options = MapOptions()
        options.theme = .landuse
        return try DistrictMap.render(scene, options)
    }

    @Test("the real Futian layers: the district's shape, roads and blocks")
    func realFutian() throws {
        let svg = try Self.futianLandUseSVG()
        let root = try Self.xml(svg)
        #expect(try Self.nodes(root, "//*[@id='roads']").count == 1)
        #expect(try Self.nodes(root, "//*[@id='parcels']/*").count == 611)
    }

    /// The committed PNG once only had its size checked, which it keeps whatever it shows. Now it is
    /// compared with the committed SVG rasterised again as scripts/regenerate-maps.sh draws it
    /// (`rsvg-convert -w 1400`): the same size, and the same pixels but for text. Text is drawn in
    /// whatever fonts the machine has: here, with no CJK font installed, 1.25 % of the channel
    /// values differ (by more than 8 levels), all in rows with text. The blocks' fill made one shade
    /// greyer (#DDE3E8 → #D5D8DC) changes 3.7 %; the bar sits between, at 2.5 %.
    @Test(
        "the committed Futian land-use PNG shows the committed SVG: rasterised again, the same size and pixels but for text",
        .enabled(
            if: hasRSVG && FileManager.default.isExecutableFile(atPath: gdalTranslate),
            "needs /usr/bin/rsvg-convert (librsvg2-bin) and /usr/bin/gdal_translate (gdal-bin), absent"))
    func committedPNGIsTheSVG() throws {
        let maps = Self.root.appendingPathComponent("Maps/futian-real")
        let committed = maps.appendingPathComponent("landuse.png")
        try withTemporaryFolder("committed-png") { folder in
            let fresh = try Self.rasterize(file: maps.appendingPathComponent("landuse.svg"), width: 1400, into: folder)
            let (cw, ch) = try Self.pngSize(try Data(contentsOf: committed))
            let (fw, fh) = try Self.pngSize(try Data(contentsOf: fresh))
            #expect(cw == fw && ch == fh)
            #expect(cw == 1400)
            let a = try Self.pixels(committed, in: folder), b = try Self.pixels(fresh, in: folder)
            #expect(a.count == b.count && a.count == cw * ch * 4)
            let off = zip(a, b).filter { abs(Int($0) - Int($1)) > 8 }.count
            #expect(Double(off) < 0.025 * Double(a.count), "\(off) of \(a.count) channel values differ")
        }
    }

    @Test(
        "the real Futian layers: the 10 sub-districts named",
        .enabled(
            if: FileManager.default.fileExists(atPath: futianSubdistricts.path),
            "needs \(futianSubdistricts.path), absent (no licence stated: it is not in the repository)"))
    func realFutianSubdistricts() throws {
        let labels = try Self.nodes(try Self.xml(try Self.futianLandUseSVG()), "//*[@id='zone-labels']/*").map { $0.stringValue ?? "" }
        #expect(labels.count == 10)
        #expect(Set(labels).isSuperset(of: ["梅林街道", "香蜜湖街道", "福田街道", "华强北街道", "南园街道"]))
    }

    @Test("text is escaped and scale bars take nice lengths")
    func details() {
        #expect(SVGWriter.escape("R&D <A> \"q\"") == "R&amp;D &lt;A&gt; &quot;q&quot;")
        #expect(MapFurniture.niceLength(atMost: 2_600) == 2_000)
        #expect(MapFurniture.niceLength(atMost: 999) == 500)
        #expect(MapFurniture.niceLength(atMost: 120) == 100)
        #expect(MapFurniture.lengthLabel(2_000) == "2 km" && MapFurniture.lengthLabel(500) == "500 m")
    }
}

extension XMLElement {
    /// An attribute's value. (FoundationXML's `attribute(forName:)` misses attributes of
    /// elements in a default namespace, as every SVG element is.)
    func value(_ name: String) -> String? { attributes?.first { $0.name == name }?.stringValue }
}
