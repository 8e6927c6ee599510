import DeconflictCore
import Foundation
import Logging
import Prometheus

/// The live picture in the service: the clock, the locks and the metrics around the core's
/// ``Cycle`` and ``EncounterBook`` (which hold the logic and are tested without a server).
///
/// - A fresh report is checked at once against its neighbours in the last cycle's snapshot
///   (``EncounterBook/checkReport(_:snapshot:now:detection:current:assess:mark:tag:)``).
/// - A full cycle (``runCycle(now:)``, every `cycleInterval`) takes every live track projected
///   to now through one ``Cycle`` (one broad phase → classic detection + DO-365 levels of every
///   cross-party pair) and applies it to the book (``EncounterBook/apply(_:copiedAt:side:)``),
///   then publishes each party's vicinity view.
/// - Conflicts are the classic state-based ones (``ServerConfig/detection``, 5 NM / 1000 ft /
///   300 s); alert levels are DO-365's (``ServerConfig/alerter``, Phase I by default) with the
///   M-of-N / hysteresis / persistence filter per pair, fed by both the incremental checks and
///   the cycles. Only cross-party pairs are encounters; both parties get each change.
public final class LiveEngine: @unchecked Sendable {
    let config: ServerConfig
    let hub: EventHub
    let metrics: ServerMetrics
    let ids: OpaqueIDs
    let logger: Logger

    private let lock = NSLock()
    private var tracks: [String: LiveTrack] = [:]
    private var owners: [String: String] = [:]
    private var book = EncounterBook()
    private var snapshot: CycleSnapshot?
    /// The cycle and its DO-365 filters (under `cycleLock`; taken inside `lock` by incremental
    /// checks with a try, alone by the cycle — never the other way round).
    private var cycle: Cycle
    private let cycleLock = NSLock()

    public init(config: ServerConfig, hub: EventHub, metrics: ServerMetrics, ids: OpaqueIDs, logger: Logger) {
        self.config = config; self.hub = hub; self.metrics = metrics; self.ids = ids
        self.logger = logger
        cycle = Cycle(detector: ConflictDetector(parameters: config.detection, threads: config.detectionThreads),
                      alerter: config.alerter)
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

    /// Lock held. Each fresh aircraft against its neighbours in the last cycle's snapshot.
    /// Never waits for the cycle (tens of ms with 10,000 aircraft) while holding the engine
    /// lock: if it is running, a pair's level is left as it is (the cycle is assessing it now;
    /// M-of-N needs two samples anyway).
    private func checkIncrementally(_ fresh: [LiveTrack], _ snap: CycleSnapshot, received: ContinuousClock.Instant) {
        var mark = [Int32](repeating: -1, count: snap.states.count)
        let now = Date().timeIntervalSince1970
        for (k, me) in fresh.enumerated() {
            let changes = book.checkReport(
                me.aircraft, snapshot: snap, now: now, detection: config.detection,
                current: { self.tracks[$0]?.aircraft },
                assess: { x, y in
                    guard self.cycleLock.try() else { return .notAssessed }
                    defer { self.cycleLock.unlock() }
                    return .assessed(self.cycle.assess(x, y, time: now))
                },
                mark: &mark, tag: Int32(k))
            guard let changes else { metrics.incrementalSkipped.increment(); continue }
            metrics.incrementalChecked.increment()
            for ch in changes { emit(ch, received: received) }
        }
    }

    /// Lock held. Tells both parties of a change, each from its own side: a `conflict`
    /// event, and an `alert` event when the level changed.
    private func emit(_ ch: EncounterChange, received: ContinuousClock.Instant?) {
        let e = ch.encounter
        for (own, ownParty, other, otherParty) in e.sides {
            let view = ConflictView(own: own, intruder: opaqueID(other, party: otherParty), encounter: e,
                                    state: ch.kind.rawValue)
            hub.publish(to: ownParty, type: "conflict", received: received) {
                view.json(type: "conflict", cursor: $0, previous: nil, trigger: ch.trigger.rawValue)
            }
            if ch.levelChanged {
                hub.publish(to: ownParty, type: "alert", received: received) {
                    view.json(type: "alert", cursor: $0, previous: ch.previousLevel, trigger: ch.trigger.rawValue)
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
    /// Only two short steps hold the engine lock (copying the tracks; applying the changes),
    /// so reports keep flowing while the cycle runs on the copy under the cycle lock.
    public func runCycle(now: Double) {
        let started = ContinuousClock.now
        // 1. Copy (locked): drop tracks too old to stand for an aircraft.
        let (copied, generation): ([LiveTrack], UInt64) = lock.withLock {
            let cutoff = now - config.maxTrackAge
            if tracks.values.contains(where: { $0.report.time < cutoff }) {
                tracks = tracks.filter { $0.value.report.time >= cutoff }
            }
            return (Array(tracks.values), book.generation)
        }
        // 2. The cycle (unlocked, but for the cycle's own lock).
        let live = copied.sorted { $0.state.id < $1.state.id }
        let states = live.map { $0.state.projected(by: max(0, now - $0.state.time)) }
        let outcome = cycleLock.withLock { cycle.run(states, parties: live.map(\.party), time: now) }
        // 3. Apply (locked).
        lock.withLock {
            snapshot = outcome.snapshot
            let changes = book.apply(outcome, copiedAt: generation) { i in
                EncounterSide(id: states[i].id, party: live[i].party, reportTime: live[i].report.time)
            }
            for ch in changes { emit(ch, received: nil) }
            metrics.liveAircraft.set(Double(tracks.count))
            metrics.activeConflicts.set(Double(book.count))
        }
        // 4. Vicinity traffic (unlocked).
        if config.streamTracks { publishVicinity(live: live, states: states) }
        metrics.sampleMemory()
        metrics.cycleSeconds.recordInterval(since: started)
    }

    /// One `track` event per party with an open stream: the other parties'
    /// aircraft in its vicinity, by opaque id.
    private func publishVicinity(live: [LiveTrack], states: [AircraftState]) {
        let parties = Set(live.map(\.party)).filter { hub.hasSubscribers($0) }
        if parties.isEmpty { return }
        let vicinity = Vicinity(states, radius: Units.nm(config.vicinityNM), heightFt: config.vicinityFt)
        let partyOf = live.map(\.party)
        for party in parties {
            let items = vicinity.visible(to: party, parties: partyOf).map { TrafficView.foreign(live[$0], opaque: live[$0].opaque) }
            let json = TrafficView.jsonArray(items)
            hub.publish(to: party, type: "track", resumable: false) { #"{"type":"track","cursor":\#($0),"tracks":\#(json)}"# }
        }
    }

    // MARK: Reads

    /// The caller's own aircraft in full, and others' within the vicinity of its own.
    public func traffic(for party: String) -> [TrafficView] {
        let live: [LiveTrack] = lock.withLock { Array(tracks.values) }.sorted { $0.state.id < $1.state.id }
        var out = live.filter { $0.party == party }.map { TrafficView.own($0) }
        if !out.isEmpty && out.count < live.count {
            let vicinity = Vicinity(live.map(\.state), radius: Units.nm(config.vicinityNM), heightFt: config.vicinityFt)
            out += vicinity.visible(to: party, parties: live.map(\.party))
                .map { TrafficView.foreign(live[$0], opaque: live[$0].opaque) }
                .sorted { $0.id < $1.id }
        }
        return out
    }

    /// Conflicts now in force that involve the caller, from its side.
    public func conflicts(for party: String) -> [ConflictView] {
        lock.withLock {
            var out: [ConflictView] = []
            for e in book.encounters(involving: party) {
                for (own, ownParty, other, otherParty) in e.sides where ownParty == party {
                    out.append(ConflictView(own: own, intruder: opaqueID(other, party: otherParty), encounter: e, state: "active"))
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
