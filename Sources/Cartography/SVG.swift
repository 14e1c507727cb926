import SpaceCore

/// A small SVG writer: elements with escaped attributes and text, one `<g>` per layer.
public struct SVGWriter {
    public private(set) var text = ""
    private var open: [String] = []

    public init(width: Double, height: Double, title: String, page: Stylesheet.Page) {
        text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        text +=
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"\(page.rawValue)\" width=\"\(fmt(width))\" height=\"\(fmt(height))\" viewBox=\"0 0 \(fmt(width)) \(fmt(height))\">\n"
        element("title", [:], text: title)
        text += "  <style>\(Stylesheet.css)</style>\n"
    }

    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // Control characters are not allowed in XML 1.0.
            case let c where c.value < 0x20 && c != "\n" && c != "\t": continue
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    private func attributes(_ attrs: KeyValuePairs<String, String>) -> String {
        attrs.map { " \($0.key)=\"\(SVGWriter.escape($0.value))\"" }.joined()
    }

    public mutating func openGroup(_ attrs: KeyValuePairs<String, String>) {
        text += String(repeating: "  ", count: open.count + 1) + "<g\(attributes(attrs))>\n"
        open.append("g")
    }

    public mutating func closeGroup() {
        open.removeLast()
        text += String(repeating: "  ", count: open.count + 1) + "</g>\n"
    }

    public mutating func element(_ name: String, _ attrs: KeyValuePairs<String, String>, text content: String? = nil) {
        text += String(repeating: "  ", count: open.count + 1) + "<\(name)\(attributes(attrs))"
        if let content { text += ">\(SVGWriter.escape(content))</\(name)>\n" } else { text += "/>\n" }
    }

    /// Raw, already-escaped markup (e.g. a `<style>` or `<defs>` block).
    public mutating func raw(_ markup: String) { text += markup }

    public mutating func finish() -> String {
        while !open.isEmpty { closeGroup() }
        text += "</svg>\n"
        return text
    }
}

/// Pixel numbers with one decimal at most: a map 1,600 px wide needs no more, and file size
/// then grows with features, not with digits.
public func fmt(_ x: Double) -> String { formatFixed(x, 1) }

/// Maps projected metres (x east, y north) to SVG pixels (y down) inside a frame.
public struct Viewport: Sendable {
    public let world: Envelope
    public let frame: (x: Double, y: Double, width: Double, height: Double)
    public let metresPerPixel: Double
    private let offsetX: Double, offsetY: Double

    /// Fits `world` into the frame keeping its proportions, centred.
    public init(world: Envelope, frame: (x: Double, y: Double, width: Double, height: Double)) {
        self.world = world
        self.frame = frame
        let w = max(world.width, 1e-9), h = max(world.height, 1e-9)
        metresPerPixel = max(w / frame.width, h / frame.height)
        offsetX = frame.x + (frame.width - w / metresPerPixel) / 2
        offsetY = frame.y + (frame.height - h / metresPerPixel) / 2
    }

    public func point(_ c: Coordinate) -> (x: Double, y: Double) {
        (offsetX + (c.x - world.minX) / metresPerPixel, offsetY + (world.maxY - c.y) / metresPerPixel)
    }

    /// SVG path data for rings (each closed with Z).
    public func path(_ rings: [[Coordinate]]) -> String {
        rings.map { ring in
            let d = linePath(ring)
            return d.isEmpty ? d : d + "Z"
        }.joined()
    }

    /// SVG path data for a line; consecutive points that round to the same pixel are merged.
    public func linePath(_ line: [Coordinate]) -> String {
        var d = "", last = ""
        for c in line {
            let p = point(c)
            let here = "\(fmt(p.x)) \(fmt(p.y))"
            if here == last { continue }
            d += (d.isEmpty ? "M" : "L") + here
            last = here
        }
        return d
    }

    /// Path data for any shape: polygons closed, lines open.
    public func path(_ shape: Shape) -> String {
        switch shape {
        case let .polygon(rings): return path(rings)
        case let .multiPolygon(parts): return parts.map { path($0) }.joined()
        case let .lineString(line): return linePath(line)
        case let .multiLineString(lines): return lines.map(linePath).joined()
        case let .collection(members): return members.map(path).joined()
        case .point, .multiPoint: return ""
        }
    }
}
