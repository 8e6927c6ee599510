import DeconflictCore
import Foundation
import DeconflictFormats

/// One position report as posted to `POST /v1/tracks`, in aviation units.
/// Decoding is strict: every field required, the right JSON type, no unknown field.
public struct TrackReport: Codable, Sendable, Equatable {
    public var aircraft: String
    /// Seconds since 1970-01-01T00:00:00Z.
    public var time: Double
    public var lat: Double
    public var lon: Double
    public var alt_ft: Double
    public var gs_kt: Double
    public var trk_deg: Double
    public var vs_fpm: Double

    enum CodingKeys: String, CodingKey, CaseIterable {
        case aircraft, time, lat, lon, alt_ft, gs_kt, trk_deg, vs_fpm
    }

    public init(aircraft: String, time: Double, lat: Double, lon: Double, alt_ft: Double,
                gs_kt: Double, trk_deg: Double, vs_fpm: Double) {
        self.aircraft = aircraft; self.time = time; self.lat = lat; self.lon = lon
        self.alt_ft = alt_ft; self.gs_kt = gs_kt; self.trk_deg = trk_deg; self.vs_fpm = vs_fpm
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        for k in c.allKeys where CodingKeys(rawValue: k.stringValue) == nil {
            throw ReportError.unknownField(k.stringValue)
        }
        let k = try decoder.container(keyedBy: CodingKeys.self)
        aircraft = try k.decode(String.self, forKey: .aircraft)
        time = try k.decode(Double.self, forKey: .time)
        lat = try k.decode(Double.self, forKey: .lat)
        lon = try k.decode(Double.self, forKey: .lon)
        alt_ft = try k.decode(Double.self, forKey: .alt_ft)
        gs_kt = try k.decode(Double.self, forKey: .gs_kt)
        trk_deg = try k.decode(Double.self, forKey: .trk_deg)
        vs_fpm = try k.decode(Double.self, forKey: .vs_fpm)
    }

    /// Why this report is out of range, or nil.
    public func problem(now: Double, maxFuture: Double, maxPast: Double) -> String? {
        if !AircraftID.isValid(aircraft) { return "aircraft must be 1–32 of A–Z a–z 0–9 - _ ." }
        if !time.isFinite || time > now + maxFuture || time < now - maxPast {
            return "time must be epoch seconds within \(Int(maxPast)) s before and \(Int(maxFuture)) s after now"
        }
        if !(lat >= -90 && lat <= 90) { return "lat must be in [-90, 90]" }
        if !(lon >= -180 && lon <= 180) { return "lon must be in [-180, 180]" }
        if !(alt_ft >= -2000 && alt_ft <= 100_000) { return "alt_ft must be in [-2000, 100000]" }
        if !(gs_kt >= 0 && gs_kt <= 2000) { return "gs_kt must be in [0, 2000]" }
        if !(trk_deg >= 0 && trk_deg < 360) { return "trk_deg must be in [0, 360)" }
        if !(vs_fpm >= -30_000 && vs_fpm <= 30_000) { return "vs_fpm must be in [-30000, 30000]" }
        return nil
    }

    public var state: AircraftState {
        AircraftState(id: aircraft, time: time, lat: lat, lon: lon, altFt: alt_ft, gsKt: gs_kt, trkDeg: trk_deg, vsFpm: vs_fpm)
    }
}

/// The body of `POST /v1/tracks`.
public struct TrackBatch: Codable, Sendable {
    public var reports: [TrackReport]

    public init(reports: [TrackReport]) { self.reports = reports }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        for k in c.allKeys where k.stringValue != "reports" { throw ReportError.unknownField(k.stringValue) }
        reports = try c.decode([TrackReport].self, forKey: AnyKey("reports"))
    }
}

public enum AircraftID {
    public static func isValid(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 32 && s.utf8.allSatisfy {
            ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95 || $0 == 46
        }
    }
}

enum ReportError: Error, CustomStringConvertible {
    case unknownField(String)
    var description: String {
        switch self { case .unknownField(let f): "unknown field '\(f)'" }
    }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A readable one-line account of a decoding error (for `detail`).
enum DecodingDetail {
    static func describe(_ error: any Error) -> String {
        func path(_ p: [any CodingKey]) -> String {
            p.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case let e as ReportError: return e.description
        case DecodingError.typeMismatch(let t, let c): return "wrong type at \(path(c.codingPath)): expected \(t)"
        case DecodingError.keyNotFound(let k, let c): return "missing field \(path(c.codingPath + [k]))"
        case DecodingError.valueNotFound(let t, let c): return "null at \(path(c.codingPath)): expected \(t)"
        case DecodingError.dataCorrupted(let c):
            if let u = c.underlyingError as? ReportError { return "\(u.description) at \(path(c.codingPath))" }
            return c.codingPath.isEmpty ? "malformed JSON" : "invalid value at \(path(c.codingPath))"
        default: return "malformed JSON"
        }
    }
}
