import DeconflictCore
import DeconflictStore
import Foundation

/// The `bench intents` scenario (docs/store.md "Benchmark"):
/// - preload: N intents (circles of 200–2,000 m, 0–120/400 m, 10–60 min somewhere in 7 days)
///   spread uniformly over a continent-sized box (35–60°N, 10°W–30°E), bulk-inserted;
/// - hot area: each writer owns ONE intent, a circle (`--hot-radius`, default 1 km) inside one
///   10 km circle. `--layout stacked` (default, the worst case): centres within 0.4 radius of the
///   hot point, so every writer's intent overlaps every other's. `--layout spread`: centres
///   uniform over the 10 km circle (each circle inside it), so writers overlap sometimes. Each round a
///   writer reads the OVNs of what overlaps its new volume, then updates its intent with that
///   key; a refusal for missing keys counts as refused_stale and is retried with the OVNs the
///   refusal lists. The overlapping set stays bounded (writers + the few preloaded intents there).
/// - after the run: every writer's stored intent must be its last acknowledged one
///   (lost_updates), then area queries (10 km × 10 km, 1 h) at random places in the continent.
enum IntentBenchScenario {
    static let region = (lat0: 35.0, lat1: 60.0, lon0: -10.0, lon1: 30.0)
    static let hot = LatLon(lat: 47.0, lon: 8.0)
    static let epoch = 1_800_000_000.0
    static let week = 7 * 86_400.0

    struct Rng: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func preloadIntent(_ n: Int, _ rng: inout Rng) -> Intent {
        let c = LatLon(lat: .random(in: region.lat0..<region.lat1, using: &rng),
                       lon: .random(in: region.lon0..<region.lon1, using: &rng))
        let start = epoch + .random(in: 0..<week, using: &rng)
        let v = Volume4D(volume: .circle(center: c, radius: .random(in: 200..<2_000, using: &rng),
                                         lower: 0, upper: Bool.random(using: &rng) ? 120 : 400),
                         timeStart: start, timeEnd: start + .random(in: 600..<3_600, using: &rng))
        return Intent(id: "p\(n)", owner: "pre\(n % 1_000)", ovn: "pre-\(n)", version: 1, state: .accepted,
                      priority: 0, volumes: [v])
    }

    /// Radius of the hot area, metres (a 10 km circle).
    static let hotAreaRadius = 5_000.0

    /// Writer `w`'s volume for round `round`: a circle of `radius` metres inside the 10 km hot
    /// circle. Stacked: centred within 0.4·radius of the hot point, so every writer's volume
    /// overlaps every other's. Spread: centred uniformly over the disc where it fits.
    static func hotVolume(writer w: Int, round: Int, radius: Double, spread: Bool = false, _ rng: inout Rng) -> Volume4D {
        let reach = spread ? hotAreaRadius - radius : 0.4 * radius
        let d = reach * Double.random(in: 0..<1, using: &rng).squareRoot(), a = Double.random(in: 0..<(2 * .pi), using: &rng)
        let c = LatLon(lat: hot.lat + Units.deg(d * cos(a) / Units.earthRadius),
                       lon: hot.lon + Units.deg(d * sin(a) / (Units.earthRadius * cos(Units.rad(hot.lat)))))
        let start = epoch + 3 * 86_400
        return Volume4D(volume: .circle(center: c, radius: radius, lower: 0, upper: 120),
                        timeStart: start, timeEnd: start + 3_600 + Double(round % 60))
    }

    /// A random 10 km × 10 km × 1 h query box inside the region.
    static func queryBox(_ rng: inout Rng) -> Box4 {
        let lat = Double.random(in: region.lat0..<(region.lat1 - 0.1), using: &rng)
        let lon = Double.random(in: region.lon0..<(region.lon1 - 0.15), using: &rng)
        let dLat = Units.deg(10_000 / Units.earthRadius)
        let dLon = dLat / cos(Units.rad(lat))
        let t = epoch + .random(in: 0..<week, using: &rng)
        return Box4(minLon: lon, maxLon: lon + dLon, minLat: lat, maxLat: lat + dLat, minAlt: 0, maxAlt: 400,
                    t0: t, t1: t + 3_600)
    }
}
