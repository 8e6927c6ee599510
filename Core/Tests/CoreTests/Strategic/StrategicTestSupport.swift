import DeconflictCore

/// Destination point on the sphere (metres, bearing degrees clockwise from north).
func dest(_ p: LatLon, _ bearing: Double, _ d: Double) -> LatLon {
    let R = Units.earthRadius
    let phi1 = Units.rad(p.lat), lam1 = Units.rad(p.lon), th = Units.rad(bearing), dl = d / R
    let phi2 = asin(sin(phi1) * cos(dl) + cos(phi1) * sin(dl) * cos(th))
    let lam2 = lam1 + atan2(sin(th) * sin(dl) * cos(phi1), cos(dl) - sin(phi1) * sin(phi2))
    return LatLon(lat: Units.deg(phi2), lon: Units.wrap180(Units.deg(lam2)))
}

/// Great-circle midpoint.
func midpoint(_ a: LatLon, _ b: LatLon) -> LatLon {
    let f = { (p: LatLon) -> (Double, Double, Double) in
        (cos(Units.rad(p.lat)) * cos(Units.rad(p.lon)), cos(Units.rad(p.lat)) * sin(Units.rad(p.lon)), sin(Units.rad(p.lat)))
    }
    let (x1, y1, z1) = f(a), (x2, y2, z2) = f(b)
    let x = x1 + x2, y = y1 + y2, z = z1 + z2
    return LatLon(lat: Units.deg(atan2(z, (x * x + y * y).squareRoot())), lon: Units.deg(atan2(y, x)))
}

/// Initial great-circle bearing from a to b, degrees.
func bearing(_ a: LatLon, _ b: LatLon) -> Double {
    let p1 = Units.rad(a.lat), p2 = Units.rad(b.lat), dl = Units.rad(b.lon - a.lon)
    return Units.deg(atan2(sin(dl) * cos(p2), cos(p1) * sin(p2) - sin(p1) * cos(p2) * cos(dl)))
}

/// An axis-aligned lat/lon box polygon (degrees), counter-clockwise.
func box(_ lat0: Double, _ lon0: Double, _ lat1: Double, _ lon1: Double) -> Outline {
    .polygon([LatLon(lat: lat0, lon: lon0), LatLon(lat: lat0, lon: lon1),
              LatLon(lat: lat1, lon: lon1), LatLon(lat: lat1, lon: lon0)])
}

func vol(_ o: Outline, _ lower: Double = 0, _ upper: Double = 120, _ t0: Double = 1_000, _ t1: Double = 2_000) -> Volume4D {
    Volume4D(volume: Volume3D(outline: o, altitudeLower: lower, altitudeUpper: upper), timeStart: t0, timeEnd: t1)
}

func circle(_ lat: Double, _ lon: Double, _ r: Double) -> Outline { .circle(center: LatLon(lat: lat, lon: lon), radius: r) }

func hIntersects(_ a: Outline, _ b: Outline) -> Bool {
    let x = Volume3D(outline: a, altitudeLower: 0, altitudeUpper: 100)
    let y = Volume3D(outline: b, altitudeLower: 0, altitudeUpper: 100)
    let r1 = x.horizontallyIntersects(y), r2 = y.horizontallyIntersects(x)
    precondition(r1 == r2, "asymmetric intersection")
    return r1
}

/// Deterministic PRNG (SplitMix64).
struct SeededRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A random star-shaped (hence simple) polygon around a centre.
func randomStar(_ c: LatLon, maxRadius: Double, vertices n: Int, rng: inout SeededRNG) -> Outline {
    var angles = (0..<n).map { _ in Double.random(in: 0..<360, using: &rng) }
    angles.sort()
    var pts: [LatLon] = []
    var last = -1.0
    for a in angles where a - last > 0.5 {
        pts.append(dest(c, a, Double.random(in: 0.3...1, using: &rng) * maxRadius))
        last = a
    }
    if pts.count < 3 {
        pts = [dest(c, 0, maxRadius), dest(c, 120, maxRadius), dest(c, 240, maxRadius)]
    }
    return .polygon(pts)
}
