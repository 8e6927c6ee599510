import DeconflictCore
@testable import DeconflictStore
import Testing

/// The indexes' boxes must never miss a candidate: whenever two volumes share a covering cell
/// or intersect, their boxes overlap and their PostgreSQL lock sets share a key.
@Suite struct BoundsTests {
    struct Rng: RandomNumberGenerator {
        var s: UInt64
        mutating func next() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func randomVolume(near c: LatLon, _ rng: inout Rng) -> Volume4D {
        let spread = 0.03
        let p = LatLon(lat: max(-89.9, min(89.9, c.lat + .random(in: -spread...spread, using: &rng))),
                       lon: Units.wrap180(c.lon + .random(in: -spread...spread, using: &rng) / max(0.05, cos(Units.rad(c.lat)))))
        let outline: Outline
        if Bool.random(using: &rng) {
            outline = .circle(center: p, radius: .random(in: 5...2_000, using: &rng))
        } else {
            let r = Double.random(in: 50...2_000, using: &rng)
            let n = Int.random(in: 3...7, using: &rng)
            outline = .polygon((0..<n).map { k in
                let a = Double(k) / Double(n) * 2 * .pi
                let dLat = Units.deg(r * cos(a) / Units.earthRadius)
                let dLon = Units.deg(r * sin(a) / (Units.earthRadius * max(0.01, cos(Units.rad(p.lat)))))
                return LatLon(lat: p.lat + dLat, lon: Units.wrap180(p.lon + dLon))
            })
        }
        return Volume4D(volume: Volume3D(outline: outline, altitudeLower: 0, altitudeUpper: 100),
                        timeStart: 0, timeEnd: 100)
    }

    @Test(arguments: [LatLon(lat: 47.4, lon: 8.55), LatLon(lat: 0.001, lon: 179.99), LatLon(lat: 61.2, lon: -149.9),
                      LatLon(lat: 78.2, lon: 15.6), LatLon(lat: -33.9, lon: 151.2), LatLon(lat: 89.5, lon: 0)])
    func boxesOverlapWheneverCellsAreSharedOrVolumesIntersect(_ place: LatLon) {
        var rng = Rng(s: UInt64(bitPattern: Int64(place.lat * 1_000)) ^ 77)
        var checked = 0
        for _ in 0..<300 {
            let a = Self.randomVolume(near: place, &rng), b = Self.randomVolume(near: place, &rng)
            guard (try? a.validate()) != nil, (try? b.validate()) != nil else { continue }
            let shared = !Set(a.volume.coveringCells()).isDisjoint(with: b.volume.coveringCells())
            guard shared || a.intersects(b) else { continue }
            checked += 1
            let ba = VolumeBounds.box(a), bb = VolumeBounds.box(b)
            #expect(ba.isValid && bb.isValid)
            #expect(ba.overlaps(bb), "missed candidate: \(a) vs \(b)")
            let la = LockKeys.forBoxes([ba]), lb = LockKeys.forBoxes([bb])
            #expect(la.conflicts(with: lb), "lock sets do not collide")
        }
        #expect(checked > 20)
    }

    @Test func codecRoundTripsAndRejectsGarbage() throws {
        var rng = Rng(s: 9)
        let vs = (0..<5).map { _ in Self.randomVolume(near: LatLon(lat: 10, lon: 20), &rng) }
        #expect(try VolumeCodec.decode(VolumeCodec.encode(vs)) == vs)
        let bytes = VolumeCodec.encode(vs)
        #expect(throws: (any Error).self) { try VolumeCodec.decode(bytes.dropLast()) }
        #expect(throws: (any Error).self) { try VolumeCodec.decode([2, 0, 0, 0, 0]) }
        #expect(throws: (any Error).self) { try VolumeCodec.decode([1, 255, 255, 255, 255]) }
    }
}
