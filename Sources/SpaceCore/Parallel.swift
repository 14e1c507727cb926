import Dispatch
import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Runs a closure over a range on all cores, keeping results in order; the first error (by
/// position) wins, so a failing run reports the same record whatever the scheduling.
public enum ParallelMap {
    /// Number of worker threads (all cores); `SPACEPLAN_THREADS` overrides it.
    public static let workerCount: Int = {
        if let value = getenv("SPACEPLAN_THREADS"), let n = Int(String(cString: value)), n > 0 { return n }
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }()

    public static func map<T>(_ range: Range<Int>, chunk: Int = 256, _ body: (Int) throws -> T) throws -> [T] {
        try mapPartitioned(range, chunk: chunk, setup: { () }) { _, i in try body(i) }
    }

    /// Like `map`, but each chunk first builds a context of its own (a PROJ transformer,
    /// prepared geometries…): objects that must not be shared between threads.
    public static func mapPartitioned<T, Context>(
        _ range: Range<Int>, chunk requestedChunk: Int? = nil,
        setup: () throws -> Context, _ body: (inout Context, Int) throws -> T
    ) throws -> [T] {
        let n = range.count
        if n == 0 { return [] }
        let workers = workerCount
        // Default: a few chunks per worker, so setup is paid rarely and load stays balanced.
        let chunk = max(1, requestedChunk ?? (n + workers * 4 - 1) / (workers * 4))
        if workers == 1 || n <= chunk {
            var context = try setup()
            return try range.map { try body(&context, $0) }
        }
        // Each chunk initialises its own slots of the result in place: no optional slots and no
        // second, serial pass to unwrap (and retain and release) them all.
        let firstError = FirstError()
        let chunks = (n + chunk - 1) / chunk
        let done = UnsafeMutableBufferPointer<Int>.allocate(capacity: chunks)
        done.initialize(repeating: 0)
        defer { done.deallocate() }
        let results = withoutActuallyEscaping(setup) { setup in
            withoutActuallyEscaping(body) { body in
                [T](unsafeUninitializedCapacity: n) { buffer, initialized in
                    let shared = UncheckedSendable((out: buffer, done: done, setup: setup, body: body))
                    DispatchQueue.concurrentPerform(iterations: chunks) { c in
                        let (out, done, setup, body) = shared.value
                        let start = c * chunk, end = min(start + chunk, n)
                        var k = start
                        do {
                            var context = try setup()
                            while k < end {
                                (out.baseAddress! + k).initialize(to: try body(&context, range.lowerBound + k))
                                k += 1
                            }
                        } catch {
                            firstError.record(k, error)
                        }
                        done[c] = k - start
                    }
                    if firstError.error != nil {
                        // Give back what the chunks made before the failure; the array stays empty.
                        for c in 0..<chunks { (buffer.baseAddress! + c * chunk).deinitialize(count: done[c]) }
                        initialized = 0
                    } else {
                        initialized = n
                    }
                }
            }
        }
        if let error = firstError.error { throw error }
        return results
    }
}

extension ParallelMap {
    /// Runs each task on a thread of its own and waits for all of them. Tasks run this way
    /// still use every core in their own `map` calls; nested inside `concurrentPerform`, those
    /// calls would get one thread each (libdispatch gives a nested apply no extra width).
    public static func sideBySide(_ tasks: [@Sendable () -> Void]) {
        let group = DispatchGroup()
        for task in tasks {
            group.enter()
            let thread = Thread {
                task()
                group.leave()
            }
            thread.stackSize = 8 << 20  // as the main thread's: GEOS recurses on complex polygons
            thread.start()
        }
        group.wait()
    }
}

extension ParallelMap {
    /// Two tasks side by side, each on a thread of its own, and both results; an error of the
    /// first task wins over one of the second.
    /// (The tasks escape: the threads that ran them may release them after the join.)
    public static func sideBySide<A, B>(_ first: @escaping () throws -> A, _ second: @escaping () throws -> B) throws -> (A, B) {
        let a = ResultBox<A>(), b = ResultBox<B>()
        let tasks = UncheckedSendable((first, second))
        sideBySide([
            { a.result = Result { try tasks.value.0() } },
            { b.result = Result { try tasks.value.1() } },
        ])
        return (try a.result!.get(), try b.result!.get())
    }
}

extension ParallelMap {
    /// One array made in parts side by side, each part on a thread of its own writing its own
    /// slots in place (no part arrays grown and joined): part `p` hands exactly `counts[p]`
    /// elements, in order, to the `emit` it is given. A part that hands more or fewer is an
    /// error; the first failing part's error wins, and what was made is given back.
    public static func filled<T>(counts: [Int], _ part: @escaping (Int, (T) throws -> Void) throws -> Void) throws -> [T] {
        let total = counts.reduce(0, +)
        let starts = counts.indices.map { p in counts[..<p].reduce(0, +) }
        let made = UnsafeMutableBufferPointer<Int>.allocate(capacity: counts.count)
        made.initialize(repeating: 0)
        defer { made.deallocate() }
        let errors = counts.indices.map { _ in ResultBox<Void>() }
        let result = [T](unsafeUninitializedCapacity: total) { buffer, initialized in
            let shared = UncheckedSendable((buffer: buffer, made: made, part: part))
            sideBySide(
                counts.indices.map { p in
                    { @Sendable in
                        let (buffer, made, part) = shared.value
                        errors[p].result = Result {
                            try part(p) { element in
                                guard made[p] < counts[p] else { throw PartCountError(part: p, expected: counts[p], more: true) }
                                (buffer.baseAddress! + starts[p] + made[p]).initialize(to: element)
                                made[p] += 1
                            }
                            guard made[p] == counts[p] else { throw PartCountError(part: p, expected: counts[p], more: false) }
                        }
                    }
                })
            if errors.contains(where: { (try? $0.result?.get()) == nil }) {
                for p in counts.indices { (buffer.baseAddress! + starts[p]).deinitialize(count: made[p]) }
                initialized = 0
            } else {
                initialized = total
            }
        }
        for box in errors { try box.result?.get() }
        return result
    }
}

/// A part of `ParallelMap.filled` that handed more or fewer elements than it was to.
public struct PartCountError: Error, CustomStringConvertible {
    public let part: Int
    public let expected: Int
    public let more: Bool
    public var description: String { "part \(part) gave \(more ? "more" : "fewer") than its \(expected) elements" }
}

/// One task's result, written by its thread and read once every thread has finished.
private final class ResultBox<T>: @unchecked Sendable {  // safe: one thread writes it before the join, the caller reads it after
    var result: Result<T, Error>?
}

/// The error of the lowest failing position, whichever worker reports first.
final class FirstError: @unchecked Sendable {  // safe: every access goes through the mutex
    private let lock = Mutex()
    private var first: (index: Int, error: Error)?
    func record(_ index: Int, _ error: Error) {
        lock.locked { if first == nil || index < first!.index { first = (index, error) } }
    }
    var error: Error? { lock.locked { first?.error } }
}

/// Hands values that are not `Sendable` to the workers of one parallel map.
struct UncheckedSendable<Value>: @unchecked Sendable {  // safe: workers write disjoint slots and only read the closures' captures
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// A plain pthread mutex for short critical sections.
public final class Mutex: @unchecked Sendable {  // safe: the pthread mutex serialises every access
    private var mutex = pthread_mutex_t()
    public init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    public func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
