/// A predicted conflict between two aircraft: they will be (or are) closer than the
/// protected zone both horizontally and vertically within the lookahead.
///
/// `a` and `b` index the state array given to the detector, ordered so that
/// `ids[a] < ids[b]`. Distances are metres, times seconds from the detection time.
public struct Conflict: Sendable, Hashable {
    public var a: Int
    public var b: Int
    /// Time of horizontal closest approach (may be negative: diverging).
    public var tcpa: Double
    /// Horizontal distance at closest approach.
    public var dcpa: Double
    /// Time to loss of separation: entry into the protected zone, 0 when already inside.
    public var tin: Double
    /// Time of exit from the protected zone.
    public var tout: Double
    /// Loss of separation now.
    public var los: Bool
    /// Horizontal distance now.
    public var distance: Double
    /// Vertical separation now (absolute), metres.
    public var verticalSeparation: Double

    public init(a: Int, b: Int, tcpa: Double, dcpa: Double, tin: Double, tout: Double,
                los: Bool, distance: Double, verticalSeparation: Double) {
        self.a = a; self.b = b; self.tcpa = tcpa; self.dcpa = dcpa; self.tin = tin
        self.tout = tout; self.los = los; self.distance = distance
        self.verticalSeparation = verticalSeparation
    }
}

extension Conflict {
    /// The predicted geometry of the pair.
    public var geometry: PairGeometry {
        PairGeometry(tcpa: tcpa, dcpa: dcpa, tin: tin, tout: tout, los: los, distance: distance,
                     verticalSeparation: verticalSeparation)
    }
}
