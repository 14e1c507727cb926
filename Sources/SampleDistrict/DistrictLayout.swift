import SpaceCore
import SpaceGeometry

/// The zones of the synthetic district: named as in the plan, laid out in the relative
/// positions they have in Futian (河套 in the south, 梅林 in the north…), scaled to its size.
struct DistrictLayout {
    struct Rect {
        var minX, minY, maxX, maxY: Double
        var ring: [Coordinate] {
            [Coordinate(minX, minY), Coordinate(maxX, minY), Coordinate(maxX, maxY), Coordinate(minX, maxY), Coordinate(minX, minY)]
        }
        func contains(_ x: Double, _ y: Double) -> Bool { x >= minX && x <= maxX && y >= minY && y <= maxY }
        /// A sub-rectangle given as fractions of this one.
        func part(_ fx0: Double, _ fy0: Double, _ fx1: Double, _ fy1: Double) -> Rect {
            Rect(
                minX: minX + (maxX - minX) * fx0, minY: minY + (maxY - minY) * fy0,
                maxX: minX + (maxX - minX) * fx1, maxY: minY + (maxY - minY) * fy1)
        }
    }

    struct NamedZone {
        let id, name, kind: String
        let code: String?
        let rect: Rect
    }

    /// Sub-districts as a 5 × 2 grid (west to east, south row then north row).
    static let subdistricts: [(code: String, name: String)] = [
        ("440304010", "福保街道"), ("440304005", "沙头街道"), ("440304004", "福田街道"), ("440304001", "南园街道"), ("440304011", "华强北街道"),
        ("440304006", "香蜜湖街道"), ("440304008", "莲花街道"), ("440304009", "华富街道"), ("440304002", "园岭街道"), ("440304007", "梅林街道"),
    ]

    /// Clusters as fractions of the district (x0, y0, x1, y1).
    static let clusters: [(id: String, name: String, box: (Double, Double, Double, Double))] = [
        ("cluster-hetao-futian-bonded", "河套–福保", (0.02, 0.0, 0.30, 0.22)),
        ("cluster-huaqiangbei-shangbu", "华强北–上步", (0.74, 0.20, 0.98, 0.45)),
        ("cluster-chegongmiao-tianan", "车公庙–天安", (0.08, 0.28, 0.34, 0.50)),
        ("cluster-meilin-caitian", "梅林–彩田", (0.45, 0.78, 0.80, 1.0)),
        ("cluster-bagualing", "八卦岭", (0.80, 0.55, 0.98, 0.78)),
    ]

    let district: Rect
    let zones: [NamedZone]

    init(district: Rect) {
        self.district = district
        var zones = [NamedZone(id: "440304", name: "福田区 (synthetic)", kind: "district", code: "440304", rect: district)]
        for (k, s) in DistrictLayout.subdistricts.enumerated() {
            let col = Double(k % 5), row = Double(k / 5)
            zones.append(
                NamedZone(
                    id: s.code, name: s.name, kind: "subdistrict", code: s.code,
                    rect: district.part(col / 5, row / 2, (col + 1) / 5, (row + 1) / 2)))
        }
        for c in DistrictLayout.clusters {
            zones.append(
                NamedZone(
                    id: c.id, name: c.name, kind: "cluster", code: nil,
                    rect: district.part(c.box.0, c.box.1, c.box.2, c.box.3)))
        }
        self.zones = zones
    }

    /// Whether a point lies in one of the innovation clusters (more industrial land there).
    func inCluster(_ x: Double, _ y: Double) -> Bool {
        zones.contains { $0.kind == "cluster" && $0.rect.contains(x, y) }
    }
}
