// Prepared outlines: unit vectors, a bounding cap, and (polygons) the gnomonic projection.

/// A polygon ready for geometry: distinct vertices (closing vertex dropped), bounding cap.
struct PreparedPolygon {
    /// Unit vectors of the open ring, counter-clockwise seen from outside the sphere.
    let verts: [Vec3]
    /// Normalized mean of the vertices.
    let center: Vec3
    /// Largest angle from `center` to a vertex, radians.
    let extent: Double
    let gnomonic: GnomonicPlane
    /// The ring in the polygon's own gnomonic plane, counter-clockwise.
    let planar: [PlaneXY]

    /// nil when the ring has fewer than 3 vertices or no usable centre.
    init?(_ ring: [LatLon]) {
        let open = PreparedPolygon.openRing(ring)
        guard open.count >= 3 else { return nil }
        var vs = open.map(SphereGeo.unit)
        var sum = Vec3(x: 0, y: 0, z: 0)
        for v in vs { sum = sum + v }
        guard sum.norm > 1e-9 else { return nil }
        let c = sum.normalized
        var ext = 0.0
        for v in vs { ext = Swift.max(ext, SphereGeo.angle(c, v)) }
        guard ext < 1.2 else { return nil } // beyond ~70°: not a bounded polygon (validate refuses)
        let g = GnomonicPlane(center: c)
        var pl = vs.map(g.project)
        let a = PlaneGeo.signedArea(pl)
        guard a.isFinite, a != 0 else { return nil }
        if a < 0 { vs.reverse(); pl.reverse() }
        verts = vs; center = c; extent = ext; gnomonic = g; planar = pl
    }

    /// The ring without an explicit closing vertex.
    static func openRing(_ ring: [LatLon]) -> [LatLon] {
        if ring.count >= 2, let f = ring.first, let l = ring.last, f == l { return Array(ring.dropLast()) }
        return ring
    }

    /// Whether p (unit vector) is inside (crossing number in the gnomonic plane; boundary undefined).
    func containsRaw(_ p: Vec3) -> Bool {
        guard SphereGeo.angle(center, p) <= extent + 1e-9 else { return false }
        return PlaneGeo.inside(gnomonic.project(p), planar)
    }

    /// Angular distance from p to the boundary, radians.
    func boundaryDistance(_ p: Vec3) -> Double {
        var d = Double.infinity
        for i in verts.indices {
            d = Swift.min(d, SphereGeo.arcDistance(p, verts[i], verts[(i + 1) % verts.count]))
        }
        return d
    }

    /// Angular distance from p to the polygon (0 inside), radians.
    func distance(_ p: Vec3) -> Double { containsRaw(p) ? 0 : boundaryDistance(p) }

    /// Area, m² (sum of the signed triangles of the fan from the centre).
    var area: Double {
        var s = 0.0
        for i in verts.indices { s += SphereGeo.solidAngle(center, verts[i], verts[(i + 1) % verts.count]) }
        return Swift.abs(s) * SphereGeo.R * SphereGeo.R
    }
    /// Sum of the absolute fan triangle areas, m²: ~0 only for a flat (collinear) ring.
    var unsignedFanArea: Double {
        var s = 0.0
        for i in verts.indices { s += Swift.abs(SphereGeo.solidAngle(center, verts[i], verts[(i + 1) % verts.count])) }
        return s * SphereGeo.R * SphereGeo.R
    }
}

/// An outline ready for geometry.
enum PreparedOutline {
    case polygon(PreparedPolygon)
    /// Centre unit vector and angular radius.
    case circle(Vec3, Double)

    init?(_ o: Outline) {
        switch o {
        case let .polygon(ring):
            guard let p = PreparedPolygon(ring) else { return nil }
            self = .polygon(p)
        case let .circle(c, r):
            guard c.lat.isFinite, c.lon.isFinite, r.isFinite, r > 0 else { return nil }
            self = .circle(SphereGeo.unit(c), r / SphereGeo.R)
        }
    }

    /// Bounding cap (centre, angular radius).
    var cap: (Vec3, Double) {
        switch self {
        case let .polygon(p): return (p.center, p.extent)
        case let .circle(c, r): return (c, r)
        }
    }

    /// Angular distance from p to the outline (0 inside).
    func distance(_ p: Vec3) -> Double {
        switch self {
        case let .polygon(poly): return poly.distance(p)
        case let .circle(c, r): return Swift.max(0, SphereGeo.angle(c, p) - r)
        }
    }
}

/// An outline prepared once for many pairwise tests (the offline intents check).
public struct PreparedShape: Sendable {
    let outline: PreparedOutline
    /// Nil when the outline is not valid geometry.
    public init?(_ o: Outline) {
        guard let p = PreparedOutline(o) else { return nil }
        outline = p
    }
    /// Whether the bounding caps of the two shapes are apart (then their interiors are too).
    public func capsApart(_ other: PreparedShape) -> Bool {
        let (ca, ra) = outline.cap, (cb, rb) = other.outline.cap
        return SphereGeo.angle(ca, cb) > ra + rb
    }
    /// Whether the interiors intersect (touching is not intersecting).
    public func interiorsIntersect(_ other: PreparedShape) -> Bool {
        OutlineGeometry.interiorsIntersect(outline, other.outline)
    }
}
