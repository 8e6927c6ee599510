import DeconflictCore
import DeconflictStore
import Foundation

/// `GET /v1/intents?bbox=minLon,minLat,maxLon,maxLat&from=…&to=…[&alt_lower_ft=…&alt_upper_ft=…]`:
/// the query, validated, and the filter applied to the store's (conservative) answer.
///
/// An intent matches when one of its volumes meets the query in all four dimensions, as
/// closed intervals: its time window meets [from, to], its altitude band meets
/// [alt_lower_ft, alt_upper_ft] (default: any altitude), and its outline's bounding
/// latitude/longitude rectangle meets the bbox. Time and altitude are exact; the horizontal
/// test is conservative by at most ~200 m (great-circle edges are sampled, the rectangle
/// padded), so an intent just outside the bbox may be listed, one inside never missed.
struct IntentQuery: Sendable {
    var minLon: Double, minLat: Double, maxLon: Double, maxLat: Double
    var from: Double, to: Double
    /// Metres; nil bounds mean unbounded.
    var altLower: Double?, altUpper: Double?

    /// Largest bbox, km² on the sphere (≈ 100 km × 100 km).
    static let maxAreaKm2 = 10_000.0
    /// Longest [from, to] window.
    static let maxWindowSeconds = 31.0 * 86_400
    /// Most intents in one answer (sorted by id; `truncated` says when more matched).
    static let maxResults = 1000

    init(_ q: (String) -> String?) throws(Problem) {
        guard let bbox = q("bbox") else { throw Problem.badRequest("bbox=minLon,minLat,maxLon,maxLat is required") }
        let parts = bbox.split(separator: ",", omittingEmptySubsequences: false)
        let nums = parts.compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 4, nums.count == 4, nums.allSatisfy(\.isFinite) else {
            throw Problem.badRequest("bbox must be four finite numbers: minLon,minLat,maxLon,maxLat")
        }
        (minLon, minLat, maxLon, maxLat) = (nums[0], nums[1], nums[2], nums[3])
        guard (-180...180).contains(minLon), (-180...180).contains(maxLon) else {
            throw Problem.badRequest("bbox longitudes must be in [-180, 180]")
        }
        guard (-90...90).contains(minLat), (-90...90).contains(maxLat) else {
            throw Problem.badRequest("bbox latitudes must be in [-90, 90]")
        }
        guard minLon <= maxLon, minLat <= maxLat else {
            throw Problem.badRequest("bbox must have minLon ≤ maxLon and minLat ≤ maxLat (split a box across the antimeridian in two)")
        }
        let r = Units.earthRadius / 1000
        let area = r * r * Units.rad(maxLon - minLon) * (sin(Units.rad(maxLat)) - sin(Units.rad(minLat)))
        guard area <= Self.maxAreaKm2 else {
            throw Problem.badRequest("bbox covers \(Int(area)) km², at most \(Int(Self.maxAreaKm2)) km² allowed")
        }
        func time(_ name: String) throws(Problem) -> Double {
            guard let s = q(name) else { throw Problem.badRequest("\(name) (an RFC 3339 date-time) is required") }
            return try IntentJSON.time(s, name)
        }
        from = try time("from"); to = try time("to")
        guard from <= to else { throw Problem.badRequest("from must not be after to") }
        guard to - from <= Self.maxWindowSeconds else {
            throw Problem.badRequest("from…to spans more than \(Int(Self.maxWindowSeconds / 86_400)) days")
        }
        func alt(_ name: String) throws(Problem) -> Double? {
            guard let s = q(name) else { return nil }
            guard let v = Double(s), v.isFinite, abs(v) <= 1e6 else { throw Problem.badRequest("\(name) must be a number (feet)") }
            return Units.ft(IntentJSON.feet(v))
        }
        altLower = try alt("alt_lower_ft"); altUpper = try alt("alt_upper_ft")
        if let lo = altLower, let hi = altUpper, lo > hi {
            throw Problem.badRequest("alt_lower_ft must not be above alt_upper_ft")
        }
    }

    /// What the store is asked (its answer is a superset of the matches).
    var box: Box4 {
        Box4(minLon: minLon, maxLon: maxLon, minLat: minLat, maxLat: maxLat,
             minAlt: altLower ?? -1e9, maxAlt: altUpper ?? 1e9, t0: from, t1: to)
    }

    func matches(_ i: Intent) -> Bool {
        i.state.isCurrent && i.volumes.contains(where: matches)
    }

    func matches(_ v: Volume4D) -> Bool {
        guard v.timeEnd >= from, v.timeStart <= to else { return false }
        if let lo = altLower, v.volume.altitudeUpper < lo { return false }
        if let hi = altUpper, v.volume.altitudeLower > hi { return false }
        let e = OutlineExtent(v.volume.outline)
        guard e.maxLat >= minLat, e.minLat <= maxLat else { return false }
        return e.lons.contains { $0.1 >= minLon && $0.0 <= maxLon }
    }
}

/// A conservative latitude/longitude rectangle around an outline: one or two longitude
/// intervals (two when it crosses the antimeridian; [-180, 180] around a pole).
struct OutlineExtent {
    var minLat: Double, maxLat: Double
    var lons: [(Double, Double)]

    static let padDeg = 0.002
    static let samplesPerEdge = 16

    init(_ o: Outline) {
        switch o {
        case let .circle(c, radius):
            let a = radius / Units.earthRadius
            let dLat = Units.deg(a)
            minLat = c.lat - dLat - Self.padDeg
            maxLat = c.lat + dLat + Self.padDeg
            let cosLat = cos(Units.rad(c.lat))
            if maxLat >= 90 || minLat <= -90 || sin(a) >= cosLat {
                (minLat, maxLat, lons) = (max(-90, minLat), min(90, maxLat), [(-180, 180)])
                return
            }
            let dLon = Units.deg(asin(sin(a) / cosLat)) + Self.padDeg
            lons = Self.split(c.lon - dLon, c.lon + dLon)
        case let .polygon(ring):
            guard let first = ring.first else { (minLat, maxLat, lons) = (0, 0, []); return }
            var lo = first.lat, hi = first.lat
            var lonLo = first.lon, lonHi = first.lon
            var unwrapped = first.lon
            var prev = first
            for k in 0..<ring.count {
                let a = ring[k], b = ring[(k + 1) % ring.count]
                for s in 1...Self.samplesPerEdge {
                    let p = Self.slerp(a, b, Double(s) / Double(Self.samplesPerEdge))
                    lo = min(lo, p.lat); hi = max(hi, p.lat)
                    unwrapped += Units.wrap180(p.lon - prev.lon)
                    lonLo = min(lonLo, unwrapped); lonHi = max(lonHi, unwrapped)
                    prev = p
                }
            }
            minLat = max(-90, lo - Self.padDeg)
            maxLat = min(90, hi + Self.padDeg)
            // Back at the start: a winding of ±360° means the ring goes around a pole.
            if abs(unwrapped - first.lon) > 180 {
                if lo + hi > 0 { maxLat = 90 } else { minLat = -90 }
                lons = [(-180, 180)]
            } else if maxLat >= 89.9 || minLat <= -89.9 {
                lons = [(-180, 180)]
            } else {
                lons = Self.split(lonLo - Self.padDeg, lonHi + Self.padDeg)
            }
        }
    }

    /// [lo, hi] (possibly beyond ±180) as intervals within [-180, 180].
    static func split(_ lo: Double, _ hi: Double) -> [(Double, Double)] {
        if hi - lo >= 360 { return [(-180, 180)] }
        if lo < -180 { return [(lo + 360, 180), (-180, hi)] }
        if hi > 180 { return [(lo, 180), (-180, hi - 360)] }
        return [(lo, hi)]
    }

    /// The point a fraction `t` along the great-circle arc from `a` to `b`.
    static func slerp(_ a: LatLon, _ b: LatLon, _ t: Double) -> LatLon {
        func unit(_ p: LatLon) -> (Double, Double, Double) {
            let la = Units.rad(p.lat), lo = Units.rad(p.lon)
            return (cos(la) * cos(lo), cos(la) * sin(lo), sin(la))
        }
        let u = unit(a), v = unit(b)
        let dot = max(-1, min(1, u.0 * v.0 + u.1 * v.1 + u.2 * v.2))
        let w = acos(dot)
        if w < 1e-12 { return b }
        let s = sin(w)
        let f = sin((1 - t) * w) / s, g = sin(t * w) / s
        let x = f * u.0 + g * v.0, y = f * u.1 + g * v.1, z = f * u.2 + g * v.2
        return LatLon(lat: Units.deg(atan2(z, (x * x + y * y).squareRoot())), lon: Units.deg(atan2(y, x)))
    }
}
