import DeconflictCore
import Foundation
import Logging
import Prometheus

/// The live picture and its conflicts.
///
/// - A fresh report is checked at once against its broad-phase neighbours in the
///   picture of the last cycle (``BroadPhase/forEachNeighbour(of:mark:_:)``), each
///   neighbour's newest state projected to the report's time.
/// - A full cycle (``runCycle(now:)``, every `cycleInterval`) rebuilds the picture and
///   broad phase from every live track projected to now, detects all pairs, clears
///   resolved conflicts and catches what the incremental check could not see (an
///   aircraft new since the last cycle, or one whose velocity changed a lot).
/// Only cross-party pairs raise conflicts; both parties get each event.
public final class LiveEngine: @unchecked Sendable {
    let config: ServerConfig
    let hub: EventHub
    let metrics: ServerMetrics
    let ids: OpaqueIDs
    let classifier: any AlertClassifier
    let detector: ConflictDetector
    let logger: Logger

    private let lock = NSLock()
    private var tracks: [String: LiveTrack] = [:]
    private var owners: [String: String] = [:]
    private var pairs: [PairKey: ActivePair] = [:]
    private var snapshot: Snapshot?

    struct Snapshot {
        let ids: [String]
        let index: [String: Int]
        let broad: BroadPhase
    }

    public init(config: ServerConfig, hub: EventHub, metrics: ServerMetrics, ids: OpaqueIDs,
                classifier: any AlertClassifier = TimeToLoSClassifier(), logger: Logger) {
        self.config = config; self.hub = hub; self.metrics = metrics; self.ids = ids
        self.classifier = classifier; self.logger = logger
        detector = ConflictDetector(parameters: config.detection)
    }

    // MARK: Ingest

    /// Applies a validated batch for `party`, all or nothing: an aircraft first reported
    /// by another party refuses the whole batch (409).
    public func ingest(_ reports: [TrackReport], party: String, received: ContinuousClock.Instant) throws(Problem) -> IngestResult {
        lock.lock(); defer { lock.unlock() }
        var foreign: [String] = []
        for r in reports {
            if let o = owners[r.aircraft], o != party, foreign.count < 20, !foreign.contains(r.aircraft) {
                foreign.append(r.aircraft)
            }
        }
        if !foreign.isEmpty {
            throw Problem.conflict("aircraft already reported by another party: \(foreign.joined(separator: ", "))",
                                   extra: ["aircraft": .array(foreign.map { .string($0) })])
        }
        var applied = 0, duplicates = 0
        var fresh: [String: Int] = [:]   // aircraft -> index in reports of its newest applied state
        for (k, r) in reports.enumerated() {
            if let t = tracks[r.aircraft], t.report.time >= r.time {
                duplicates += 1
                continue
            }
            owners[r.aircraft] = party
            tracks[r.aircraft] = LiveTrack(state: r.state, report: r, party: party, received: received)
            fresh[r.aircraft] = k
            applied += 1
        }
        metrics.reportsAccepted.increment(by: Int64(applied))
        metrics.reportsDuplicate.increment(by: Int64(duplicates))
        if let snap = snapshot, !fresh.isEmpty { checkIncrementally(Array(fresh.keys), snap, received: received) }
        return IngestResult(accepted: reports.count, applied: applied, duplicates: duplicates)
    }

    /// Lock held. Each fresh aircraft against its neighbours in the last cycle's broad phase.
    private func checkIncrementally(_ fresh: [String], _ snap: Snapshot, received: ContinuousClock.Instant) {
        var mark = [Int32](repeating: -1, count: snap.ids.count)
        for ac in fresh {
            guard let i = snap.index[ac], let me = tracks[ac] else { continue }
            snap.broad.forEachNeighbour(of: i, mark: &mark) { j in
                guard let other = tracks[snap.ids[j]], other.party != me.party else { return }
                let o = other.state.projected(by: me.state.time - other.state.time)
                guard let g = StateBased.evaluate(me.state, o, parameters: config.detection) else { return }
                raise(me, other, g, received: received)
            }
        }
    }

    /// Lock held. A cross-party pair found in conflict: new, or its level changed → events.
    private func raise(_ x: LiveTrack, _ y: LiveTrack, _ g: PairGeometry, received: ContinuousClock.Instant?) {
        let key = PairKey(x.state.id, y.state.id)
        let (ta, tb) = key.a == x.state.id ? (x, y) : (y, x)
        let level = classifier.level(tin: max(0, g.tin), los: g.los)
        let reportTime = max(x.report.time, y.report.time)
        if var p = pairs[key] {
            let previous = p.level
            p.geometry = g; p.level = level; p.reportTime = reportTime
            pairs[key] = p
            if previous != level { emit(ta, tb, p, previous: previous, state: "update", received: received) }
        } else {
            let p = ActivePair(level: level, geometry: g, partyA: ta.party, partyB: tb.party,
                               since: reportTime, reportTime: reportTime)
            pairs[key] = p
            emit(ta, tb, p, previous: 0, state: "new", received: received)
        }
    }

    /// Lock held. Tells both parties, each from its own side.
    private func emit(_ a: LiveTrack, _ b: LiveTrack, _ p: ActivePair, previous: Int, state: String,
                      received: ContinuousClock.Instant?) {
        for (own, other) in [(a, b), (b, a)] {
            let view = ConflictView(own: own.state.id, intruder: ids.id(party: other.party, aircraft: other.state.id),
                                    pair: p, level: p.level, state: state)
            let trigger = received == nil ? "cycle" : "report"
            hub.publish(to: own.party, type: "conflict") { view.json(type: "conflict", cursor: $0, previous: nil, trigger: trigger) }
            if previous != p.level {
                hub.publish(to: own.party, type: "alert", received: received) {
                    view.json(type: "alert", cursor: $0, previous: previous, trigger: trigger)
                }
            }
        }
    }

    // MARK: Cycle

    /// One full cycle at wall-clock `now` (epoch seconds).
    public func runCycle(now: Double) {
        let started = ContinuousClock.now
        lock.lock(); defer { lock.unlock() }
        // Drop tracks too old to stand for an aircraft.
        let cutoff = now - config.maxTrackAge
        if tracks.values.contains(where: { $0.report.time < cutoff }) {
            tracks = tracks.filter { $0.value.report.time >= cutoff }
        }
        let live = tracks.values.sorted { $0.state.id < $1.state.id }
        let states = live.map { $0.state.projected(by: max(0, now - $0.state.time)) }
        let picture = TrafficPicture(states)
        let broad = BroadPhase(picture, config.detection)
        var index: [String: Int] = [:]
        index.reserveCapacity(states.count)
        for (k, s) in states.enumerated() { index[s.id] = k }
        snapshot = Snapshot(ids: picture.ids, index: index, broad: broad)
        // Full detection (the broad phase above is rebuilt inside; cheap next to the pair tests).
        let found = detector.detect(picture)
        var seen = Set<PairKey>()
        for c in found where live[c.a].party != live[c.b].party {
            let g = PairGeometry(tcpa: c.tcpa, dcpa: c.dcpa, tin: c.tin, tout: c.tout, los: c.los,
                                 distance: c.distance, verticalSeparation: c.verticalSeparation)
            var x = live[c.a], y = live[c.b]
            x.state = states[c.a]; y.state = states[c.b]
            seen.insert(PairKey(x.state.id, y.state.id))
            raise(x, y, g, received: nil)
        }
        for (key, p) in pairs where !seen.contains(key) {
            pairs[key] = nil
            var cleared = p; cleared.level = 0
            for (own, ownParty, other, otherParty) in [(key.a, p.partyA, key.b, p.partyB), (key.b, p.partyB, key.a, p.partyA)] {
                let view = ConflictView(own: own, intruder: ids.id(party: otherParty, aircraft: other),
                                        pair: cleared, level: 0, state: "resolved")
                hub.publish(to: ownParty, type: "conflict") { view.json(type: "conflict", cursor: $0, previous: nil) }
                hub.publish(to: ownParty, type: "alert") { view.json(type: "alert", cursor: $0, previous: p.level) }
            }
        }
        metrics.liveAircraft.set(Double(tracks.count))
        metrics.activeConflicts.set(Double(pairs.count))
        if config.streamTracks { publishVicinity(live: live, states: states) }
        metrics.cycleSeconds.recordInterval(since: started)
    }

    /// Lock held. One `track` event per party with an open stream: the other parties'
    /// aircraft in its vicinity, by opaque id.
    private func publishVicinity(live: [LiveTrack], states: [AircraftState]) {
        let parties = Set(live.map(\.party)).filter { hub.hasSubscribers($0) }
        if parties.isEmpty { return }
        let grid = VicinityGrid(lat: states.map(\.lat), lon: states.map(\.lon),
                                altFt: states.map { $0.altFt ?? Units.toFt($0.alt) },
                                radiusNM: config.vicinityNM, heightFt: config.vicinityFt)
        for party in parties {
            var visible = Set<Int>()
            for (k, t) in live.enumerated() where t.party == party {
                let s = states[k]
                grid.near(lat: s.lat, lon: s.lon, altFt: s.altFt ?? Units.toFt(s.alt)) { j in
                    if live[j].party != party { visible.insert(j) }
                }
            }
            let items = visible.sorted().map { TrafficView.foreign(live[$0], opaque: ids.id(party: live[$0].party, aircraft: live[$0].state.id)) }
            let json = (try? String(decoding: JSONEncoder.sorted.encode(items), as: UTF8.self)) ?? "[]"
            hub.publish(to: party, type: "track") { #"{"type":"track","cursor":\#($0),"tracks":\#(json)}"# }
        }
    }

    // MARK: Reads

    /// The caller's own aircraft in full, and others' within the vicinity of its own.
    public func traffic(for party: String) -> [TrafficView] {
        let live: [LiveTrack] = lock.withLock { Array(tracks.values) }
        let own = live.filter { $0.party == party }
        let others = live.filter { $0.party != party }
        var out = own.sorted { $0.state.id < $1.state.id }.map { TrafficView.own($0) }
        if !own.isEmpty && !others.isEmpty {
            let grid = VicinityGrid(lat: others.map(\.report.lat), lon: others.map(\.report.lon),
                                    altFt: others.map(\.report.alt_ft),
                                    radiusNM: config.vicinityNM, heightFt: config.vicinityFt)
            var visible = Set<Int>()
            for t in own { grid.near(lat: t.report.lat, lon: t.report.lon, altFt: t.report.alt_ft) { visible.insert($0) } }
            out += visible.map { TrafficView.foreign(others[$0], opaque: ids.id(party: others[$0].party, aircraft: others[$0].state.id)) }
                .sorted { $0.id < $1.id }
        }
        return out
    }

    /// Conflicts now in force that involve the caller, from its side.
    public func conflicts(for party: String) -> [ConflictView] {
        lock.withLock {
            var out: [ConflictView] = []
            for (key, p) in pairs {
                if p.partyA == party {
                    out.append(ConflictView(own: key.a, intruder: ids.id(party: p.partyB, aircraft: key.b), pair: p, level: p.level, state: "active"))
                }
                if p.partyB == party {
                    out.append(ConflictView(own: key.b, intruder: ids.id(party: p.partyA, aircraft: key.a), pair: p, level: p.level, state: "active"))
                }
            }
            return out.sorted { ($0.own, $0.intruder) < ($1.own, $1.intruder) }
        }
    }

    public var aircraftCount: Int { lock.withLock { tracks.count } }

    // MARK: Persistence

    struct Saved: Codable {
        var owners: [String: String]
        var tracks: [SavedTrack]
    }
    struct SavedTrack: Codable {
        var party: String
        var report: TrackReport
    }

    /// Everything acknowledged, for the data directory at shutdown.
    func saved() -> Saved {
        lock.withLock {
            Saved(owners: owners, tracks: tracks.values.map { SavedTrack(party: $0.party, report: $0.report) })
        }
    }

    func restore(_ s: Saved) {
        lock.withLock {
            owners = s.owners
            let now = ContinuousClock.now
            for t in s.tracks {
                tracks[t.report.aircraft] = LiveTrack(state: t.report.state, report: t.report, party: t.party, received: now)
            }
        }
    }
}

extension DurationHistogram {
    func recordInterval(since start: ContinuousClock.Instant) {
        record(ContinuousClock.now - start)
    }
}
