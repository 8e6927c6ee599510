import Dispatch

/// State-based conflict detection over a whole traffic picture: the broad phase picks
/// candidate pairs, the exact pair test (``StateBased``) decides, and the work is spread
/// over the machine's cores. Deterministic: the result is sorted by the pair's ids.
public struct ConflictDetector: Sendable {
    public var parameters: DetectionParameters
    /// Worker threads; defaults to the number of online processors.
    public var threads: Int

    public init(parameters: DetectionParameters = .classic, threads: Int? = nil) {
        self.parameters = parameters
        self.threads = max(1, threads ?? Self.processorCount)
    }

    public static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Every unordered pair in conflict, each once, with `ids[a] < ids[b]`, sorted by (a, b) ids.
    public func detect(_ states: [AircraftState]) -> [Conflict] {
        detect(TrafficPicture(states))
    }

    public func detect(_ picture: TrafficPicture) -> [Conflict] {
        if picture.count < 2 { return [] }
        return detect(picture, broadPhase: BroadPhase(picture, parameters)).conflicts
    }

    /// Detection on a broad phase whose reach covers classic detection (a ``Cycle``'s covers
    /// alerting too). `test(i, j)`: whether to test a candidate pair at all (nil: every pair);
    /// `collect(i, j)`: candidate pairs for which it holds are returned besides (the cycle's
    /// alerting candidates), each once, `i < j`. Conflicts sorted by (a, b) ids.
    public func detect(_ picture: TrafficPicture, broadPhase broad: BroadPhase,
                       test: (@Sendable (Int, Int) -> Bool)? = nil,
                       collect: (@Sendable (Int, Int) -> Bool)? = nil) -> (conflicts: [Conflict], collected: [(Int32, Int32)]) {
        let n = picture.count
        if n < 2 { return ([], []) }
        let p = parameters
        let workers = n < 512 ? 1 : threads
        let results = ResultSlots(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var mark = [Int32](repeating: -1, count: n)
            var found: [Conflict] = []
            var hits: [(Int32, Int32, PairGeometry)] = []
            var kept: [(Int32, Int32)] = []
            mark.withUnsafeMutableBufferPointer { mk in
                picture.withBuffers { pb in
                    broad.withScanner { scanner in
                        var i = w
                        while i < n {
                            scanner.forEachCandidate(of: i, mark: mk) { j in
                                if let test, !test(i, j) { return }
                                if let g = pb.evaluate(i, j, p) {
                                    hits.append((Int32(truncatingIfNeeded: i), Int32(truncatingIfNeeded: j), g))
                                }
                                if let collect, collect(i, j) {
                                    kept.append((Int32(truncatingIfNeeded: i), Int32(truncatingIfNeeded: j)))
                                }
                            }
                            i += workers
                        }
                    }
                }
            }
            for (i, j, g) in hits { found.append(Self.conflict(picture, Int(i), Int(j), g)) }
            results.set(w, found, kept)
        }
        var all = results.joined()
        all.sort { l, r in
            let la = picture.ids[l.a], ra = picture.ids[r.a]
            return la != ra ? la < ra : picture.ids[l.b] < picture.ids[r.b]
        }
        return (all, results.collected())
    }

    /// The conflicts of one aircraft against all others (an incremental check of a fresh
    /// report), using a broad phase built for the picture. Ordered as `detect`.
    public func conflicts(of i: Int, in picture: TrafficPicture, broadPhase: BroadPhase) -> [Conflict] {
        var mark = [Int32](repeating: -1, count: picture.count)
        var found: [Conflict] = []
        broadPhase.forEachNeighbour(of: i, mark: &mark) { j in
            if let g = picture.evaluate(i, j, parameters) {
                found.append(Self.conflict(picture, i, j, g))
            }
        }
        return found
    }

    /// Every pair by brute force: n² exact tests. The reference the broad phase is tested against.
    public func detectBruteForce(_ picture: TrafficPicture) -> [Conflict] {
        var all: [Conflict] = []
        for i in 0..<picture.count {
            for j in (i + 1)..<max(i + 1, picture.count) {
                if let g = picture.evaluate(i, j, parameters) { all.append(Self.conflict(picture, i, j, g)) }
            }
        }
        all.sort { l, r in
            let la = picture.ids[l.a], ra = picture.ids[r.a]
            return la != ra ? la < ra : picture.ids[l.b] < picture.ids[r.b]
        }
        return all
    }

    static func conflict(_ t: TrafficPicture, _ i: Int, _ j: Int, _ g: PairGeometry) -> Conflict {
        let (a, b) = t.ids[i] < t.ids[j] ? (i, j) : (j, i)
        return Conflict(a: a, b: b, tcpa: g.tcpa, dcpa: g.dcpa, tin: max(0, g.tin), tout: g.tout,
                        los: g.los, distance: g.distance, verticalSeparation: g.verticalSeparation)
    }
}

/// One result slot per worker, written once each from `concurrentPerform`.
final class ResultSlots: @unchecked Sendable {
    private var slots: [[Conflict]]
    private var pairs: [[(Int32, Int32)]]
    private let lock = Lock()
    init(count: Int) { slots = Array(repeating: [], count: count); pairs = Array(repeating: [], count: count) }
    func set(_ i: Int, _ v: [Conflict], _ p: [(Int32, Int32)]) { lock.withLock { slots[i] = v; pairs[i] = p } }
    func joined() -> [Conflict] { lock.withLock { slots.flatMap { $0 } } }
    func collected() -> [(Int32, Int32)] { lock.withLock { pairs.flatMap { $0 } } }
}

/// A small mutex over pthreads (the core has no Foundation).
public final class Lock: @unchecked Sendable {
    private let m: UnsafeMutablePointer<pthread_mutex_t>
    public init() {
        m = .allocate(capacity: 1)
        m.initialize(to: pthread_mutex_t())
        pthread_mutex_init(m, nil)
    }
    deinit { pthread_mutex_destroy(m); m.deallocate() }
    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(m); defer { pthread_mutex_unlock(m) }
        return try body()
    }
}
