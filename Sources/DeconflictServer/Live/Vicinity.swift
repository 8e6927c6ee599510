import DeconflictCore
import Foundation

/// Which of a set of positions lie within `radius` NM horizontally and `height` ft
/// vertically of a query point: a latitude/longitude hash grid with cells one radius
/// tall, so a query looks at a few cells, not every aircraft.
struct VicinityGrid {
    let radiusM: Double
    let heightFt: Double
    let cellDeg: Double
    private var cells: [Int64: [Int]] = [:]
    private let lat: [Double], lon: [Double], altFt: [Double]

    init(lat: [Double], lon: [Double], altFt: [Double], radiusNM: Double, heightFt: Double) {
        self.lat = lat; self.lon = lon; self.altFt = altFt
        radiusM = Units.nm(radiusNM); self.heightFt = heightFt
        cellDeg = max(Units.deg(radiusM / Units.earthRadius), 0.01)
        for k in lat.indices { cells[key(row(lat[k]), col(lon[k])), default: []].append(k) }
    }

    private func row(_ la: Double) -> Int { Int(((la + 90) / cellDeg).rounded(.down)) }
    private func col(_ lo: Double) -> Int { Int(((lo + 180) / cellDeg).rounded(.down)) }
    private var cols: Int { Int((360 / cellDeg).rounded(.up)) }
    private func key(_ r: Int, _ c: Int) -> Int64 { Int64(r) << 32 | Int64(c) }

    /// Indices of the positions near (la, lo, ft).
    func near(lat la: Double, lon lo: Double, altFt ft: Double, _ body: (Int) -> Void) {
        _ = scan(la, lo, ft) { body($0); return false }
    }

    /// Whether any position is near (la, lo, ft) (stops at the first).
    func any(lat la: Double, lon lo: Double, altFt ft: Double) -> Bool {
        scan(la, lo, ft) { _ in true }
    }

    /// Visits the positions near (la, lo, ft) until `body` returns true; returns whether it did.
    private func scan(_ la: Double, _ lo: Double, _ ft: Double, _ body: (Int) -> Bool) -> Bool {
        let r0 = row(la)
        let c = max(cos(Units.rad(min(abs(la) + cellDeg, 89.9))), 1e-6)
        let span = Int((1 / c).rounded(.up))
        let c0 = col(lo)
        let n = cols
        let wraps = 2 * span + 1 >= n
        for r in (r0 - 1)...(r0 + 1) {
            if wraps {
                for cc in 0..<n where visit(r, cc, la, lo, ft, body) { return true }
            } else {
                for cc in (c0 - span)...(c0 + span) where visit(r, ((cc % n) + n) % n, la, lo, ft, body) { return true }
            }
        }
        return false
    }

    private func visit(_ r: Int, _ c: Int, _ la: Double, _ lo: Double, _ ft: Double, _ body: (Int) -> Bool) -> Bool {
        guard let members = cells[key(r, c)] else { return false }
        for k in members where abs(altFt[k] - ft) <= heightFt {
            let dn = Units.rad(lat[k] - la) * Units.earthRadius
            let de = Units.rad(Units.wrap180(lon[k] - lo)) * Units.earthRadius * cos(Units.rad((lat[k] + la) / 2))
            if dn * dn + de * de <= radiusM * radiusM, body(k) { return true }
        }
        return false
    }
}
