/// An axis-aligned box in longitude × latitude (degrees), altitude (metres) and time
/// (seconds): what the indexes store per volume and what area queries ask for.
/// Boxes are closed: touching boxes overlap (the index must never miss a candidate).
public struct Box4: Sendable, Hashable, Codable {
    public var minLon: Double, maxLon: Double
    public var minLat: Double, maxLat: Double
    public var minAlt: Double, maxAlt: Double
    public var t0: Double, t1: Double

    public init(minLon: Double, maxLon: Double, minLat: Double, maxLat: Double,
                minAlt: Double, maxAlt: Double, t0: Double, t1: Double) {
        self.minLon = minLon; self.maxLon = maxLon
        self.minLat = minLat; self.maxLat = maxLat
        self.minAlt = minAlt; self.maxAlt = maxAlt
        self.t0 = t0; self.t1 = t1
    }

    /// All four intervals non-empty and finite.
    public var isValid: Bool {
        let all = [minLon, maxLon, minLat, maxLat, minAlt, maxAlt, t0, t1]
        return all.allSatisfy { $0.isFinite }
            && minLon <= maxLon && minLat <= maxLat && minAlt <= maxAlt && t0 <= t1
            && minLat >= -90 && maxLat <= 90 && minLon >= -180 && maxLon <= 180
    }

    public func overlaps(_ o: Box4) -> Bool {
        minLon <= o.maxLon && o.minLon <= maxLon && minLat <= o.maxLat && o.minLat <= maxLat
            && minAlt <= o.maxAlt && o.minAlt <= maxAlt && t0 <= o.t1 && o.t0 <= t1
    }

    /// Whether `o` lies inside this box.
    public func contains(_ o: Box4) -> Bool {
        minLon <= o.minLon && o.maxLon <= maxLon && minLat <= o.minLat && o.maxLat <= maxLat
            && minAlt <= o.minAlt && o.maxAlt <= maxAlt && t0 <= o.t0 && o.t1 <= t1
    }

    /// The smallest box containing all of `boxes`; nil if there are none.
    public static func enclosing(_ boxes: [Box4]) -> Box4? {
        boxes.dropFirst().reduce(boxes.first) { $0?.union($1) }
    }

    public func union(_ o: Box4) -> Box4 {
        Box4(minLon: min(minLon, o.minLon), maxLon: max(maxLon, o.maxLon),
             minLat: min(minLat, o.minLat), maxLat: max(maxLat, o.maxLat),
             minAlt: min(minAlt, o.minAlt), maxAlt: max(maxAlt, o.maxAlt),
             t0: min(t0, o.t0), t1: max(t1, o.t1))
    }

    /// Grown by `deg` degrees horizontally (clamped to the globe), for conservative rounding.
    public func padded(deg: Double) -> Box4 {
        Box4(minLon: Swift.max(-180, minLon - deg), maxLon: Swift.min(180, maxLon + deg),
             minLat: Swift.max(-90, minLat - deg), maxLat: Swift.min(90, maxLat + deg),
             minAlt: minAlt, maxAlt: maxAlt, t0: t0, t1: t1)
    }
}
