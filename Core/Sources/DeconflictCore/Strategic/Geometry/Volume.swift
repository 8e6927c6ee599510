/// Strategic deconfliction geometry: 4D volumes (DOMAIN.md §4, ASTM F3548 / InterUSS DSS).
///
/// Model (see docs/strategic.md):
/// - The Earth is a sphere of radius ``Units/earthRadius`` (6,371,000 m).
/// - Polygon edges are great-circle arcs (as S2 / the DSS), circles are spherical caps
///   (every point within a great-circle distance `radius` of the centre).
/// - Altitudes are metres (the edges convert from feet), times are epoch seconds.
/// - Touching is not a conflict: two volumes conflict only when their interiors overlap
///   in time (strictly), altitude (by more than ``VolumeLimits/altitudeEpsilon``) and
///   horizontally (by more than ``VolumeLimits/horizontalEpsilon``).

/// A WGS84 position in degrees.
public struct LatLon: Sendable, Hashable, CustomStringConvertible {
    public var lat: Double
    public var lon: Double
    public init(lat: Double, lon: Double) { self.lat = lat; self.lon = lon }
    public var description: String { "(\(lat), \(lon))" }
}

/// The horizontal outline of a volume.
public enum Outline: Sendable, Hashable {
    /// A simple polygon, 3...1000 distinct vertices, edges are great-circle arcs.
    /// The ring may be given open (`[a, b, c]`) or explicitly closed (`[a, b, c, a]`):
    /// a last vertex equal to the first is dropped. Either orientation is accepted;
    /// the inside is the smaller of the two regions the ring bounds.
    case polygon([LatLon])
    /// A spherical cap: centre and radius in metres (great-circle distance).
    case circle(center: LatLon, radius: Double)
}

/// A 3D volume: an outline extruded between two altitudes (metres).
public struct Volume3D: Sendable, Hashable {
    public var outline: Outline
    /// Lower altitude, metres.
    public var altitudeLower: Double
    /// Upper altitude, metres (must be > lower).
    public var altitudeUpper: Double

    public init(outline: Outline, altitudeLower: Double, altitudeUpper: Double) {
        self.outline = outline; self.altitudeLower = altitudeLower; self.altitudeUpper = altitudeUpper
    }
    public static func polygon(_ vertices: [LatLon], lower: Double, upper: Double) -> Volume3D {
        Volume3D(outline: .polygon(vertices), altitudeLower: lower, altitudeUpper: upper)
    }
    public static func circle(center: LatLon, radius: Double, lower: Double, upper: Double) -> Volume3D {
        Volume3D(outline: .circle(center: center, radius: radius), altitudeLower: lower, altitudeUpper: upper)
    }
}

/// A 4D volume: a ``Volume3D`` during [timeStart, timeEnd] (epoch seconds, end > start).
public struct Volume4D: Sendable, Hashable {
    public var volume: Volume3D
    public var timeStart: Double
    public var timeEnd: Double

    public init(volume: Volume3D, timeStart: Double, timeEnd: Double) {
        self.volume = volume; self.timeStart = timeStart; self.timeEnd = timeEnd
    }
}

/// Limits and tolerances of the volume model (documented in docs/strategic.md).
public enum VolumeLimits {
    /// Most polygon vertices (after dropping an explicit closing vertex).
    public static let maxVertices = 1000
    /// Largest horizontal area of an outline, m² (2,500 km², the DSS's limit).
    public static let maxArea = 2_500e6
    /// Smallest polygon area, m² (below: degenerate).
    public static let minArea = 1.0
    /// Every polygon vertex lies within this distance of the polygon's centre, metres.
    public static let maxExtent = 100_000.0
    /// Circle radius bounds, metres (the upper bound is the area limit: π·r² ≤ 2,500 km²).
    public static let minRadius = 1.0
    public static let maxRadius = 28_209.0
    /// Two consecutive vertices closer than this are a repeated vertex, metres.
    public static let minEdgeLength = 0.01
    /// Altitude bounds, metres (−500 m … 30,000 m).
    public static let minAltitude = -500.0
    public static let maxAltitude = 30_000.0
    /// Time bounds: epoch seconds in [0, 2^33) (year 1970 … 2242).
    public static let maxTime = 8_589_934_592.0
    /// OutlineGeometry overlap narrower than this counts as touching (metres).
    public static let horizontalEpsilon = 0.001
    /// Altitude overlap thinner than this counts as touching (metres).
    public static let altitudeEpsilon = 0.001
}

/// Why a volume is invalid. Vertex indices refer to the ring as given.
public enum VolumeError: Error, Sendable, Hashable, CustomStringConvertible {
    case tooManyVertices(count: Int, max: Int)
    case tooFewVertices(count: Int)
    case nonFinite(field: String)
    case latitudeOutOfRange(index: Int, lat: Double)
    case longitudeOutOfRange(index: Int, lon: Double)
    case repeatedVertex(index: Int)
    case selfIntersecting(edge1: Int, edge2: Int)
    case degenerate(area: Double)
    case areaTooLarge(area: Double, max: Double)
    case extentTooLarge(distance: Double, max: Double)
    case radiusOutOfRange(radius: Double)
    case altitudeOutOfRange(altitude: Double)
    case altitudeBandEmpty(lower: Double, upper: Double)
    case timeOutOfRange(time: Double)
    case timeWindowEmpty(start: Double, end: Double)

    public var description: String {
        switch self {
        case let .tooManyVertices(c, m): return "polygon has \(c) vertices, at most \(m) allowed"
        case let .tooFewVertices(c): return "polygon has \(c) distinct vertices, at least 3 needed"
        case let .nonFinite(f): return "\(f) is not a finite number"
        case let .latitudeOutOfRange(i, v): return "vertex \(i): latitude \(v) outside [-90, 90]"
        case let .longitudeOutOfRange(i, v): return "vertex \(i): longitude \(v) outside [-180, 180]"
        case let .repeatedVertex(i): return "vertex \(i) repeats an earlier vertex"
        case let .selfIntersecting(a, b): return "polygon edges \(a) and \(b) intersect (not a simple polygon)"
        case let .degenerate(a): return "polygon is degenerate (area \(a) m² < \(VolumeLimits.minArea) m²)"
        case let .areaTooLarge(a, m): return "area \(Int(a / 1e6)) km² exceeds \(Int(m / 1e6)) km²"
        case let .extentTooLarge(d, m): return "a vertex is \(Int(d)) m from the polygon's centre, at most \(Int(m)) m allowed"
        case let .radiusOutOfRange(r): return "radius \(r) m outside [\(VolumeLimits.minRadius), \(VolumeLimits.maxRadius)] m"
        case let .altitudeOutOfRange(a): return "altitude \(a) m outside [\(VolumeLimits.minAltitude), \(VolumeLimits.maxAltitude)] m"
        case let .altitudeBandEmpty(l, u): return "altitude lower \(l) m is not below upper \(u) m"
        case let .timeOutOfRange(t): return "time \(t) outside [0, \(VolumeLimits.maxTime)) epoch seconds"
        case let .timeWindowEmpty(s, e): return "time end \(e) is not after start \(s)"
        }
    }
}

/// How two 4D volumes overlap: the common time window and altitude band
/// (both open intervals: touching is not an overlap).
public struct VolumeOverlap: Sendable, Hashable {
    public var timeStart: Double
    public var timeEnd: Double
    public var altitudeLower: Double
    public var altitudeUpper: Double
    public init(timeStart: Double, timeEnd: Double, altitudeLower: Double, altitudeUpper: Double) {
        self.timeStart = timeStart; self.timeEnd = timeEnd
        self.altitudeLower = altitudeLower; self.altitudeUpper = altitudeUpper
    }
}
