/// Colours planners expect. Land use follows the conventional Chinese planning palette
/// (GB/T 50137 map colours): residential yellows, commercial reds, industrial purples,
/// warehouses violet, public pink, green spaces green, utilities and transport greys and blues.
public enum Palette {
    public static func landUse(_ useClass: String) -> String {
        switch useClass {
        case "R": return "#F7DC6F"
        case "C": return "#E74C3C"
        case "M": return "#8E44AD"
        case "W": return "#C39BD3"
        case "GIC": return "#F5B7B1"
        case "U": return "#85A9C9"
        case "S": return "#BFC5CA"
        case "G": return "#58B368"
        case "E": return "#DDE3E8"
        default: return "#E5E7E9"
        }
    }

    public static let landUseLegend: [(code: String, label: String)] = [
        ("M", "M 工业 industrial"), ("W", "W 仓储 warehouse"), ("C", "C 商业 commercial"), ("R", "R 居住 residential"),
        ("GIC", "GIC 公共 public"), ("U", "U 公用设施 utilities"), ("S", "S 交通 transport"), ("G", "G 绿地 green"), ("E", "E 其他 other"),
    ]

    public static func carrierType(_ type: String) -> String {
        switch type {
        case "maker_space": return "#F39C12"
        case "incubator": return "#E74C3C"
        case "accelerator": return "#8E44AD"
        case "park": return "#27AE60"
        case "silicon_building": return "#2E86C1"
        default: return "#D5D8DC"
        }
    }

    public static let otherBuilding = "#D5D8DC"
    public static let oldIndustrial = "#C0392B"

    /// Tableau-like categorical colours for sectors, in the order of the sector list.
    public static let categorical = ["#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948",
                                     "#B07AA1", "#FF9DA7", "#9C755F", "#BAB0AC", "#17BECF", "#7F7F7F"]

    /// ColorBrewer sequential ramps (7 classes), sampled evenly for fewer classes.
    public static let yellowOrangeRed = ["#FFFFB2", "#FED976", "#FEB24C", "#FD8D3C", "#FC4E2A", "#E31A1C", "#B10026"]
    public static let bluePurple = ["#EDF8FB", "#BFD3E6", "#9EBCDA", "#8C96C6", "#8C6BB1", "#88419D", "#6E016B"]

    public static func ramp(_ colours: [String], classes k: Int) -> [String] {
        guard k > 1 else { return [colours[colours.count / 2]] }
        return (0..<k).map { colours[Int((Double($0) * Double(colours.count - 1) / Double(k - 1)).rounded())] }
    }

    public static let fontFamily = "'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei','PingFang SC','Microsoft YaHei','Heiti SC',sans-serif"
}
