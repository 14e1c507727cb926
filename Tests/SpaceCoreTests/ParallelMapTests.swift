import Testing

@testable import SpaceCore

/// Counts the instances alive, so that a failed map can be shown to give back what it made.
private final class Tracked: @unchecked Sendable {  // safe: the counter is behind a mutex
    static let lock = Mutex()
    nonisolated(unsafe) static var alive = 0
    let value: Int
    init(_ value: Int) {
        self.value = value
        Self.lock.locked { Self.alive += 1 }
    }
    deinit { Self.lock.locked { Self.alive -= 1 } }
}

private struct Refused: Error { let position: Int }

@Suite("ParallelMap: results in order, the first failure by position, nothing left behind", .serialized)
struct ParallelMapTests {
    @Test("every chunk size gives the serial map's results in order, with each chunk's own context")
    func resultsInOrder() throws {
        for chunk in [1, 7, 256, 10_000] {
            let mapped = try ParallelMap.mapPartitioned(3..<5_003, chunk: chunk, setup: { [Int]() }) { seen, i in
                seen.append(i)
                // Within a chunk positions come in order: the context saw each one before.
                return "\(i):\(seen.count >= 2 ? seen[seen.count - 2] + 1 == i : true)"
            }
            #expect(mapped == (3..<5_003).map { "\($0):true" })
        }
        #expect(try ParallelMap.map(0..<0) { $0 }.isEmpty)
    }

    @Test("a failure throws the lowest failing position's error and releases every value already made")
    func failureReleasesValues() {
        #expect(Tracked.alive == 0)
        for chunk in [1, 5, 64] {
            #expect(throws: Refused(position: 311)) {
                _ = try ParallelMap.map(0..<2_000, chunk: chunk) { i -> Tracked in
                    if i == 311 || i == 1_517 { throw Refused(position: i) }
                    return Tracked(i)
                }
            }
            #expect(Tracked.alive == 0)
        }
        let kept = try? ParallelMap.map(0..<1_000, chunk: 3) { Tracked($0) }
        #expect(Tracked.alive == 1_000 && kept?.map(\.value) == Array(0..<1_000))
    }
}

@Suite("ParallelMap.sideBySide: two tasks on threads of their own")
struct SideBySideTests {
    @Test("both results come back; the first task's error wins over the second's")
    func results() throws {
        let (sum, text) = try ParallelMap.sideBySide({ (1...1_000).reduce(0, +) }, { String(repeating: "ab", count: 3) })
        #expect(sum == 500_500 && text == "ababab")
        #expect(throws: Refused(position: 1)) {
            _ = try ParallelMap.sideBySide({ () throws -> Int in throw Refused(position: 1) }, { () throws -> Int in throw Refused(position: 2) })
        }
        #expect(throws: Refused(position: 2)) { _ = try ParallelMap.sideBySide({ 7 }, { () throws -> Int in throw Refused(position: 2) }) }
    }

    @Test("filled: each part's elements in its own slots, in order; a part giving more or fewer, or failing, throws and releases what was made")
    func filled() throws {
        let counts = [3, 0, 2]
        let made = try ParallelMap.filled(counts: counts) { part, emit in
            for k in 0..<counts[part] { try emit("\(part)-\(k)") }
        }
        #expect(made == ["0-0", "0-1", "0-2", "2-0", "2-1"])

        let before = Tracked.lock.locked { Tracked.alive }
        func attempt(_ body: @escaping (Int, (Tracked) throws -> Void) throws -> Void) -> String {
            do {
                let made = try ParallelMap.filled(counts: [2, 2], body)
                return "made \(made.count)"
            } catch { return "\(error)" }
        }
        // Part 1 gives one too many, part 0 one too few: the first part's error wins.
        #expect(attempt { part, emit in for k in 0..<(part == 0 ? 1 : 3) { try emit(Tracked(k)) } } == "part 0 gave fewer than its 2 elements")
        #expect(attempt { part, emit in for k in 0..<(part == 0 ? 2 : 3) { try emit(Tracked(k)) } } == "part 1 gave more than its 2 elements")
        #expect(attempt { part, emit in
            try emit(Tracked(0))
            if part == 1 { throw Refused(position: 1) }
            try emit(Tracked(1))
        } == "Refused(position: 1)")
        #expect(Tracked.lock.locked { Tracked.alive } == before, "every element made before a failure is released")
        #expect(attempt { _, emit in for k in 0..<2 { try emit(Tracked(k)) } } == "made 4")
    }
}

extension Refused: Equatable {}
