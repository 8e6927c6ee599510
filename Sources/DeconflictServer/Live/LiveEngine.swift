import DeconflictCore
import Foundation
import Logging
import Prometheus

/// The live picture and its conflicts.
///
/// - A fresh report is checked at once against its broad-phase neighbours in the picture
///   of the last cycle — the neighbours of where it is NOW (``BroadPhase/forEachNeighbour(of:mark:tag:_:)``
///   with its new state), each neighbour's newest state projected to the report's time —
///   unless it agrees with the cycle's prediction for it (then its results are known; the
///   next cycle refreshes them). New aircraft and manoeuvres are checked at once.
/// - A full cycle (``runCycle(now:)``, every `cycleInterval`) rebuilds the picture and
///   broad phase from every live track projected to now, detects all pairs, clears
///   resolved conflicts, assesses DO-365 levels of every cross-party pair, and catches what
///   the incremental check left (reports within tolerance of the prediction; pairs whose
///   other aircraft appeared after the last cycle).
/// - Conflicts are the classic state-based ones (``ServerConfig/detection``, 5 NM / 1000 ft /
///   300 s); alert levels are DO-365's (``ServerConfig/alerter``, Phase I by default) with
///   the M-of-N / hysteresis / persistence filter per pair (``AlertEngine``), fed by both the
///   incremental checks and the cycles. A pair is open while it is a conflict or holds a level.
/// Only cross-party pairs raise conflicts; both parties get each event.
public final class LiveEngine: @unchecked Sendable {
    let config: ServerConfig
    let hub: EventHub
    let metrics: ServerMetrics
    let ids: OpaqueIDs
    let detector: ConflictDetector
    let logger: Logger

    private let lock = NSLock()
    private var tracks: [String: LiveTrack] = [:]
    private var owners: [String: String] = [:]
    private var pairs: [PairKey: ActivePair] = [:]
    private var snapshot: Snapshot?
    /// DO-365 levels and the filter state of every pair (under `alertLock`; taken inside
    /// `lock` by incremental checks, alone by the cycle — never the other way round).
    private var alerting: AlertEngine
    private let alertLock = NSLock()
    /// Pair updates so far (lock held): a pair's `generation` says when it last changed.
    private var updates: UInt64 = 0

    struct Snapshot {
        let ids: [String]
        let index: [String: Int]
        let broad: BroadPhase
        /// Each aircraft's state as the cycle used it (projected to the cycle's time).
        let states: [AircraftState]
        /// Each aircraft's party, as a small integer (same-party neighbours are skipped cheaply).
        let party: [Int32]
        let partyIndex: [String: Int32]
    }

    /// A fresh report that agrees with the cycle's prediction for its aircraft (its last state
    /// projected to the report's time) within these tolerances changes no pair result by more
    /// than they do, so it is not re-checked at once (the next cycle sees it). Anything else —
    /// a new aircraft, a manoeuvre, a jump — is checked against its neighbours at once.
    static let agreeHorizontal = 0.05 * 1_852.0   // m
    static let agreeVertical = 50 * 0.3048         // m
    static let agreeSpeed = 2 * 1_852.0 / 3_600    // m/s, each velocity component
    static let agreeVerticalSpeed = 100 * 0.3048 / 60  // m/s

    static func agrees(_ predicted: AircraftState, _ s: AircraftState) -> Bool {
        let dLat = Units.rad(s.lat - predicted.lat) * Units.earthRadius
        var dl = s.lon - predicted.lon
        if dl > 180 { dl -= 360 } else if dl < -180 { dl += 360 }
        let dLon = Units.rad(dl) * Units.earthRadius * cos(Units.rad(s.lat))
        guard dLat * dLat + dLon * dLon <= agreeHorizontal * agreeHorizontal,
              abs(s.alt - predicted.alt) <= agreeVertical,
              abs(s.vs - predicted.vs) <= agreeVerticalSpeed else { return false }
        let (ta, tb) = (Units.rad(s.trk), Units.rad(predicted.trk))
        let dvx = s.gs * sin(ta) - predicted.gs * sin(tb), dvy = s.gs * cos(ta) - predicted.gs * cos(tb)
        return abs(dvx) <= agreeSpeed && abs(dvy) <= agreeSpeed
    }

    public init(config: ServerConfig, hub: EventHub, metrics: ServerMetrics, ids: OpaqueIDs, logger: Logger) {
        self.config = config; self.hub = hub; self.metrics = metrics; self.ids = ids
        self.logger = logger
        detector = ConflictDetector(parameters: config.detection, threads: config.detectionThreads)
        alerting = AlertEngine(alerter: config.alerter)
    }

    // MARK: Ingest

    /// Applies a validated batch for `party`, all or nothing: an aircraft first reported
    /// by another party refuses the whole batch (409).
    ///
    /// The ownership check (and the claim of the batch's new aircraft) is one locked step, so
    /// the batch is refused or taken whole; the reports are then applied in chunks of
    /// ``ingestChunk``, each its own locked step with its incremental checks, so that a big
    /// batch does not hold up a small one (a conflict-making report) for long.
    public func ingest(_ reports: [TrackReport], party: String, received: ContinuousClock.Instant) throws(Problem) -> IngestResult {
        do {
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
            for r in reports where owners[r.aircraft] == nil { owners[r.aircraft] = party }
        }
        var applied = 0, duplicates = 0
        var start = 0
        while start < reports.count {
            let end = min(reports.count, start + Self.ingestChunk)
            lock.withLock {
                var fresh: [String: LiveTrack] = [:]   // aircraft -> its newest applied state
                for r in reports[start..<end] {
                    let opaque: String
                    if let t = tracks[r.aircraft] {
                        if t.report.time >= r.time { duplicates += 1; continue }
                        opaque = t.opaque
                    } else {
                        opaque = ids.id(party: party, aircraft: r.aircraft)
                    }
                    let t = LiveTrack(state: r.state, report: r, party: party, received: received, opaque: opaque)
                    tracks[r.aircraft] = t
                    fresh[r.aircraft] = t
                    applied += 1
                }
                if let snap = snapshot, !fresh.isEmpty { checkIncrementally(Array(fresh.values), snap, received: received) }
            }
            start = end
        }
        metrics.reportsAccepted.increment(by: Int64(applied))
        metrics.reportsDuplicate.increment(by: Int64(duplicates))
        return IngestResult(accepted: reports.count, applied: applied, duplicates: duplicates)
    }

    /// Reports applied per locked step.
    static let ingestChunk = 512

    /// Lock held. Each fresh aircraft against its neighbours in the last cycle's broad phase.
    /// The classic test projects the neighbour to the report's time; the DO-365 assessment
    /// (only for pairs in classic conflict or already open: DO-365's volumes lie well inside
    /// the classic 5 NM / 1000 ft / 300 s ones, and the cycle assesses every pair anyway)
    /// projects both to the wall clock, as the cycle does, so the pair's filter sees one clock.
    private func checkIncrementally(_ fresh: [LiveTrack], _ snap: Snapshot, received: ContinuousClock.Instant) {
        var mark = [Int32](repeating: -1, count: snap.ids.count)
        let now = Date().timeIntervalSince1970
        let cycleTime = snap.states.first?.time ?? now
        for (k, me) in fresh.enumerated() {
            let slot = snap.index[me.state.id]
            if let i = slot, Self.agrees(snap.states[i].projected(by: me.state.time - snap.states[i].time), me.state) {
                metrics.incrementalSkipped.increment()
                continue
            }
            metrics.incrementalChecked.increment()
            let meNow = me.state.projected(by: max(0, now - me.state.time))
            let myParty = snap.partyIndex[me.party] ?? -1
            let check = { (j: Int) in
                guard j != slot, snap.party[j] != myParty, let other = self.tracks[snap.ids[j]], other.party != me.party else { return }
                let o = other.state.projected(by: me.state.time - other.state.time)
                let g = StateBased.evaluate(me.state, o, parameters: self.config.detection)
                let key = PairKey(me.state.id, other.state.id)
                guard g != nil || self.pairs[key] != nil else { return }
                let otherNow = other.state.projected(by: max(0, now - other.state.time))
                // Never wait for the cycle's DO-365 step (tens of ms with 10,000 aircraft) while
                // holding the engine lock: if it is running, this pair's level is left as it is
                // (that step is assessing it now; M-of-N needs two samples anyway).
                if self.alertLock.try() {
                    let a = self.alerting.assess(meNow, otherNow, time: now)
                    self.alertLock.unlock()
                    self.update(me, other, g, alert: a, received: received)
                } else {
                    self.update(me, other, g, alert: nil, keepLevel: true, received: received)
                }
            }
            // Neighbours of the NEW state (where it is now, not where the cycle had it), its
            // box taken at the cycle's time like the others'.
            let atCycle = me.state.projected(by: cycleTime - me.state.time)
            if !snap.broad.forEachNeighbour(of: atCycle, mark: &mark, tag: Int32(k), check) {
                for j in snap.ids.indices { check(j) }   // faster than anything in the picture
            }
        }
    }

    /// Lock held. A cross-party pair just checked: `g` its classic conflict (nil: none), `alert`
    /// its DO-365 assessment (nil: no level, no filter state). Opens the pair when either
    /// holds; updates an open pair's level (a drop to 0 while still a conflict is an update;
    /// closing is the cycle's job) → events when new or the level changed.
    /// `keepLevel`: the pair was not assessed (keep its level and time to violation).
    private func update(_ x: LiveTrack, _ y: LiveTrack, _ g: PairGeometry?,
                        alert: (level: Int, rawLevel: Int, relative: RelativeState)?, keepLevel: Bool = false,
                        received: ContinuousClock.Instant?) {
        let key = PairKey(x.state.id, y.state.id)
        let existing = pairs[key]
        let level = keepLevel ? existing?.level ?? 0 : alert?.level ?? 0
        guard existing != nil || g != nil || level > 0 else { return }
        let (ta, tb) = key.a == x.state.id ? (x, y) : (y, x)
        let reportTime = max(x.report.time, y.report.time)
        let ttv = keepLevel ? existing?.timeToViolation
            : level > 0 ? alert.map { config.alerter.timeToViolation(level: level, $0.relative) } : nil
        let geometry = g ?? alert.map { Self.geometry(of: $0.relative, timeToViolation: ttv ?? .infinity) } ?? existing!.geometry
        updates += 1
        if var p = existing {
            let previous = p.level
            p.geometry = geometry; p.level = level; p.reportTime = reportTime; p.timeToViolation = ttv
            p.generation = updates
            pairs[key] = p
            if previous != level { emit(key, p, previous: previous, state: "update", received: received) }
        } else {
            let p = ActivePair(level: level, geometry: geometry, partyA: ta.party, partyB: tb.party,
                               since: reportTime, reportTime: reportTime, timeToViolation: ttv, generation: updates)
            pairs[key] = p
            emit(key, p, previous: 0, state: "new", received: received)
        }
    }

    /// Geometry for a pair that holds a DO-365 level but is not a classic conflict.
    static func geometry(of r: RelativeState, timeToViolation t: Double) -> PairGeometry {
        let tcpa = max(0, r.tcpa)
        return PairGeometry(tcpa: tcpa, dcpa: r.horizontalDistance(at: tcpa), tin: t, tout: t, los: false,
                            distance: r.horizontalDistance, verticalSeparation: abs(r.sz))
    }

    /// Lock held. Tells both parties of pair `key`, each from its own side: a `conflict`
    /// event, and an `alert` event when the level changed from `previous`.
    private func emit(_ key: PairKey, _ p: ActivePair, previous: Int, state: String, received: ContinuousClock.Instant?) {
        let trigger = received == nil ? "cycle" : "report"
        for (own, ownParty, other, otherParty) in [(key.a, p.partyA, key.b, p.partyB), (key.b, p.partyB, key.a, p.partyA)] {
            let view = ConflictView(own: own, intruder: opaqueID(other, party: otherParty), pair: p, level: p.level, state: state)
            hub.publish(to: ownParty, type: "conflict", received: received) {
                view.json(type: "conflict", cursor: $0, previous: nil, trigger: trigger)
            }
            if previous != p.level {
                hub.publish(to: ownParty, type: "alert", received: received) {
                    view.json(type: "alert", cursor: $0, previous: previous, trigger: trigger)
                }
            }
        }
    }

    /// Lock held. The id other parties see for `aircraft` (kept with its track; computed
    /// when the track has aged out).
    private func opaqueID(_ aircraft: String, party: String) -> String {
        tracks[aircraft]?.opaque ?? ids.id(party: party, aircraft: aircraft)
    }

    // MARK: Cycle

    /// One full cycle at wall-clock `now` (epoch seconds).
    ///
    /// Only two short steps hold the engine lock (copying the tracks; applying the results),
    /// so reports keep flowing while the cycle detects: the picture, broad phase and detection
    /// run on the copy, the DO-365 step under the alerting lock only.
    public func runCycle(now: Double) {
        let started = ContinuousClock.now
        // 1. Copy (locked): drop tracks too old to stand for an aircraft.
        let (copied, generation): ([LiveTrack], UInt64) = lock.withLock {
            let cutoff = now - config.maxTrackAge
            if tracks.values.contains(where: { $0.report.time < cutoff }) {
                tracks = tracks.filter { $0.value.report.time >= cutoff }
            }
            return (Array(tracks.values), updates)
        }
        // 2. Detect (unlocked).
        let live = copied.sorted { $0.state.id < $1.state.id }
        let states = live.map { $0.state.projected(by: max(0, now - $0.state.time)) }
        let picture = TrafficPicture(states)
        let broad = BroadPhase(picture, config.detection)
        var index: [String: Int] = [:]
        index.reserveCapacity(states.count)
        for (k, s) in states.enumerated() { index[s.id] = k }
        var partyIndex: [String: Int] = [:]
        let parties = live.map { t in partyIndex[t.party] ?? { partyIndex[t.party] = partyIndex.count; return partyIndex.count - 1 }() }
        let snap = Snapshot(ids: picture.ids, index: index, broad: broad, states: states, party: parties.map { Int32($0) },
                            partyIndex: partyIndex.mapValues { Int32($0) })
        let found = detector.detect(picture)
        var classic: [PairKey: PairGeometry] = [:]
        for c in found where live[c.a].party != live[c.b].party {
            classic[PairKey(states[c.a].id, states[c.b].id)] = PairGeometry(
                tcpa: c.tcpa, dcpa: c.dcpa, tin: c.tin, tout: c.tout, los: c.los,
                distance: c.distance, verticalSeparation: c.verticalSeparation)
        }
        // 3. DO-365 levels of every cross-party pair (own broad phase; filters shared with the
        // incremental checks, hence the alerting lock).
        var levels: [PairKey: (level: Int, rawLevel: Int, relative: RelativeState)] = [:]
        let stepped = alertLock.withLock { alerting.step(states: states, parties: parties, time: now) }
        for a in stepped {
            levels[PairKey(states[a.first].id, states[a.second].id)] = (a.level, a.rawLevel, a.relative)
        }
        // 4. Apply (locked).
        lock.withLock {
            snapshot = snap
            var seen = Set<PairKey>()
            for key in Set(classic.keys).union(levels.keys) {
                guard let i = index[key.a], let j = index[key.b] else { continue }
                var x = live[i], y = live[j]
                x.state = states[i]; y.state = states[j]
                seen.insert(key)
                update(x, y, classic[key], alert: levels[key], received: nil)
            }
            // Pairs this cycle did not see are resolved — unless a report updated them after
            // the copy (the cycle could not see that report).
            for (key, p) in pairs where !seen.contains(key) && p.generation <= generation {
                pairs[key] = nil
                var cleared = p; cleared.level = 0; cleared.timeToViolation = nil
                emit(key, cleared, previous: p.level, state: "resolved", received: nil)
            }
            metrics.liveAircraft.set(Double(tracks.count))
            metrics.activeConflicts.set(Double(pairs.count))
        }
        // 5. Vicinity traffic (unlocked).
        if config.streamTracks { publishVicinity(live: live, states: states) }
        metrics.sampleMemory()
        metrics.cycleSeconds.recordInterval(since: started)
    }

    /// One `track` event per party with an open stream: the other parties'
    /// aircraft in its vicinity, by opaque id.
    private func publishVicinity(live: [LiveTrack], states: [AircraftState]) {
        let parties = Set(live.map(\.party)).filter { hub.hasSubscribers($0) }
        if parties.isEmpty { return }
        let altFt = states.map { $0.altFt ?? Units.toFt($0.alt) }
        for party in parties {
            // A grid of the party's own aircraft; each other aircraft is visible if any own one
            // is near it (stops at the first: cheap even when thousands are visible).
            let own = live.indices.filter { live[$0].party == party }
            let grid = VicinityGrid(lat: own.map { states[$0].lat }, lon: own.map { states[$0].lon },
                                    altFt: own.map { altFt[$0] }, radiusNM: config.vicinityNM, heightFt: config.vicinityFt)
            var items: [TrafficView] = []
            for j in live.indices where live[j].party != party
                && grid.any(lat: states[j].lat, lon: states[j].lon, altFt: altFt[j]) {
                items.append(TrafficView.foreign(live[j], opaque: live[j].opaque))
            }
            let json = TrafficView.jsonArray(items)
            hub.publish(to: party, type: "track", resumable: false) { #"{"type":"track","cursor":\#($0),"tracks":\#(json)}"# }
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
            out += visible.map { TrafficView.foreign(others[$0], opaque: others[$0].opaque) }
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
                    out.append(ConflictView(own: key.a, intruder: opaqueID(key.b, party: p.partyB), pair: p, level: p.level, state: "active"))
                }
                if p.partyB == party {
                    out.append(ConflictView(own: key.b, intruder: opaqueID(key.a, party: p.partyA), pair: p, level: p.level, state: "active"))
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
                tracks[t.report.aircraft] = LiveTrack(state: t.report.state, report: t.report, party: t.party, received: now,
                                                      opaque: ids.id(party: t.party, aircraft: t.report.aircraft))
            }
        }
    }
}

extension DurationHistogram {
    func recordInterval(since start: ContinuousClock.Instant) {
        record(ContinuousClock.now - start)
    }
}
