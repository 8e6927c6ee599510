/// Which aircraft a party sees of the others: those within `radius` horizontally and
/// `heightFt` vertically of any of its own (need-to-know: no more of the other side than
/// safety needs). One ``BroadPhase`` with the vicinity's ``Reach`` over the whole picture; a
/// query stops at the first own aircraft near enough, so it stays cheap when thousands are
/// visible.
public struct Vicinity: Sendable {
    public let radius: Double
    public let heightFt: Double
    let states: [AircraftState]
    let altFt: [Double]
    let broad: BroadPhase

    /// `radius` in metres, `heightFt` in feet (compared with reported feet, as the parties see
    /// them).
    public init(_ states: [AircraftState], radius: Double, heightFt: Double) {
        self.states = states; self.radius = radius; self.heightFt = heightFt
        altFt = states.map { $0.altFt ?? Units.toFt($0.alt) }
        broad = BroadPhase(TrafficPicture(states), reach: .vicinity(radius: radius, height: Units.ft(heightFt) + 0.02))
    }

    /// Whether `i` and `k` are within the vicinity of each other.
    @inline(__always)
    public func near(_ i: Int, _ k: Int) -> Bool {
        guard abs(altFt[k] - altFt[i]) <= heightFt else { return false }
        let (a, b) = (states[i], states[k])
        let dn = Units.rad(b.lat - a.lat) * Units.earthRadius
        let de = Units.rad(Units.wrap180(b.lon - a.lon)) * Units.earthRadius * cos(Units.rad((b.lat + a.lat) / 2))
        return dn * dn + de * de <= radius * radius
    }

    /// The aircraft not of `party` that are near one of `party`'s (`parties[i]`: aircraft i's
    /// party), in index order.
    public func visible<P: Equatable>(to party: P, parties: [P]) -> [Int] {
        precondition(parties.count == states.count)
        var mark = [Int32](repeating: -1, count: states.count)
        var out: [Int] = []
        for j in states.indices where parties[j] != party {
            if broad.firstNeighbour(of: j, mark: &mark, where: { k in parties[k] == party && near(j, k) }) {
                out.append(j)
            }
        }
        return out
    }
}
