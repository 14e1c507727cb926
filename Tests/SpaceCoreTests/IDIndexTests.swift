import Testing

@testable import SpaceCore

@Suite("IDIndex: positions and repeated ids, as a dictionary finds them")
struct IDIndexTests {
    @Test("the first position of each id, nil for an unknown one, repeats in record order naming the first")
    func positionsAndRepeats() {
        let ids = ["B-1", "B-2", "", "B-1", "业务楼-7", "B-2", "B-1", "b-1", "B-1 "]
        let index = IDIndex(ids)
        #expect(index["B-1"] == 0 && index["B-2"] == 1 && index[""] == 2 && index["业务楼-7"] == 4)
        #expect(index["b-1"] == 7 && index["B-1 "] == 8)
        #expect(index["B-3"] == nil && index["B-"] == nil && index["业务楼"] == nil)
        #expect(index.repeats.map(\.position) == [3, 5, 6] && index.repeats.map(\.first) == [0, 1, 0])
    }

    @Test("agrees with a Dictionary on 200,000 generated ids with repeats, and on ids it does not hold")
    func agreesWithDictionary() {
        var generator = SystemRandomNumberGenerator()
        let ids = (0..<200_000).map { _ in "F\(Int.random(in: 0..<150_000, using: &generator))" }
        var first: [String: Int] = [:]
        var repeats: [(Int, Int)] = []
        for (i, id) in ids.enumerated() {
            if let earlier = first[id] { repeats.append((i, earlier)) } else { first[id] = i }
        }
        let index = IDIndex(ids)
        #expect(index.repeats.count == repeats.count && repeats.count > 0)
        #expect(zip(index.repeats, repeats).allSatisfy { $0.position == $1.0 && $0.first == $1.1 })
        #expect(first.allSatisfy { index[$0.key] == $0.value })
        #expect((150_000..<150_100).allSatisfy { index["F\($0)"] == nil })
    }

    @Test("an empty layer holds nothing")
    func empty() {
        let index = IDIndex([])
        #expect(index["x"] == nil && index.repeats.isEmpty)
    }

    @Test("a word's position in a short list, as firstIndex(of:) finds it")
    func wordPositions() {
        let words = ["id", "name", "sector", "green_low_carbon", "名称", "", "name"]
        for word in words + ["Name", "secto", "green_low_carbon ", "x"] {
            #expect(words.position(ofWord: word) == words.firstIndex(of: word), "\(word)")
        }
        #expect(words.position(ofWord: "name") == 1 && words.position(ofWord: "名称") == 4 && words.position(ofWord: "nam") == nil)
    }
}
