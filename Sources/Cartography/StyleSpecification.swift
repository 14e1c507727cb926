import SpaceCore

/// The one style of the district's maps: what each theme shows and how every layer, symbol and
/// chart is coloured and sized. The SVG maps and charts draw from it, and the workbench serves
/// it (GET /api/style) so that its page draws the same colours without a copy of them.
public struct StyleSpecification: Codable, Sendable, Equatable {
    /// A stroke: colour, width in pixels and an SVG dash pattern ("6 4"), or none for a solid line.
    public struct Stroke: Codable, Sendable, Equatable {
        public var colour: String
        public var width: Double
        public var dash: String?
        public init(_ colour: String, width: Double, dash: String? = nil) { self.colour = colour; self.width = width; self.dash = dash }
    }

    /// A category and its colour: a land-use class, a carrier type, a sector.
    public struct Category: Codable, Sendable, Equatable {
        public var code: String
        public var label: String
        public var colour: String
        public init(code: String, label: String, colour: String) { self.code = code; self.label = label; self.colour = colour }
    }

    /// How a theme colours the buildings.
    public enum BuildingColouring: String, Codable, Sendable, CaseIterable {
        /// By carrier type; other buildings in the neutral colour.
        case carriers
        /// All alike in a pale grey, as context a planner can still click: the interactive map
        /// draws them, the SVG map leaves them out (it has nothing to click).
        case faint
        /// Old industrial stock highlighted, other buildings neutral.
        case renewal
        /// Not drawn.
        case none
    }

    /// What a theme shows, layer by layer, in the order the SVG map draws them.
    public struct Theme: Codable, Sendable, Equatable {
        public struct Parcels: Codable, Sendable, Equatable {
            public var opacity: Double
            /// Whether the land-use classes are listed in the legend (not when they are only a base).
            public var legend: Bool
        }
        public struct Enterprises: Codable, Sendable, Equatable {
            /// Above the firm limit: a density grid of employees (true), or a note pointing to the
            /// enterprises theme (false: the firms would hide the layers below them).
            public var densityGrid: Bool
        }
        public struct Choropleth: Codable, Sendable, Equatable {
            /// The sub-districts' value: `vacancy_rate` (vacant / gross floor area, %) or `tech_space` (m²).
            public var measure: String
            public var unit: String
            /// The legend's heading, before "(method, k classes)".
            public var legendTitle: String
            /// The sequential ramp the classes sample (see `StyleSpecification.ramp`).
            public var ramp: [String]
        }
        public var id: String
        public var title: String
        /// The land-use base and its fill opacity, or nil when the theme draws no parcels.
        public var parcels: Parcels?
        public var roads: Bool
        public var buildings: BuildingColouring
        /// With more footprints than the map draws: a floor-area density grid under the highlighted buildings.
        public var buildingDensityBase: Bool
        public var enterprises: Enterprises?
        public var choropleth: Choropleth?
        /// The layer whose legend is the theme's own: parcels, buildings, enterprises or choropleth.
        public var legendLayer: String
    }

    public struct LandUse: Codable, Sendable, Equatable {
        public var title: String
        /// In legend order.
        public var classes: [Category]
        /// Any other class.
        public var other: String
        public var outline: Stroke
        /// The legend's entry for the dominant-use grid drawn when there are too many parcels.
        public var gridSwatch: String
    }

    public struct Buildings: Codable, Sendable, Equatable {
        public var title: String
        public var carrierTypes: [Category]
        /// A carrier type not in the list.
        public var unknownCarrierType: String
        public var other: String
        public var otherLabel: String
        public var oldIndustrial: String
        public var oldIndustrialLabel: String
        public var faint: String
        public var outline: Stroke
        /// Footprints too small to see become circles of this radius (px), outlined.
        public var symbolRadius: Double
        public var symbolOutline: Stroke
        /// A building picked on the interactive map.
        public var selected: Stroke
    }

    /// Circle area proportional to employees: radius = max(minimum, factor × √employees), at
    /// least one employee counted.
    public struct RadiusRule: Codable, Sendable, Equatable {
        public var rule: String
        public var factor: Double
        public var minimum: Double
        public func radius(_ employees: Int) -> Double { max(minimum, factor * Double(max(1, employees)).squareRoot()) }
    }

    public struct Enterprises: Codable, Sendable, Equatable {
        public var title: String
        /// Sectors take these colours in the order of the sector list, repeating after the last.
        public var sectorColours: [String]
        /// The district's sectors with their colours (empty in the standard specification).
        public var sectors: [Category]
        /// A sector not in the list.
        public var unknownSector: String
        public var fillOpacity: Double
        public var outline: Stroke
        public var radius: RadiusRule
        /// The legend's sector swatch radius and its size examples (employees).
        public var legendRadius: Double
        public var legendSizes: [Int]
        public var sizeSwatch: String
        /// The legend's entry when the firms are too many for the space map.
        public var hiddenSwatch: String
    }

    /// Sums per cell of about 8 px, classed by quantiles.
    public struct Densities: Codable, Sendable, Equatable {
        public var floorArea: [String]
        public var employees: [String]
    }

    public struct Ramps: Codable, Sendable, Equatable {
        /// ColorBrewer YlOrRd and BuPu, 7 classes, sampled evenly for fewer (`StyleSpecification.ramp`).
        public var yellowOrangeRed: [String]
        public var bluePurple: [String]
    }

    public struct Zones: Codable, Sendable, Equatable {
        public var title: String
        public var district: Stroke
        public var subdistrict: Stroke
        public var cluster: Stroke
        public var subdistrictLabel: String
        public var clusterLabel: String
        public var districtFill: String
        /// The interactive map's light wash over a sub-district (the SVG map leaves them unfilled).
        public var subdistrictFill: String
        public var subdistrictLegend: String
        public var clusterLegend: String
        /// The choropleths' sub-district outline and the colour of a sub-district without a value.
        public var choroplethOutline: Stroke
        public var noValue: String
        public var noValueLabel: String
    }

    public struct Roads: Codable, Sendable, Equatable {
        public var stroke: Stroke
    }

    /// The plan's path against the stock: the trajectory chart and the page's strip.
    public struct Trajectory: Codable, Sendable, Equatable {
        public var target: Stroke
        public var targetMarkerRadius: Double
        public var stock: String
        public var stockMarkerRadius: Double
        public var stockLegendRadius: Double
        public var alternativeBaseline: String
        public var alternativeBaselineSize: Double
        public var grid: String
        /// Supply scenarios and the target programme drawn over the path, in turn.
        public var series: [String]
        public var seriesWidth: Double
        public var seriesDash: String
    }

    /// The interactive map's own symbols, over the themes.
    public struct Symbols: Codable, Sendable, Equatable {
        /// A carrier with placed firms: radius = max(minimum, √m² let × factor).
        public var allocation: String
        public var allocationRadius: RadiusRule
        public var allocationOutline: Stroke
        /// A carrier as a symbol at district scale.
        public var carrierRadius: Double
        public var carrierOutline: Stroke
        /// Renewal units: passing all checks or not.
        public var renewalPass: String
        public var renewalFail: String
        public var renewalUnitStroke: Stroke
        /// The target programme's buildings and the one selected.
        public var targetOutline: Stroke
        public var targetSelected: Stroke
        /// A programme mode the rules do not list.
        public var unknownMode: String
    }

    /// The frame, scale bar, north arrow, legend boxes and inset of a map.
    public struct Furniture: Codable, Sendable, Equatable {
        public var background: String
        public var ink: String
        public var paper: String
        public var frame: String
        /// Legend boxes without their own outline, legend lines, circles' outline.
        public var legendBox: Stroke
        public var legendLineWidth: Double
        public var legendSymbolStroke: Stroke
        public var insetDistrict: String
        public var insetOutline: Stroke
        public var insetFocus: String
        public var insetFocusOutline: Stroke
    }

    /// A renewal unit's before and after maps.
    public struct RenewalUnitMap: Codable, Sendable, Equatable {
        /// R&D buildings' colour; the other uses take their land-use class's.
        public var rndUse: String
        public var parcelOpacity: Double
        public var parcelOutline: Stroke
        public var buildingWidth: Double
        /// Buildings around the unit, faded, and those in it, outlined.
        public var aroundOpacity: Double
        public var aroundOutline: String
        public var unitBuilding: Stroke
        /// Demolished buildings (after), outlined and dashed.
        public var demolished: Stroke
        /// The new floor area's hatching: its fill opacity and line width.
        public var newBuildOpacity: Double
        public var newBuildLineWidth: Double
        public var firmOutline: Stroke
        public var displacedFirm: String
        public var displacedFirmRadius: Double
        public var stayingFirm: String
        public var stayingFirmRadius: Double
        public var unit: Stroke
        public var otherUnit: Stroke
        /// The carrier the unit becomes: a star of this radius (px).
        public var carrierOutline: Stroke
        public var carrierRadius: Double
    }

    /// The supply scenarios chart: the plan's path and its milestones, the scenarios' lines.
    public struct ScenarioChart: Codable, Sendable, Equatable {
        public var planPath: Stroke
        public var milestoneFill: String
        public var milestoneOutline: Stroke
        public var milestoneRadius: Double
        /// Scenarios take the sector colours in turn.
        public var scenarioWidth: Double
        public var scenarioMarkerRadius: Double
    }

    /// Charts over time (the stock by period, the simulation's fan and ladder): bands of a
    /// spread, the rung that jams, and the ladder's cells classed by occupancy.
    public struct TimeChart: Codable, Sendable, Equatable {
        public var bandOpacity: Double
        public var lineWidth: Double
        public var jamOutline: Stroke
        /// The ladder grid's cells by occupancy (five classes, 0–100 %).
        public var occupancyRamp: [String]
        public var lost: String
        public var cellOutline: Stroke
    }

    /// The allocation map: a ring per carrier (area ∝ vacant space), filled by the space let.
    public struct AllocationMap: Codable, Sendable, Equatable {
        public var ringFill: String
        public var ringOpacity: Double
        public var ringWidth: Double
        public var largestRingRadius: Double
        public var smallestRingRadius: Double
        public var smallestFillRadius: Double
        public var legendRadius: Double
        public var sizeLegendStroke: String
    }

    public var themes: [Theme]
    public var landUse: LandUse
    public var buildings: Buildings
    public var enterprises: Enterprises
    public var densities: Densities
    public var ramps: Ramps
    public var zones: Zones
    public var roads: Roads
    public var trajectory: Trajectory
    public var symbols: Symbols
    public var furniture: Furniture
    public var renewalUnitMap: RenewalUnitMap
    public var scenarioChart: ScenarioChart
    public var allocationMap: AllocationMap
    public var timeChart: TimeChart

    public func theme(_ theme: MapTheme) -> Theme { themes.first { $0.id == theme.rawValue }! }

    public func landUseColour(_ useClass: String) -> String { landUse.classes.first { $0.code == useClass }?.colour ?? landUse.other }
    public func carrierColour(_ type: String) -> String {
        buildings.carrierTypes.first { $0.code == type }?.colour ?? buildings.unknownCarrierType
    }
    /// The colour of the `index`-th sector of a list.
    public func sectorColour(at index: Int) -> String { enterprises.sectorColours[index % enterprises.sectorColours.count] }

    /// `k` colours sampled evenly from a ramp, its ends included; its middle for one class.
    public static func ramp(_ colours: [String], classes k: Int) -> [String] {
        guard k > 1 else { return [colours[colours.count / 2]] }
        return (0..<k).map { colours[Int((Double($0) * Double(colours.count - 1) / Double(k - 1)).rounded())] }
    }

    /// This specification with a district's carrier types (labels from the data's vocabulary)
    /// and sectors (in legend order) named and coloured.
    public func naming(carrierTypes: [MapScene.Category], sectors: [String]) -> StyleSpecification {
        var style = self
        style.buildings.carrierTypes = carrierTypes.map { Category(code: $0.code, label: $0.label, colour: carrierColour($0.code)) }
        style.enterprises.sectors = sectors.enumerated().map { Category(code: $1, label: $1, colour: sectorColour(at: $0)) }
        return style
    }

    /// The style every map is drawn in.
    public static let standard: StyleSpecification = {
        let yellowOrangeRed = ["#FFFFB2", "#FED976", "#FEB24C", "#FD8D3C", "#FC4E2A", "#E31A1C", "#B10026"]
        let bluePurple = ["#EDF8FB", "#BFD3E6", "#9EBCDA", "#8C96C6", "#8C6BB1", "#88419D", "#6E016B"]
        let employees = ramp(yellowOrangeRed, classes: 5)
        func theme(
            _ t: MapTheme, parcels: Double? = nil, parcelLegend: Bool = true, roads: Bool = true, buildings: BuildingColouring = .none,
            densityBase: Bool = true, enterprises: Bool? = nil, choropleth: Theme.Choropleth? = nil, legend: String
        ) -> Theme {
            Theme(
                id: t.rawValue, title: t.title, parcels: parcels.map { Theme.Parcels(opacity: $0, legend: parcelLegend) }, roads: roads,
                buildings: buildings, buildingDensityBase: densityBase, enterprises: enterprises.map { Theme.Enterprises(densityGrid: $0) },
                choropleth: choropleth, legendLayer: legend)
        }
        return StyleSpecification(
            themes: [
                // At district scale on a large district the land-use grid is the base: no second grid over it.
                theme(.space, parcels: 0.45, buildings: .carriers, densityBase: false, enterprises: false, legend: "buildings"),
                theme(.landuse, parcels: 0.9, legend: "parcels"),
                theme(.carriers, buildings: .carriers, legend: "buildings"),
                theme(.enterprises, buildings: .faint, enterprises: true, legend: "enterprises"),
                theme(
                    .vacancy, roads: false, buildings: .faint,
                    choropleth: .init(measure: "vacancy_rate", unit: "%", legendTitle: "Vacant / gross floor area", ramp: yellowOrangeRed),
                    legend: "choropleth"),
                theme(
                    .techspace, roads: false, buildings: .faint,
                    choropleth: .init(measure: "tech_space", unit: "m²", legendTitle: "Tech-cultivation space", ramp: bluePurple),
                    legend: "choropleth"),
                theme(.renewal, parcels: 0.25, parcelLegend: false, buildings: .renewal, legend: "buildings"),
            ],
            // The conventional Chinese planning palette (GB/T 50137 map colours): residential yellows,
            // commercial reds, industrial purples, warehouses violet, public pink, green spaces green,
            // utilities and transport greys and blues.
            landUse: LandUse(
                title: "Land use 用地",
                classes: [
                    Category(code: "M", label: "M 工业 industrial", colour: "#8E44AD"), Category(code: "W", label: "W 仓储 warehouse", colour: "#C39BD3"),
                    Category(code: "C", label: "C 商业 commercial", colour: "#E74C3C"),
                    Category(code: "R", label: "R 居住 residential", colour: "#F7DC6F"),
                    Category(code: "GIC", label: "GIC 公共 public", colour: "#F5B7B1"),
                    Category(code: "U", label: "U 公用设施 utilities", colour: "#85A9C9"),
                    Category(code: "S", label: "S 交通 transport", colour: "#BFC5CA"), Category(code: "G", label: "G 绿地 green", colour: "#58B368"),
                    Category(code: "E", label: "E 其他 other", colour: "#DDE3E8"),
                ], other: "#E5E7E9", outline: Stroke("#FFFFFF", width: 0.3), gridSwatch: "#FFFFFF"),
            buildings: Buildings(
                title: "Buildings 建筑",
                carrierTypes: [
                    Category(code: "maker_space", label: "maker_space", colour: "#F39C12"),
                    Category(code: "incubator", label: "incubator", colour: "#E74C3C"),
                    Category(code: "accelerator", label: "accelerator", colour: "#8E44AD"), Category(code: "park", label: "park", colour: "#27AE60"),
                    Category(code: "silicon_building", label: "silicon_building", colour: "#2E86C1"),
                ],
                unknownCarrierType: "#D5D8DC", other: "#D5D8DC", otherLabel: "other building 其他建筑",
                oldIndustrial: "#C0392B", oldIndustrialLabel: "old factory/warehouse", faint: "#E5E8E8",
                outline: Stroke("#5D6D7E", width: 0.2), symbolRadius: 2.6, symbolOutline: Stroke("#FFFFFF", width: 0.4),
                selected: Stroke("#C0392B", width: 2.5)),
            enterprises: Enterprises(
                title: "Enterprises 企业",
                // Tableau-like categorical colours.
                sectorColours: [
                    "#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948",
                    "#B07AA1", "#FF9DA7", "#9C755F", "#BAB0AC", "#17BECF", "#7F7F7F",
                ],
                sectors: [], unknownSector: "#7F7F7F", fillOpacity: 0.75, outline: Stroke("#FFFFFF", width: 0.2),
                // 1 px radius for 10 people, 5 px for 250.
                radius: RadiusRule(rule: "max(minimum, factor * sqrt(max(1, employees)))", factor: 0.32, minimum: 0.6),
                legendRadius: 5, legendSizes: [10, 100, 1000], sizeSwatch: "#FFFFFF", hiddenSwatch: "#FFFFFF"),
            // Floor area in greys, so carriers stand out on it.
            densities: Densities(floorArea: ["#F2F3F4", "#D5D8DC", "#ABB2B9", "#808B96", "#566573"], employees: employees),
            ramps: Ramps(yellowOrangeRed: yellowOrangeRed, bluePurple: bluePurple),
            zones: Zones(
                title: "Zones 分区", district: Stroke("#1B2631", width: 2.2), subdistrict: Stroke("#2C3E50", width: 1.2),
                cluster: Stroke("#7D3C98", width: 1.8, dash: "6 4"), subdistrictLabel: "#1B2631", clusterLabel: "#6C3483",
                districtFill: "#F7F9F9", subdistrictFill: "#FFFFFF", subdistrictLegend: "sub-district 街道", clusterLegend: "innovation cluster 创新集群",
                choroplethOutline: Stroke("#FFFFFF", width: 1), noValue: "#EEEEEE", noValueLabel: "no floor area"),
            roads: Roads(stroke: Stroke("#9AA0A6", width: 0.8)),
            trajectory: Trajectory(
                target: Stroke("#2E86C1", width: 3), targetMarkerRadius: 5, stock: "#C0392B", stockMarkerRadius: 8, stockLegendRadius: 6,
                alternativeBaseline: "#F39C12", alternativeBaselineSize: 10, grid: "#E5E8E8",
                series: ["#E67E22", "#27AE60", "#8E44AD", "#C0392B", "#16A085"], seriesWidth: 1.8, seriesDash: "4 2"),
            symbols: Symbols(
                allocation: "#E67E22", allocationRadius: RadiusRule(rule: "max(minimum, factor * sqrt(allocated_m2))", factor: 1.0 / 6, minimum: 4),
                allocationOutline: Stroke("#FFFFFF", width: 1.5), carrierRadius: 4, carrierOutline: Stroke("#FFFFFF", width: 1),
                renewalPass: "#1E8449", renewalFail: "#B03A2E", renewalUnitStroke: Stroke("#1E8449", width: 2.5, dash: "5 3"),
                targetOutline: Stroke("#1B2631", width: 1), targetSelected: Stroke("#C0392B", width: 3), unknownMode: "#7F7F7F"),
            furniture: Furniture(
                background: "#FFFFFF", ink: "#333", paper: "#fff", frame: "#888", legendBox: Stroke("#555", width: 0.6), legendLineWidth: 2,
                legendSymbolStroke: Stroke("#333", width: 0.4), insetDistrict: "#F2F3F4", insetOutline: Stroke("#7F8C8D", width: 0.6),
                insetFocus: "#F5B041", insetFocusOutline: Stroke("#C0392B", width: 1.5)),
            renewalUnitMap: RenewalUnitMap(
                rndUse: "#B07CC6", parcelOpacity: 0.18, parcelOutline: Stroke("#FFFFFF", width: 0.8), buildingWidth: 0.8,
                aroundOpacity: 0.45, aroundOutline: "#FFFFFF", unitBuilding: Stroke("#641E16", width: 1.6),
                demolished: Stroke("#7F8C8D", width: 0.8, dash: "3 2"), newBuildOpacity: 0.35, newBuildLineWidth: 3,
                firmOutline: Stroke("#FFFFFF", width: 0.5), displacedFirm: "#C0392B", displacedFirmRadius: 3.2,
                stayingFirm: "#566573", stayingFirmRadius: 2.2, unit: Stroke("#111", width: 3, dash: "10 5"),
                otherUnit: Stroke("#34495E", width: 1.5, dash: "4 3"), carrierOutline: Stroke("#111", width: 1.2), carrierRadius: 14),
            scenarioChart: ScenarioChart(
                planPath: Stroke("#7F8C8D", width: 2, dash: "6 4"), milestoneFill: "#FFFFFF",
                milestoneOutline: Stroke("#2C3E50", width: 2), milestoneRadius: 6, scenarioWidth: 3, scenarioMarkerRadius: 3.5),
            allocationMap: AllocationMap(
                ringFill: "#FFFFFF", ringOpacity: 0.85, ringWidth: 1.6, largestRingRadius: 34, smallestRingRadius: 2,
                smallestFillRadius: 1.5, legendRadius: 6, sizeLegendStroke: "#555"),
            timeChart: TimeChart(
                bandOpacity: 0.22, lineWidth: 2.5, jamOutline: Stroke("#C0392B", width: 3), occupancyRamp: ["#F7FBFF", "#C6DBEF", "#6BAED6", "#2171B5", "#08306B"],
                lost: "#C0392B", cellOutline: Stroke("#FFFFFF", width: 1.5)))
    }()
}

/// A style number as SVG attributes write it: up to two decimals, trailing zeros dropped.
func styleNumber(_ x: Double) -> String { formatFixed(x, 2) }
