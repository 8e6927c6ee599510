import DeconflictCore
import Foundation

/// JSON bodies for `POST /v1/tracks`.
enum Body {
    static func report(_ id: String, time: Double = Date().timeIntervalSince1970, lat: Double, lon: Double,
                       alt: Double = 35000, gs: Double = 420, trk: Double = 90, vs: Double = 0) -> String {
        #"{"aircraft":"\#(id)","time":\#(time),"lat":\#(lat),"lon":\#(lon),"alt_ft":\#(alt),"gs_kt":\#(gs),"trk_deg":\#(trk),"vs_fpm":\#(vs)}"#
    }

    static func batch(_ reports: [String]) -> String { #"{"reports":[\#(reports.joined(separator: ","))]}"# }
}

/// A blue eastbound and a red northbound flight at 420 kt, both `secondsToMeet` from
/// the same point (so dcpa 0, closing at 420·√2 kt; 5 NM are lost about 30 s before
/// they meet).
enum Crossing {
    static let gsKt = 420.0

    static func positions(secondsToMeet t: Double, lat0: Double = 50, lon0: Double = 5) -> (blue: (Double, Double), red: (Double, Double)) {
        let d = Units.kt(gsKt) * t
        let dLon = Units.deg(d / (Units.earthRadius * cos(Units.rad(lat0))))
        let dLat = Units.deg(d / Units.earthRadius)
        return ((lat0, lon0 - dLon), (lat0 - dLat, lon0))
    }

    /// Both reports for one instant.
    static func bodies(secondsToMeet t: Double, blue: String = "BLU1", red: String = "RED1", lat0: Double = 50,
                       time: Double = Date().timeIntervalSince1970) -> (blue: String, red: String) {
        let p = positions(secondsToMeet: t, lat0: lat0)
        return (Body.batch([Body.report(blue, time: time, lat: p.blue.0, lon: p.blue.1, gs: gsKt, trk: 90)]),
                Body.batch([Body.report(red, time: time, lat: p.red.0, lon: p.red.1, gs: gsKt, trk: 0)]))
    }
}
