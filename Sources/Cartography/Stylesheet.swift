/// The one stylesheet of every map and chart. A page's kind (the root `<svg>`'s class) picks
/// its title size: district maps are read from across a room, charts sit in a report's column.
public enum Stylesheet {
    public enum Page: String, Sendable {
        case map, chart, unit
    }

    static let css =
        "text{font-family:\(Palette.fontFamily);fill:#222}.title{font-size:26px;font-weight:bold}.subtitle{font-size:15px;fill:#555}"
        + ".heading{font-size:15px;font-weight:bold}.label{font-size:14px;font-weight:bold}.small{font-size:12px}.figure{font-size:13px}"
        + ".axis{font-size:12px;fill:#444}.zone-label{font-size:15px;font-weight:bold;paint-order:stroke;stroke:#fff;stroke-width:3px}"
        + ".chart .title{font-size:22px}.chart .subtitle{font-size:14px}.unit .title{font-size:24px}.unit .subtitle{font-size:14px}"
}
