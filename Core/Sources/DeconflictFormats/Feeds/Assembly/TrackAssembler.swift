import DeconflictCore

/// How a position of an assembled state was obtained.
public enum PositionPath: String, Sendable, Hashable {
    /// CPR global decode of an even/odd pair.
    case global
    /// CPR local decode against the aircraft's own recent position.
    case localAircraft = "local-aircraft"
    /// CPR local decode against the receiver's position.
    case localReceiver = "local-receiver"
    /// The source gave latitude and longitude (SBS, ASTERIX, readsb JSON).
    case absolute
}

/// Where an assembled state came from: enough to judge it and to trace it to its frames.
public struct TrackProvenance: Sendable, Equatable {
    public var format: FeedFormat
    public var positionPath: PositionPath
    /// Bits repaired in the frame that gave the position (0 or 1; only DF17/18).
    public var bitsCorrected: UInt8
    /// ADS-B type code of the position message (9–18 baro, 20–22 GNSS, 5–8 surface; 0 for
    /// non-ADS-B sources): a proxy for position quality (NIC) — lower is better within a band.
    public var positionTypeCode: UInt8
    /// Messages taken for this aircraft so far.
    public var messages: Int

    public init(format: FeedFormat, positionPath: PositionPath, bitsCorrected: UInt8, positionTypeCode: UInt8, messages: Int) {
        self.format = format; self.positionPath = positionPath; self.bitsCorrected = bitsCorrected
        self.positionTypeCode = positionTypeCode; self.messages = messages
    }
}

/// One aircraft state ready for the engine: the `AircraftState` (SI) plus what the feed knew.
public struct AssembledState: Sendable, Equatable {
    public var state: AircraftState
    public var callsign: String?
    public var squawk: String?
    public var onGround: Bool
    public var provenance: TrackProvenance

    public init(state: AircraftState, callsign: String?, squawk: String?, onGround: Bool, provenance: TrackProvenance) {
        self.state = state; self.callsign = callsign; self.squawk = squawk; self.onGround = onGround
        self.provenance = provenance
    }
}

/// Turns decoded messages into aircraft states, per aircraft: CPR pairing and local
/// decoding, speed-gated reasonableness, address confirmation for AP replies, merging of
/// altitude, velocity, identity and callsign, and stale-state ageing. Time is an argument
/// (UTC seconds of each message); nothing is read from a clock. Pure and deterministic.
///
/// A state is emitted each time an aircraft gets a new position and has a pressure
/// altitude (≤ ``maxAltitudeAge`` old) and a ground velocity (≤ ``maxVelocityAge`` old);
/// the vertical rate is 0 when none was heard within ``maxVelocityAge``.
public struct TrackAssembler: Sendable {
    /// Receiver position, for local CPR decoding of the first position of an aircraft and
    /// of surface positions (degrees), when the feed's site is known.
    public var receiver: (lat: Double, lon: Double)?
    /// Maximum distance of an aircraft from the receiver for a receiver-relative decode.
    public var receiverRangeNM: Double = 180
    /// When set, positions farther than this from the receiver are implausible (a single
    /// receiver's horizon; leave nil for a network of receivers).
    public var maxRangeNM: Double?
    /// Even/odd pair age limit for global decoding, seconds (readsb: 10 s, more for slow
    /// aircraft); surface pairs get ``maxSurfacePairAge``.
    public var maxPairAge: Double = 10
    public var maxSurfacePairAge: Double = 25
    /// A position older than this is no reference for local decoding (readsb: 10 min).
    public var maxReferenceAge: Double = 600
    public var maxAltitudeAge: Double = 20
    public var maxVelocityAge: Double = 10
    /// An address recovered from AP is trusted when a clean DF11/17/18 confirmed it this recently.
    public var confirmationTTL: Double = 60
    /// Aircraft not heard for this long are dropped by ``expire(now:)``.
    public var dropAfter: Double = 300

    public private(set) var rejects: [FeedReject: Int] = [:]
    public private(set) var positions = 0
    public private(set) var positionsByPath: [PositionPath: Int] = [:]

    struct Track: Sendable {
        var address: UInt32
        var isICAO = true
        var lastHeard = -Double.infinity
        var confirmed = -Double.infinity
        var even: CPRFrame?; var evenTime = -Double.infinity; var evenSurface = false
        var odd: CPRFrame?; var oddTime = -Double.infinity; var oddSurface = false
        var lat = 0.0, lon = 0.0, posTime = -Double.infinity
        var posSurface = false
        var altFt = 0.0, altTime = -Double.infinity
        var gsKt = 0.0, trkDeg = 0.0, velTime = -Double.infinity
        var vsFpm = 0.0, vsTime = -Double.infinity
        var onGround = false
        var callsign: String?
        var squawk: UInt16?
        var squawkText: String?
        var pendingSquawk: UInt16?
        var altRejects = 0
        var messages = 0
        var format: FeedFormat = .beast
        var lastImplausible = 0
        var lastPath: PositionPath = .global
    }

    private var index: [UInt32: Int] = [:]
    var tracks: [Track] = []

    public init(receiver: (lat: Double, lon: Double)? = nil) { self.receiver = receiver }

    /// Aircraft currently tracked.
    public var count: Int { index.count }

    mutating func reject(_ r: FeedReject) { rejects[r, default: 0] += 1 }

    /// Key: the 24-bit address, bit 24 set for non-ICAO ones (so they never collide).
    @inline(__always) static func key(_ address: UInt32, icao: Bool) -> UInt32 {
        (address & 0xFF_FFFF) | (icao ? 0 : 0x100_0000)
    }

    @inline(__always) mutating func slot(_ key: UInt32) -> Int {
        if let i = index[key] { return i }
        tracks.append(Track(address: key & 0xFF_FFFF, isICAO: key & 0x100_0000 == 0))
        index[key] = tracks.count - 1
        return tracks.count - 1
    }

    // MARK: Mode S

    /// Takes one decoded Mode S message received at UTC `time`; returns the new state when
    /// it gave the aircraft a new position.
    public mutating func add(_ m: ModeSMessage, time: Double, format: FeedFormat = .beast) -> AssembledState? {
        let icao = !m.nonICAO
        let k = Self.key(m.address, icao: icao)
        if !m.addressInClear || m.bitsCorrected > 0 {
            // An AP reply, or a repaired frame: only for an aircraft a clean frame confirmed
            // recently (any corrupted reply "decodes" to some address).
            guard let i = index[k], time - tracks[i].confirmed <= confirmationTTL else {
                reject(.unconfirmedAddress); return nil
            }
            return apply(m, slot: i, time: time, format: format)
        }
        let i = slot(k)
        tracks[i].confirmed = time
        return apply(m, slot: i, time: time, format: format)
    }

    private mutating func apply(_ m: ModeSMessage, slot i: Int, time: Double, format: FeedFormat) -> AssembledState? {
        tracks[i].lastHeard = max(tracks[i].lastHeard, time)
        tracks[i].messages += 1
        tracks[i].format = format
        if let g = m.onGround { tracks[i].onGround = g }
        switch m.content {
        case let .altitude(ft):
            guard let ft else { break }
            if !m.addressInClear && !plausibleAltitude(tracks[i], ft, time: time) {
                // Noise whose AP equals a known address by chance (1 in 2^24 per frame) is
                // caught here: an altitude no aircraft can reach that fast.
                tracks[i].altRejects += 1
                reject(.implausible)
                if tracks[i].altRejects < 3 { return nil }
            }
            tracks[i].altRejects = 0
            tracks[i].altFt = ft; tracks[i].altTime = time
        case let .identity(sq):
            // A new code counts once heard twice in a row (one noisy reply cannot change it).
            if tracks[i].squawk == sq { tracks[i].pendingSquawk = nil }
            else if tracks[i].squawk == nil || tracks[i].pendingSquawk == sq {
                tracks[i].squawk = sq; tracks[i].squawkText = ModeSCodes.squawkString(sq); tracks[i].pendingSquawk = nil
            } else { tracks[i].pendingSquawk = sq }
        case let .identification(cs, _):
            if !cs.isEmpty { tracks[i].callsign = cs }
        case let .commBIdentification(cs):
            if tracks[i].callsign == nil { tracks[i].callsign = cs }
        case let .velocity(gs, trk, vs, _, _):
            if let gs, let trk { tracks[i].gsKt = gs; tracks[i].trkDeg = trk; tracks[i].velTime = time }
            if let vs { tracks[i].vsFpm = vs; tracks[i].vsTime = time }
        case let .airspeed(_, vs):
            if let vs { tracks[i].vsFpm = vs; tracks[i].vsTime = time }
        case let .airbornePosition(cpr, altFt, gnss, tc):
            if let altFt, !gnss { tracks[i].altFt = altFt; tracks[i].altTime = time }
            return position(cpr, surface: false, slot: i, time: time, corrected: m.bitsCorrected, tc: tc)
        case let .surfacePosition(cpr, gs, trk, tc):
            if let gs { tracks[i].gsKt = gs; tracks[i].velTime = time }
            if let trk { tracks[i].trkDeg = trk }
            return position(cpr, surface: true, slot: i, time: time, corrected: m.bitsCorrected, tc: tc)
        case .allCall, .other:
            break
        }
        return nil
    }

    /// Distance in metres between two positions (haversine on the mean sphere).
    @inline(__always) static func distance(_ la1: Double, _ lo1: Double, _ la2: Double, _ lo2: Double) -> Double {
        let r = Double.pi / 180
        let dLat = (la2 - la1) * r, dLon = (lo2 - lo1) * r
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(la1 * r) * cos(la2 * r) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * Units.earthRadius * asin(min(1, a.squareRoot()))
    }

    /// Is a move from the aircraft's last position to (lat, lon) at `time` plausible? A
    /// speed gate like readsb's: (ground speed, or 1,000 kt when unknown, + 100 kt) × 1.5
    /// over the elapsed time, plus 500 m; always true without a recent last position.
    func plausible(_ t: Track, lat: Double, lon: Double, time: Double) -> Bool {
        let dt = abs(time - t.posTime)
        if dt > maxReferenceAge { return true }
        let speedKt = (time - t.velTime <= 60 ? t.gsKt : 1000) + 100
        let allowed = speedKt * 1852.0 / 3600.0 * dt * 1.5 + 500
        return Self.distance(t.lat, t.lon, lat, lon) <= allowed
    }

    /// An altitude change of at most 8,000 ft/min (+ 300 ft) since the last one, or no
    /// recent altitude to compare with.
    func plausibleAltitude(_ t: Track, _ ft: Double, time: Double) -> Bool {
        let dt = abs(time - t.altTime)
        if dt > 60 { return true }
        return abs(ft - t.altFt) <= 300 + dt * 8_000 / 60
    }

    private mutating func position(_ f: CPRFrame, surface: Bool, slot i: Int, time: Double,
                                   corrected: UInt8, tc: UInt8) -> AssembledState? {
        if f.odd { tracks[i].odd = f; tracks[i].oddTime = time; tracks[i].oddSurface = surface }
        else { tracks[i].even = f; tracks[i].evenTime = time; tracks[i].evenSurface = surface }
        let t = tracks[i]
        let haveRef = time - t.posTime <= maxReferenceAge
        var result: (lat: Double, lon: Double)?
        var path = PositionPath.global
        // 1. Global decode of a fresh even/odd pair of the same kind.
        if let e = t.even, let o = t.odd, t.evenSurface == surface, t.oddSurface == surface {
            let limit: Double
            if surface { limit = maxSurfacePairAge }
            else {
                // Slow aircraft move little between frames: allow up to 30 s (19 s × 500 kt / gs).
                let gs = time - t.velTime <= 60 ? t.gsKt : 500
                limit = gs > 0 ? min(30, max(maxPairAge, 19 * 500 / gs)) : 30
            }
            if abs(t.evenTime - t.oddTime) <= limit {
                if surface {
                    let ref: (lat: Double, lon: Double)? = haveRef ? (t.lat, t.lon) : receiver
                    if let ref {
                        result = CPR.globalSurface(even: e, odd: o, latestIsOdd: f.odd, refLat: ref.lat, refLon: ref.lon)
                    }
                } else {
                    result = CPR.globalAirborne(even: e, odd: o, latestIsOdd: f.odd)
                }
            }
        }
        // 2. Local decode against the aircraft's own recent position.
        if result == nil && haveRef {
            if let p = CPR.local(f, refLat: t.lat, refLon: t.lon, surface: surface),
               Self.distance(p.lat, p.lon, t.lat, t.lon) <= (surface ? 45 : 100) * 1852 {
                result = p; path = .localAircraft
            }
        }
        // 3. Local decode against the receiver.
        if result == nil, let r = receiver {
            let range = surface ? 45.0 : (receiverRangeNM <= 180 ? receiverRangeNM : 360 - receiverRangeNM)
            if let p = CPR.local(f, refLat: r.lat, refLon: r.lon, surface: surface),
               Self.distance(p.lat, p.lon, r.lat, r.lon) <= range * 1852 {
                result = p; path = .localReceiver
            }
        }
        guard let p = result else { return nil }
        if let r = receiver, let maxRange = maxRangeNM, Self.distance(p.lat, p.lon, r.lat, r.lon) > maxRange * 1852 {
            reject(.implausible); return nil
        }
        if haveRef && !plausible(t, lat: p.lat, lon: p.lon, time: time) {
            reject(.implausible)
            tracks[i].lastImplausible += 1
            // Two global fixes in a row that disagree with the old position: the old one
            // was wrong (or the aircraft was lost for long): start again from the new pair.
            if path == .global && tracks[i].lastImplausible >= 2 {
                tracks[i].posTime = -Double.infinity
                tracks[i].lastImplausible = 0
            }
            return nil
        }
        tracks[i].lastImplausible = 0
        tracks[i].lat = p.lat; tracks[i].lon = p.lon; tracks[i].posTime = time
        tracks[i].posSurface = surface
        tracks[i].lastPath = path
        positions += 1
        positionsByPath[path, default: 0] += 1
        return emit(slot: i, time: time, corrected: corrected, tc: tc)
    }

    // MARK: Absolute reports (SBS, ASTERIX, readsb JSON)

    /// Takes one report with absolute values; returns the new state when it carried a
    /// position (checked against the speed gate) and the aircraft has altitude and velocity.
    public mutating func add(_ r: TargetReport) -> AssembledState? {
        let i = slot(Self.key(r.address, icao: r.addressIsICAO))
        let time = r.time
        tracks[i].lastHeard = max(tracks[i].lastHeard, time)
        tracks[i].confirmed = time
        tracks[i].messages += 1
        tracks[i].format = r.format
        if let g = r.onGround { tracks[i].onGround = g }
        if let a = r.altFt { tracks[i].altFt = a; tracks[i].altTime = time }
        if let gs = r.gsKt, let trk = r.trkDeg { tracks[i].gsKt = gs; tracks[i].trkDeg = trk; tracks[i].velTime = time }
        if let vs = r.vsFpm { tracks[i].vsFpm = vs; tracks[i].vsTime = time }
        if let cs = r.callsign, !cs.isEmpty { tracks[i].callsign = cs }
        if let sq = r.squawk { tracks[i].squawkText = sq }
        guard let lat = r.lat, let lon = r.lon else { return nil }
        guard lat >= -90, lat <= 90, lon >= -180, lon <= 180 else { reject(.implausible); return nil }
        let t = tracks[i]
        if time - t.posTime <= maxReferenceAge && !plausible(t, lat: lat, lon: lon, time: time) {
            reject(.implausible); return nil
        }
        tracks[i].lat = lat; tracks[i].lon = lon; tracks[i].posTime = time
        tracks[i].lastPath = .absolute
        positions += 1
        positionsByPath[.absolute, default: 0] += 1
        return emit(slot: i, time: time, corrected: 0, tc: 0)
    }

    private mutating func emit(slot i: Int, time: Double, corrected: UInt8, tc: UInt8) -> AssembledState? {
        let t = tracks[i]
        let onGround = t.onGround || t.posSurface
        // On the ground the altitude is the field's, not a reported one: use the last heard
        // one if any, else 0 ft (the engine ignores ground traffic's vertical separation only
        // through the altitude, so it must not be missing).
        guard onGround || time - t.altTime <= maxAltitudeAge else { return nil }
        guard time - t.velTime <= maxVelocityAge || (onGround && t.velTime > -Double.infinity) else { return nil }
        let vs = time - t.vsTime <= maxVelocityAge ? t.vsFpm : 0
        let altFt = t.altTime > -Double.infinity ? t.altFt : 0
        var trk = t.trkDeg.truncatingRemainder(dividingBy: 360)
        if trk < 0 { trk += 360 }
        let state = AircraftState(id: feedAircraftID(address: t.address, isICAO: t.isICAO), time: time,
                                  lat: t.lat, lon: t.lon, altFt: altFt, gsKt: t.gsKt, trkDeg: trk, vsFpm: vs)
        return AssembledState(state: state, callsign: t.callsign, squawk: t.squawkText, onGround: onGround,
                              provenance: TrackProvenance(format: t.format, positionPath: t.lastPath,
                                                          bitsCorrected: corrected, positionTypeCode: tc,
                                                          messages: t.messages))
    }

    // MARK: Ageing

    /// Drops aircraft not heard since `now − dropAfter`; returns how many were dropped.
    @discardableResult
    public mutating func expire(now: Double) -> Int {
        let before = tracks.count
        tracks.removeAll { now - $0.lastHeard > dropAfter }
        if tracks.count == before { return 0 }
        index.removeAll(keepingCapacity: true)
        for (i, t) in tracks.enumerated() { index[Self.key(t.address, icao: t.isICAO)] = i }
        return before - tracks.count
    }

    /// The last known position of an aircraft (for tests and status views).
    public func lastPosition(address: UInt32, icao: Bool = true) -> (lat: Double, lon: Double, time: Double)? {
        guard let i = index[Self.key(address, icao: icao)], tracks[i].posTime > -Double.infinity else { return nil }
        return (tracks[i].lat, tracks[i].lon, tracks[i].posTime)
    }
}
