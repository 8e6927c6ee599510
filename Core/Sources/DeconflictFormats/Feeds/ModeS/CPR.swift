import DeconflictCore

/// Compact Position Reporting (DO-260B §A.1.7; ICAO Doc 9871): 17-bit encodings of
/// latitude and longitude on two interleaved grids. Global decoding from an even and an
/// odd frame, local decoding against a reference within half a zone, airborne (360°) and
/// surface (90°) forms, and the encoder (for tests and generated feeds). Pure.
public enum CPR {
    /// Number of latitude zones between the equator and a pole.
    public static let nz = 15
    static let scale = 131_072.0   // 2^17

    /// Latitudes (degrees, decreasing) where NL drops from `n` to `n − 1`, for n = 59 … 2:
    /// `transitions[59 - n]`. From the closed form of the NL function.
    @usableFromInline static let transitions: [Double] = (2...59).reversed().map { (n: Int) -> Double in
        let a = 1 - cos(Double.pi / (2 * Double(nz)))
        let b = 1 - cos(2 * Double.pi / Double(n))
        return acos((a / b).squareRoot()) * 180 / Double.pi
    }

    /// Number of longitude zones at a latitude, 1 … 59.
    @inlinable
    public static func nl(_ lat: Double) -> Int {
        let a = abs(lat)
        if a >= 87 { return a > 87 ? 1 : 2 }
        // Count the transitions above |lat| starting from the equator side: NL = 59 below
        // the first, then one less past each.
        var n = 59
        for t in transitions {
            if a < t { return n }
            n -= 1
        }
        return 1
    }

    @inline(__always) static func mod(_ a: Double, _ b: Double) -> Double {
        let r = a - b * (a / b).rounded(.down)
        return r < 0 ? r + b : r
    }

    /// Global airborne decode from an even and an odd frame (any order); `latestIsOdd`
    /// says which one is the newer, whose position is returned. nil when the two frames lie
    /// in different latitude zones (NL differs) — a pair to be dropped.
    public static func globalAirborne(even: CPRFrame, odd: CPRFrame, latestIsOdd: Bool) -> (lat: Double, lon: Double)? {
        decodeGlobal(even: even, odd: odd, latestIsOdd: latestIsOdd, span: 360)
    }

    /// Global surface decode: the 90° grid leaves four candidate quadrants, resolved with a
    /// reference position (the receiver or the aircraft's last one, within 45 NM).
    public static func globalSurface(even: CPRFrame, odd: CPRFrame, latestIsOdd: Bool,
                                     refLat: Double, refLon: Double) -> (lat: Double, lon: Double)? {
        guard var p = decodeGlobal(even: even, odd: odd, latestIsOdd: latestIsOdd, span: 90, refLat: refLat) else {
            return nil
        }
        // Longitude: the nearest of the four quadrants to the reference.
        var best = p.lon, bestD = 1e9
        for k in 0..<4 {
            var l = p.lon + Double(k) * 90
            l = mod(l + 180, 360) - 180
            let d = abs(mod(l - refLon + 180, 360) - 180)
            if d < bestD { bestD = d; best = l }
        }
        p.lon = best
        return p
    }

    static func decodeGlobal(even: CPRFrame, odd: CPRFrame, latestIsOdd: Bool, span: Double,
                             refLat: Double = 0) -> (lat: Double, lon: Double)? {
        let latE = Double(even.lat) / scale, latO = Double(odd.lat) / scale
        let lonE = Double(even.lon) / scale, lonO = Double(odd.lon) / scale
        let dLatE = span / 60, dLatO = span / 59
        let j = (59 * latE - 60 * latO + 0.5).rounded(.down)
        var rlatE = dLatE * (mod(j, 60) + latE)
        var rlatO = dLatO * (mod(j, 59) + latO)
        if span == 360 {
            if rlatE >= 270 { rlatE -= 360 }
            if rlatO >= 270 { rlatO -= 360 }
        } else if abs(rlatE - 90 - refLat) < abs(rlatE - refLat) {
            // Surface: the result is in [0, 90); the other solution is 90° south. Choose it
            // before NL, which depends on the true latitude.
            rlatE -= 90; rlatO -= 90
        }
        if rlatE < -90 || rlatE > 90 || rlatO < -90 || rlatO > 90 { return nil }
        let nlE = nl(rlatE)
        if nlE != nl(rlatO) { return nil }
        let lat = latestIsOdd ? rlatO : rlatE
        let n = nlE
        let ni = Double(max(latestIsOdd ? n - 1 : n, 1))
        let m = (lonE * Double(n - 1) - lonO * Double(n) + 0.5).rounded(.down)
        let lonC = latestIsOdd ? lonO : lonE
        var lon = (span / ni) * (mod(m, ni) + lonC)
        if span == 360 { if lon >= 180 { lon -= 360 } } else { lon = mod(lon, 90) }
        return (lat, lon)
    }

    /// Local decode of one frame against a reference position that lies within half a zone
    /// of the aircraft (airborne: `surface` false, zones of 6°; surface: 1.5°). Returns nil if
    /// the result is not within half a zone of the reference (the reference was too far).
    public static func local(_ f: CPRFrame, refLat: Double, refLon: Double, surface: Bool) -> (lat: Double, lon: Double)? {
        let span: Double = surface ? 90 : 360
        let latC = Double(f.lat) / scale, lonC = Double(f.lon) / scale
        let dLat = span / (f.odd ? 59 : 60)
        let j = (refLat / dLat).rounded(.down) + (0.5 + mod(refLat, dLat) / dLat - latC).rounded(.down)
        let lat = dLat * (j + latC)
        if lat < -90 || lat > 90 { return nil }
        let ni = Double(max(nl(lat) - (f.odd ? 1 : 0), 1))
        let dLon = span / ni
        let m = (refLon / dLon).rounded(.down) + (0.5 + mod(refLon, dLon) / dLon - lonC).rounded(.down)
        var lon = dLon * (m + lonC)
        lon = mod(lon + 180, 360) - 180
        if abs(lat - refLat) > dLat / 2 { return nil }
        let dl = abs(mod(lon - refLon + 180, 360) - 180)
        if dl > dLon / 2 { return nil }
        return (lat, lon)
    }

    /// Encodes a position on the even or odd grid (airborne or surface), 17 bits each.
    public static func encode(lat: Double, lon: Double, odd: Bool, surface: Bool = false) -> CPRFrame {
        let span: Double = surface ? 90 : 360
        let dLat = span / (odd ? 59 : 60)
        let yz = (scale * mod(lat, dLat) / dLat + 0.5).rounded(.down)
        let rlat = dLat * (yz / scale + (lat / dLat).rounded(.down))
        let ni = Double(max(nl(rlat) - (odd ? 1 : 0), 1))
        let dLon = span / ni
        let xz = (scale * mod(lon, dLon) / dLon + 0.5).rounded(.down)
        return CPRFrame(odd: odd, lat: UInt32(Int(yz) & 0x1FFFF), lon: UInt32(Int(xz) & 0x1FFFF))
    }
}
