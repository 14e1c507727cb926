import SpaceCore

/// Scale bar, north arrow, legend and notes: what makes a drawing a map.
enum MapFurniture {
    /// The figures a map prints in its side panel from `y` down, and the CRS and source note at its foot.
    static func figuresAndNote(_ svg: inout SVGWriter, _ figures: [String], scene: MapScene, x: Double, y start: Double) {
        var y = start
        svg.openGroup(["id": "figures"])
        for line in figures.flatMap({ wrap($0, width: 46) }) {
            svg.element("text", ["x": fmt(x), "y": fmt(y), "class": "figure"], text: line)
            y += 18
        }
        svg.closeGroup()
        let note = "CRS: \(scene.crsLabel). Data: \(scene.title)\(scene.synthetic ? " (synthetic, not real records)" : ""). Drawn by spaceplan."
        for (k, line) in wrap(note, width: 48).enumerated() {
            svg.element("text", ["x": fmt(x), "y": fmt(1000 + Double(k) * 16), "class": "small"], text: line)
        }
    }

    /// The longest "nice" length (1, 2 or 5 × 10ⁿ metres) that fits in `maxMetres`.
    static func niceLength(atMost maxMetres: Double) -> Double {
        guard maxMetres > 0 else { return 1 }
        var exponent = pow(10, floor(log10(maxMetres)))
        while true {
            for factor in [5.0, 2.0, 1.0] where factor * exponent <= maxMetres { return factor * exponent }
            exponent /= 10
        }
    }

    static func lengthLabel(_ metres: Double) -> String {
        metres >= 1000 ? "\(formatFixed(metres / 1000, 1)) km" : "\(formatFixed(metres, 0)) m"
    }

    static func scaleBar(_ svg: inout SVGWriter, viewport: Viewport, x: Double, y: Double, maxWidth: Double) {
        let metres = niceLength(atMost: maxWidth * viewport.metresPerPixel)
        let width = metres / viewport.metresPerPixel
        let f = StyleSpecification.standard.furniture
        svg.openGroup(["id": "scale-bar", "data-length-m": formatFixed(metres, 3)])
        svg.element("rect", ["x": fmt(x), "y": fmt(y), "width": fmt(width / 2), "height": "6", "fill": f.ink])
        svg.element("rect", ["x": fmt(x + width / 2), "y": fmt(y), "width": fmt(width / 2), "height": "6", "fill": f.paper, "stroke": f.ink])
        svg.element("text", ["x": fmt(x), "y": fmt(y + 22), "class": "small"], text: "0")
        svg.element("text", ["x": fmt(x + width), "y": fmt(y + 22), "class": "small", "text-anchor": "middle"], text: lengthLabel(metres))
        svg.closeGroup()
    }

    static func northArrow(_ svg: inout SVGWriter, x: Double, y: Double) {
        svg.openGroup(["id": "north-arrow"])
        svg.element(
            "path",
            [
                "d": "M\(fmt(x)) \(fmt(y))L\(fmt(x - 10)) \(fmt(y + 30))L\(fmt(x)) \(fmt(y + 22))L\(fmt(x + 10)) \(fmt(y + 30))Z",
                "fill": StyleSpecification.standard.furniture.ink,
            ])
        svg.element("text", ["x": fmt(x), "y": fmt(y - 6), "text-anchor": "middle", "class": "label"], text: "N")
        svg.closeGroup()
    }

    typealias LegendEntry = Cartography.LegendEntry

    /// Draws the legend and returns the y below it.
    @discardableResult
    static func legend(_ svg: inout SVGWriter, title: String, entries: [LegendEntry], x: Double, y: Double) -> Double {
        let f = StyleSpecification.standard.furniture
        svg.openGroup(["id": "legend"])
        svg.element("text", ["x": fmt(x), "y": fmt(y), "class": "heading"], text: title)
        var row = y + 12
        for entry in entries {
            svg.openGroup(["class": "legend-entry", "data-label": entry.label])
            switch entry.symbol {
            case let .box(fill, stroke):
                svg.element(
                    "rect",
                    [
                        "x": fmt(x), "y": fmt(row), "width": "22", "height": "14", "fill": fill, "stroke": stroke ?? f.legendBox.colour,
                        "stroke-width": styleNumber(f.legendBox.width),
                    ])
            case let .line(stroke, dash):
                svg.element(
                    "line",
                    [
                        "x1": fmt(x), "y1": fmt(row + 7), "x2": fmt(x + 22), "y2": fmt(row + 7), "stroke": stroke,
                        "stroke-width": styleNumber(f.legendLineWidth), "stroke-dasharray": dash ?? "none",
                    ])
            case let .circle(fill, radius):
                svg.element(
                    "circle",
                    [
                        "cx": fmt(x + 11), "cy": fmt(row + 7), "r": fmt(radius), "fill": fill, "stroke": f.legendSymbolStroke.colour,
                        "stroke-width": styleNumber(f.legendSymbolStroke.width),
                    ])
            }
            svg.element("text", ["x": fmt(x + 30), "y": fmt(row + 12), "class": "small"], text: entry.label)
            svg.closeGroup()
            row += 20
        }
        svg.closeGroup()
        return row + 6
    }

    /// Wraps a note to lines of about `width` characters.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if line.count + word.count + 1 > width, !line.isEmpty { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}

#if canImport(Glibc)
    import Glibc
#endif
