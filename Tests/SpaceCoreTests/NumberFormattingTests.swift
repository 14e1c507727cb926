import Foundation
import SpaceCore
import Testing
import TestSupport

@Suite("Numbers as reports print them")
struct NumberFormattingTests {
    @Test(
        "grouped thousands, rounded half away from zero",
        arguments: [
            (1_234_567.8, "1,234,568"), (-1_234.5, "-1,235"), (999.4, "999"), (0, "0"), (1_000_000, "1,000,000"),
        ])
    func groupedThousands(value: Double, text: String) {
        #expect(grouped(value) == text)
    }

    @Test("not-finite and absurd values print without trapping")
    func absurdValues() {
        #expect(grouped(.nan) == "–")
        #expect(grouped(.infinity) == "–")
        let huge = grouped(1e20)
        #expect(huge == "100,000,000,000,000,000,000")
        #expect(percent(.nan) == "–")
        #expect(percent(0.4071) == "40.7 %")
    }

    @Test(
        "a real number stays real in text: 1576 m² is written 1576.0 where readers type fields by value",
        arguments: [
            (1_576.0, "1576.0"), (1_576.56, "1576.56"), (0.0, "0.0"), (-2.0, "-2.0"), (Double.nan, "null"),
        ])
    func realsKeepAPoint(value: Double, text: String) {
        var buffer = TextBuffer()
        buffer.appendReal(value, 2)
        #expect(buffer.text == text)
    }
}

@Suite("Artifacts")
struct ArtifactTests {
    @Test("a streamed artifact gives the same bytes as its text, under any folder")
    func streamedAndText() throws {
        let text = Artifact("summary.json", text: "{\"a\":1}\n")
        let streamed = Artifact(
            "summary.json",
            stream: { sink in
                try sink.write("{\"a\":")
                var buffer = TextBuffer()
                buffer.appendInteger(1)
                try sink.write(buffer)
                try sink.write("}\n")
            })
        #expect(try text.bytes() == streamed.bytes())
        #expect(try streamed.text() == "{\"a\":1}\n")
        #expect(streamed.inFolder("maps").path == "maps/summary.json")
        #expect(Artifact("maps/space.svg", text: "").mediaType == "image/svg+xml")
        #expect(Artifact("space-map.geojson", text: "").mediaType == "application/geo+json")
    }

    @Test("SplitMix64 gives the same sequence for a seed")
    func seededRandom() {
        var a = SeededRandom(seed: 7), b = SeededRandom(seed: 7)
        let first = (0..<5).map { _ in a.next() }
        #expect(first == (0..<5).map { _ in b.next() })
        var c = SeededRandom(seed: 0)
        // SplitMix64's published first output for seed 0.
        #expect(c.next() == 0xE220_A839_7B1D_CDAF)
    }
}

@Suite("Number formatting")
struct FormattingTests {
    @Test(
        "fixed-point text rounds half away from zero and trims trailing zeros",
        arguments: [
            (114.0186323, 7, "114.0186323"), (2490000.0, 2, "2490000"), (-0.5, 3, "-0.5"), (0.000_000_04, 7, "0"),
            (-0.000_000_06, 7, "-0.0000001"), (1.005, 1, "1"), (22.5, 0, "23"), (3.14159, 2, "3.14"), (1e20, 2, "100000000000000000000.00"),
        ])
    func fixed(value: Double, decimals: Int, expected: String) {
        #expect(formatFixed(value, decimals) == expected)
        var buffer = TextBuffer()
        buffer.appendFixed(value, decimals)
        #expect(buffer.text == expected)
    }

    @Test("the byte writer's numbers, strings and CSV fields are the String writers' text")
    func textBuffer() {
        var state: UInt64 = 7
        for k in 0..<50_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let value = (Double(state >> 11) / Double(1 << 53) - 0.5) * pow(10, Double(k % 12))
            var buffer = TextBuffer()
            buffer.appendFixed(value, k % 9)
            #expect(buffer.text == formatFixed(value, k % 9))
        }
        var buffer = TextBuffer()
        buffer.appendInteger(-120); buffer.append(" "); buffer.appendInteger(0)
        buffer.append(" "); buffer.appendJSONString("福田 \"x\"\n"); buffer.append(" "); buffer.appendCSVField("a,\"b\"")
        var json = ""
        appendJSONString("福田 \"x\"\n", to: &json)
        #expect(buffer.text == "-120 0 \(json) \"a,\"\"b\"\"\"")
    }
}
