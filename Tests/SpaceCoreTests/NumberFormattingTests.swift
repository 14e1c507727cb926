import Foundation
import SpaceCore
import Testing
import TestSupport

@Suite("Numbers as reports print them")
struct NumberFormattingTests {
    @Test("grouped thousands, rounded half away from zero", arguments: [
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

    @Test("a real number stays real in text: 1576 m² is written 1576.0 where readers type fields by value", arguments: [
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
        let streamed = Artifact("summary.json", stream: { sink in
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
