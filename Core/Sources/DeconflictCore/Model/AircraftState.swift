/// One aircraft's state at an instant, in SI units.
///
/// Positions are WGS84 degrees; altitude is pressure altitude in metres; velocity is
/// ground speed (m/s) along a true track (degrees), and vertical speed (m/s, up positive).
/// Build one from aviation units with ``AircraftState/init(id:time:lat:lon:altFt:gsKt:trkDeg:vsFpm:)``.
public struct AircraftState: Sendable, Hashable {
    public var id: String
    /// Seconds (epoch or scenario time).
    public var time: Double
    public var lat: Double
    public var lon: Double
    /// Pressure altitude, metres.
    public var alt: Double
    /// Ground speed, m/s.
    public var gs: Double
    /// True track, degrees clockwise from north.
    public var trk: Double
    /// Vertical speed, m/s.
    public var vs: Double
    /// The altitude exactly as reported, in feet, when known: kept so that vertical
    /// separation in feet is compared without a lossy ft→m→ft round trip.
    public var altFt: Double?

    public init(id: String, time: Double = 0, lat: Double, lon: Double, alt: Double,
                gs: Double, trk: Double, vs: Double, altFt: Double? = nil) {
        self.id = id; self.time = time; self.lat = lat; self.lon = lon; self.alt = alt
        self.gs = gs; self.trk = trk; self.vs = vs; self.altFt = altFt
    }

    /// From aviation units (ft, kt, deg, fpm): the one conversion at the edge.
    public init(id: String, time: Double = 0, lat: Double, lon: Double, altFt: Double,
                gsKt: Double, trkDeg: Double, vsFpm: Double) {
        self.init(id: id, time: time, lat: lat, lon: lon, alt: Units.ft(altFt),
                  gs: Units.kt(gsKt), trk: trkDeg, vs: Units.fpm(vsFpm), altFt: altFt)
    }

    /// East and north components of the ground velocity, m/s.
    @inlinable public var velocityEN: (east: Double, north: Double) {
        let t = Units.rad(trk)
        return (gs * sin(t), gs * cos(t))
    }

    /// This state moved along its velocity by `dt` seconds (flat-earth step about its own
    /// latitude; fine for the few seconds of a projection to a common time).
    public func projected(by dt: Double) -> AircraftState {
        if dt == 0 { return self }
        let (ve, vn) = velocityEN
        var s = self
        let latRad = Units.rad(lat)
        s.lat = lat + Units.deg(vn * dt / Units.earthRadius)
        let c = max(cos(latRad), 1e-9)
        s.lon = Units.wrap180(lon + Units.deg(ve * dt / (Units.earthRadius * c)))
        if s.lat > 90 { s.lat = 180 - s.lat; s.lon = Units.wrap180(s.lon + 180) }
        if s.lat < -90 { s.lat = -180 - s.lat; s.lon = Units.wrap180(s.lon + 180) }
        s.alt = alt + vs * dt
        if let f = altFt { s.altFt = f + Units.toFt(vs * dt) }
        s.time = time + dt
        return s
    }
}

