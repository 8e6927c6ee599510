/// Seeded synthetic en-route traffic, the same distributions as the BlueSky peer's
/// `gen_traffic.py` (uniform box, FL100–400, 250–500 kt, uniform track, 70 % level at
/// a flight level, 30 % climbing/descending at 500–3000 fpm) but with our own
/// generator, so the numbers differ from the peer's for the same seed. Use
/// `deconflict bench detect --write` to hand the very same traffic to the peer.
public struct TrafficGenerator: Sendable {
    public enum Region: String, Sendable, CaseIterable {
        /// 600 km box centred on 35N 38E (the peer's default).
        case dense
        /// 3000 km box centred on 35N 38E.
        case continental

        public var boxKm: Double { self == .dense ? 600 : 3000 }
    }

    public var lat0 = 35.0, lon0 = 38.0, boxKm = 600.0
    public var flMin = 100, flMax = 400
    public var gsMinKt = 250.0, gsMaxKt = 500.0
    public var fracVertical = 0.3
    public var vsMinFpm = 500.0, vsMaxFpm = 3000.0

    public init(region: Region = .dense) { boxKm = region.boxKm }

    /// `n` aircraft named AC00000…; the same seed gives the same traffic.
    /// Values are rounded as the peer's file writer rounds them (lat/lon 6 decimals,
    /// alt/gs/vs 1 decimal, track 2), so a written file reads back to the same states.
    public func generate(_ n: Int, seed: UInt64 = 42) -> [AircraftState] {
        var rng = SeededRandom(seed: seed)
        let half = boxKm / 2
        let dLat = Units.deg(half * 1000 / Units.earthRadius)
        let dLon = Units.deg(half * 1000 / (Units.earthRadius * cos(Units.rad(lat0))))
        let width = max(5, String(n - 1).count)
        var out: [AircraftState] = []
        out.reserveCapacity(n)
        for k in 0..<n {
            let lat = rng.uniform(lat0 - dLat, lat0 + dLat)
            let lon = rng.uniform(lon0 - dLon, lon0 + dLon)
            let gs = rng.uniform(gsMinKt, gsMaxKt)
            let trk = rng.uniform(0, 360)
            let alt: Double, vs: Double
            if rng.uniform(0, 1) < fracVertical {
                alt = rng.uniform(Double(flMin) * 100, Double(flMax) * 100)
                vs = (rng.uniform(0, 1) < 0.5 ? -1 : 1) * rng.uniform(vsMinFpm, vsMaxFpm)
            } else {
                alt = 1000 * Double(flMin / 10 + Int(rng.next() % UInt64(flMax / 10 - flMin / 10 + 1)))
                vs = 0
            }
            var id = String(k)
            id = "AC" + String(repeating: "0", count: max(0, width - id.count)) + id
            out.append(AircraftState(id: id, lat: round6(lat), lon: round6(lon), altFt: round1(alt),
                                     gsKt: round1(gs), trkDeg: round2(trk), vsFpm: round1(vs)))
        }
        return out
    }

    private func round6(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }
    private func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
    private func round1(_ x: Double) -> Double { (x * 10).rounded() / 10 }
}

/// xoshiro256** seeded through SplitMix64: small, fast, reproducible everywhere.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    /// Uniform in [a, b).
    public mutating func uniform(_ a: Double, _ b: Double) -> Double {
        a + (b - a) * Double(next() >> 11) * 0x1.0p-53
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
