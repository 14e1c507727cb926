/// The colours of `StyleSpecification.standard` by their old names, for the maps that do not
/// yet take a specification (unit, parcel, allocation and scenario maps). The colours
/// themselves are written once, in the specification.
public enum Palette {
    static var style: StyleSpecification { .standard }

    public static func landUse(_ useClass: String) -> String { style.landUseColour(useClass) }

    public static var landUseLegend: [(code: String, label: String)] { style.landUse.classes.map { ($0.code, $0.label) } }

    public static func carrierType(_ type: String) -> String { style.carrierColour(type) }

    public static var otherBuilding: String { style.buildings.other }
    public static var oldIndustrial: String { style.buildings.oldIndustrial }

    /// Categorical colours for sectors, in the order of the sector list.
    public static var categorical: [String] { style.enterprises.sectorColours }

    /// ColorBrewer sequential ramps (7 classes), sampled evenly for fewer classes.
    public static var yellowOrangeRed: [String] { style.ramps.yellowOrangeRed }
    public static var bluePurple: [String] { style.ramps.bluePurple }

    public static func ramp(_ colours: [String], classes k: Int) -> [String] { StyleSpecification.ramp(colours, classes: k) }

    public static let fontFamily =
        "'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei','PingFang SC','Microsoft YaHei','Heiti SC',sans-serif"
}
