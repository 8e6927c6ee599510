import Testing
import DeconflictCore

/// Randomized cross-checks of the exact intersection against an independent witness:
/// a tiny circle contained (by the separate containment code) in both outlines proves that
/// their interiors overlap. Also checks symmetry.
@Suite("Strategic geometry: randomized intersection checks")
struct IntersectionPropertyTests {
    @Test(arguments: [UInt64(11), 12])
    func witnessImpliesIntersection(seed: UInt64) {
        var rng = SeededRNG(seed: seed)
        let places = [LatLon(lat: 47.3, lon: 8.5), LatLon(lat: 0.001, lon: 179.999), LatLon(lat: 89.99, lon: 0),
                      LatLon(lat: -60, lon: -70)]
        var witnessed = 0, intersecting = 0
        for _ in 0..<300 {
            let base = places[Int.random(in: 0..<places.count, using: &rng)]
            func shape(_ rng: inout SeededRNG) -> Outline {
                let c = dest(base, Double.random(in: 0..<360, using: &rng), Double.random(in: 0...1_500, using: &rng))
                let r = Double.random(in: 200...2_000, using: &rng)
                if Int.random(in: 0..<3, using: &rng) == 0 { return .circle(center: c, radius: r) }
                return randomStar(c, maxRadius: r, vertices: Int.random(in: 3...12, using: &rng), rng: &rng)
            }
            let a = Volume3D(outline: shape(&rng), altitudeLower: 0, altitudeUpper: 1)
            let b = Volume3D(outline: shape(&rng), altitudeLower: 0, altitudeUpper: 1)
            guard (try? a.validate()) != nil, (try? b.validate()) != nil else { continue }
            let ab = a.horizontallyIntersects(b), ba = b.horizontallyIntersects(a)
            #expect(ab == ba, "asymmetric: \(a.outline) vs \(b.outline)")
            if ab { intersecting += 1 }
            for _ in 0..<25 {
                let p = dest(base, Double.random(in: 0..<360, using: &rng), Double.random(in: 0...3_000, using: &rng))
                let probe = Volume3D(outline: .circle(center: p, radius: 1), altitudeLower: 0, altitudeUpper: 1)
                if a.contains(probe) && b.contains(probe) {
                    witnessed += 1
                    #expect(ab, "witness at \(p) but no intersection: \(a.outline) vs \(b.outline)")
                    break
                }
            }
            // Containment implies intersection.
            if a.contains(b) || b.contains(a) { #expect(ab) }
        }
        #expect(witnessed > 20)
        #expect(intersecting >= witnessed)
    }
}
