/// A snapshot of traffic laid out column-wise for the detector's hot loops.
///
/// Built once per cycle from ``AircraftState`` values: velocities are resolved into
/// east/north components so no pair test calls `sin`/`cos` for them.
public struct TrafficPicture: Sendable {
    public let ids: [String]
    public let lat: [Double]
    public let lon: [Double]
    public let alt: [Double]
    public let ve: [Double]
    public let vn: [Double]
    public let vs: [Double]
    /// cos and sin of half the latitude: cos of a pair's mean latitude is
    /// `cosHalf[i]·cosHalf[j] − sinHalf[i]·sinHalf[j]`.
    public let cosHalf: [Double]
    public let sinHalf: [Double]

    public var count: Int { ids.count }

    public init(_ states: [AircraftState]) {
        let n = states.count
        var ids = [String](); ids.reserveCapacity(n)
        var lat = [Double](), lon = [Double](), alt = [Double]()
        var ve = [Double](), vn = [Double](), vs = [Double]()
        lat.reserveCapacity(n); lon.reserveCapacity(n); alt.reserveCapacity(n)
        ve.reserveCapacity(n); vn.reserveCapacity(n); vs.reserveCapacity(n)
        for s in states {
            ids.append(s.id); lat.append(s.lat); lon.append(s.lon); alt.append(s.alt)
            let v = s.velocityEN
            ve.append(v.east); vn.append(v.north); vs.append(s.vs)
        }
        self.ids = ids; self.lat = lat; self.lon = lon; self.alt = alt
        self.ve = ve; self.vn = vn; self.vs = vs
        cosHalf = lat.map { cos(Units.rad($0) / 2) }
        sinHalf = lat.map { sin(Units.rad($0) / 2) }
    }

    /// The exact pair test between aircraft `i` and `j`.
    @inlinable
    public func evaluate(_ i: Int, _ j: Int, _ p: DetectionParameters) -> PairGeometry? {
        StateBased.evaluate(
            lat1: lat[i], lon1: lon[i], alt1: alt[i], ve1: ve[i], vn1: vn[i], vs1: vs[i],
            lat2: lat[j], lon2: lon[j], alt2: alt[j], ve2: ve[j], vn2: vn[j], vs2: vs[j],
            cosMeanLat: cosHalf[i] * cosHalf[j] - sinHalf[i] * sinHalf[j], parameters: p)
    }

    /// Runs `body` with raw views of the columns for the detector's hot loop.
    public func withBuffers<R>(_ body: (PictureBuffers) throws -> R) rethrows -> R {
        try lat.withUnsafeBufferPointer { la in
            try lon.withUnsafeBufferPointer { lo in
                try alt.withUnsafeBufferPointer { al in
                    try ve.withUnsafeBufferPointer { e in
                        try vn.withUnsafeBufferPointer { nn in
                            try vs.withUnsafeBufferPointer { v in
                                try cosHalf.withUnsafeBufferPointer { ch in
                                    try sinHalf.withUnsafeBufferPointer { sh in
                                        try body(PictureBuffers(lat: la, lon: lo, alt: al, ve: e, vn: nn, vs: v,
                                                                cosHalf: ch, sinHalf: sh))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Raw views of a ``TrafficPicture``'s columns, valid inside ``TrafficPicture/withBuffers(_:)``.
public struct PictureBuffers {
    let lat, lon, alt, ve, vn, vs, cosHalf, sinHalf: UnsafeBufferPointer<Double>

    @inline(__always)
    public func evaluate(_ i: Int, _ j: Int, _ p: DetectionParameters) -> PairGeometry? {
        StateBased.evaluate(
            lat1: lat[i], lon1: lon[i], alt1: alt[i], ve1: ve[i], vn1: vn[i], vs1: vs[i],
            lat2: lat[j], lon2: lon[j], alt2: alt[j], ve2: ve[j], vn2: vn[j], vs2: vs[j],
            cosMeanLat: cosHalf[i] * cosHalf[j] - sinHalf[i] * sinHalf[j], parameters: p)
    }
}
