import Foundation
import ArgumentParser
import DeconflictCore
import DeconflictFormats

/// A user-facing error of the alerting commands (message printed as is).
struct AlertsError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// Resolves `--alerter`: a built-in name or a config file (`FILE` or `FILE:ALERTER` for a
/// multi-alerter DAIDALUS .conf).
enum AlerterOption {
    static func resolve(_ spec: String) throws -> Alerter {
        if let a = Alerter.builtIns[spec.lowercased()] { return a }
        var path = spec, select: String? = nil
        if !FileManager.default.fileExists(atPath: spec), let colon = spec.lastIndex(of: ":") {
            path = String(spec[..<colon]); select = String(spec[spec.index(after: colon)...])
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw AlertsError("--alerter \(spec): neither a built-in alerter (phase1, phase2, noncoop, cylinder) nor a file")
        }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw AlertsError("\(path): cannot read: \(error.localizedDescription)")
        }
        do { return try AlerterConfig.parse(text, selecting: select) } catch {
            throw AlertsError("\(path): \(error)")
        }
    }
}

/// The per-row columns of `deconflict alerts`.
enum AlertRow {
    static let columns = ["time", "ownship", "intruder", "alert_level", "time_to_level1_s", "time_to_level2_s",
                          "time_to_level3_s", "hsep_nm", "vsep_ft", "tcpa_s", "dcpa_nm", "tau_mod_s"]

    static func values(time: Double, ownship: String, intruder: String, _ a: PairAssessment) -> [Cell] {
        func ttl(_ k: Int) -> Cell { k < a.timeToLevel.count ? .num(a.timeToLevel[k], 3) : .null }
        return [.num(time, 3), .string(ownship), .string(intruder), .int(a.level), ttl(0), ttl(1), ttl(2),
                .num(a.horizontalSeparation / Units.metresPerNM, 6), .num(a.verticalSeparationFt, 1),
                .num(a.tcpa, 3), .num(a.dcpa / Units.metresPerNM, 6), .num(a.tauMod, 3)]
    }
}
