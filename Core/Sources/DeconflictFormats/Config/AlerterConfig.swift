import DeconflictCore

/// Reads an ``Alerter`` from `key = value [unit]` text (DAIDALUS `.conf` style). The core does
/// no file I/O: the caller passes the file's contents. The format is documented in
/// docs/alerting.md; in short:
///
/// ```
/// # comment
/// base = phase1                 # optional: start from a built-in (phase1|phase2|noncoop|cylinder)
/// name = my-alerter
/// lookahead_time = 180 [s]
/// alerting_m = 2
/// alerting_n = 4
/// hysteresis_time = 5 [s]
/// persistence_time = 4 [s]
/// alert_1_name = preventive
/// alert_1_detector = WCV_TAUMOD  # or CYLINDER
/// alert_1_alerting_time = 55 [s]
/// alert_1_early_alerting_time = 75 [s]
/// alert_1_WCV_DTHR = 0.66 [nmi]
/// alert_1_WCV_ZTHR = 700 [ft]
/// alert_1_WCV_TTHR = 35 [s]
/// alert_1_WCV_TCOA = 0 [s]
/// alert_2_D = 5 [nmi]            # cylinder radius / half height
/// alert_2_H = 1000 [ft]
/// ```
///
/// A DAIDALUS `.conf` is read too: `alerters = A,B` selects alerter `A` (or the one named by
/// `selecting`), whose `A_alert_k_*` keys and `A_det_j_*` detectors (WCV_TAUMOD or CDCylinder)
/// become the levels. Values without a unit are SI (m, s, m/s), as in DAIDALUS.
public enum AlerterConfig {
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var line: Int
        public var key: String
        public var message: String
        public var description: String { "alerter config line \(line), \(key): \(message)" }
        public init(line: Int, key: String, message: String) {
            self.line = line; self.key = key; self.message = message
        }
    }

    private struct Entry { var line: Int; var key: String; var value: String; var unit: String? }

    private enum Dimension { case length, time, none }

    /// Parses `text`. `selecting` names the alerter of a multi-alerter DAIDALUS file.
    public static func parse(_ text: String, selecting: String? = nil) throws -> Alerter {
        var entries: [String: Entry] = [:]
        var lineNo = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            var line = Substring(raw)
            if let h = line.firstIndex(of: "#") { line = line[..<h] }
            let trimmed = line.trimmingSpaces()
            if trimmed.isEmpty { continue }
            guard let eq = trimmed.firstIndex(of: "=") else {
                throw ParseError(line: lineNo, key: String(trimmed), message: "expected `key = value [unit]`")
            }
            let key = trimmed[..<eq].trimmingSpaces().lowercased()
            var value = trimmed[trimmed.index(after: eq)...].trimmingSpaces()
            var unit: String? = nil
            if let lb = value.firstIndex(of: "["), value.hasSuffix("]") {
                unit = String(value[value.index(after: lb)..<value.index(before: value.endIndex)]).trimmingSpaces()
                value = value[..<lb].trimmingSpaces()
            }
            if key.isEmpty { throw ParseError(line: lineNo, key: "", message: "empty key") }
            entries[key] = Entry(line: lineNo, key: key, value: value, unit: unit)
        }

        // DAIDALUS multi-alerter file: keep the selected alerter's keys, without its prefix.
        if let list = entries["alerters"] {
            let names = list.value.split(separator: ",").map { $0.trimmingSpaces().lowercased() }
            let chosen = selecting?.lowercased() ?? names.first ?? ""
            guard names.contains(chosen) else {
                throw ParseError(line: list.line, key: "alerters", message: "no alerter named \(selecting ?? "")")
            }
            var scoped: [String: Entry] = [:]
            let prefix = chosen + "_"
            for (k, e) in entries where k.hasPrefix(prefix) {
                var e2 = e; e2.key = String(k.dropFirst(prefix.count)); scoped[e2.key] = e2
            }
            for k in ["lookahead_time", "alerting_m", "alerting_n", "hysteresis_time", "persistence_time"] {
                if let e = entries[k], scoped[k] == nil { scoped[k] = e }
            }
            if scoped["name"] == nil { scoped["name"] = Entry(line: list.line, key: "name", value: chosen, unit: nil) }
            entries = scoped
        }

        var alerter = Alerter(name: "custom", lookahead: 180, levels: [])
        if let b = entries["base"] {
            guard let base = Alerter.builtIns[b.value.lowercased()] else {
                throw ParseError(line: b.line, key: b.key, message: "unknown built-in alerter `\(b.value)` (phase1, phase2, noncoop, cylinder)")
            }
            alerter = base
        }
        if let e = entries["name"] { alerter.name = e.value }
        if let e = entries["lookahead_time"] { alerter.lookahead = try number(e, .time) }
        if let e = entries["alerting_m"] { alerter.filter.m = Int(try number(e, .none)) }
        if let e = entries["alerting_n"] { alerter.filter.n = Int(try number(e, .none)) }
        if let e = entries["hysteresis_time"] { alerter.filter.hysteresisTime = try number(e, .time) }
        if let e = entries["persistence_time"] { alerter.filter.persistenceTime = try number(e, .time) }
        if alerter.filter.m < 1 || alerter.filter.n < alerter.filter.m {
            let e = entries["alerting_m"] ?? entries["alerting_n"]!
            throw ParseError(line: e.line, key: e.key, message: "need 1 ≤ alerting_m ≤ alerting_n")
        }

        // Levels: alert_<k>_<field>.
        var levelKeys: [Int: [String: Entry]] = [:]
        for (k, e) in entries where k.hasPrefix("alert_") {
            let rest = k.dropFirst("alert_".count)
            guard let us = rest.firstIndex(of: "_"), let n = Int(rest[..<us]), n >= 1 else {
                throw ParseError(line: e.line, key: e.key, message: "expected alert_<level>_<field>")
            }
            levelKeys[n, default: [:]][String(rest[rest.index(after: us)...])] = e
        }
        if let maxLevel = levelKeys.keys.max() {
            var levels = alerter.levels
            for n in 1...maxLevel {
                guard let fields = levelKeys[n] else {
                    if n <= levels.count { continue }
                    throw ParseError(line: 0, key: "alert_\(n)", message: "levels must be numbered 1…\(maxLevel) without gaps")
                }
                let base: AlertLevel? = n <= levels.count ? levels[n - 1] : nil
                let level = try buildLevel(n, fields, base: base, entries: entries)
                if n <= levels.count { levels[n - 1] = level } else { levels.append(level) }
            }
            alerter.levels = levels
        }
        if alerter.levels.isEmpty {
            throw ParseError(line: 0, key: "alert_1", message: "no alert levels defined (set alert_1_… or base = …)")
        }
        return alerter
    }

    private static func buildLevel(_ n: Int, _ f: [String: Entry], base: AlertLevel?,
                                   entries: [String: Entry]) throws -> AlertLevel {
        // Detector fields may live on a DAIDALUS detector `det_j`.
        var fields = f
        var kind = "wcv_taumod"
        if let d = f["detector"] {
            let v = d.value.lowercased()
            if v.hasPrefix("det_") {
                for (k, e) in entries where k.hasPrefix(v + "_") {
                    fields[String(k.dropFirst(v.count + 1))] = e
                }
                if let load = entries["load_core_detection_" + v] {
                    kind = load.value.split(separator: ".").last.map { $0.lowercased() } ?? kind
                }
            } else {
                kind = v
            }
        } else if case .cylinder? = base?.volume {
            kind = "cylinder"
        }
        if kind == "cdcylinder" { kind = "cylinder" }
        let name = fields["name"]?.value ?? base?.name ?? ["preventive", "corrective", "warning"][safe: n - 1] ?? "level\(n)"
        let at = try fields["alerting_time"].map { try number($0, .time) } ?? base?.alertingTime
        guard let alertingTime = at else {
            throw ParseError(line: 0, key: "alert_\(n)_alerting_time", message: "missing")
        }
        let early = try fields["early_alerting_time"].map { try number($0, .time) } ?? base?.earlyAlertingTime ?? alertingTime
        let volume: ProtectedVolume
        switch kind {
        case "wcv_taumod", "wcv", "taumod":
            var t = WellClearThresholds(dthr: 0, zthr: 0, tthr: 0, tcoa: 0)
            if case .wellClear(let b)? = base?.volume { t = b }
            func pick(_ names: [String], _ dim: Dimension) throws -> Double? {
                for nme in names { if let e = fields[nme] { return try number(e, dim) } }
                return nil
            }
            t.dthr = try pick(["wcv_dthr", "dthr"], .length) ?? t.dthr
            t.zthr = try pick(["wcv_zthr", "zthr"], .length) ?? t.zthr
            t.tthr = try pick(["wcv_tthr", "tthr"], .time) ?? t.tthr
            t.tcoa = try pick(["wcv_tcoa", "tcoa"], .time) ?? t.tcoa
            if t.dthr <= 0 || t.zthr <= 0 {
                throw ParseError(line: fields.values.map(\.line).max() ?? 0, key: "alert_\(n)",
                                 message: "WCV_TAUMOD needs DTHR > 0 and ZTHR > 0")
            }
            volume = .wellClear(t)
        case "cylinder":
            var r = 0.0, h = 0.0
            if case .cylinder(let br, let bh)? = base?.volume { r = br; h = bh }
            if let e = fields["d"] { r = try number(e, .length) }
            if let e = fields["h"] { h = try number(e, .length) }
            if r <= 0 || h <= 0 {
                throw ParseError(line: fields.values.map(\.line).max() ?? 0, key: "alert_\(n)",
                                 message: "CYLINDER needs D > 0 and H > 0")
            }
            volume = .cylinder(radius: r, halfHeight: h)
        default:
            throw ParseError(line: f["detector"]?.line ?? 0, key: "alert_\(n)_detector",
                             message: "unknown detector `\(kind)` (WCV_TAUMOD or CYLINDER)")
        }
        for (k, e) in f where !["name", "detector", "alerting_time", "early_alerting_time", "wcv_dthr", "dthr",
                                 "wcv_zthr", "zthr", "wcv_tthr", "tthr", "wcv_tcoa", "tcoa", "d", "h",
                                 "region", "spread_hdir", "spread_hs", "spread_vs", "spread_alt"].contains(k) {
            throw ParseError(line: e.line, key: e.key, message: "unknown alert level field `\(k)`")
        }
        return AlertLevel(name: name, volume: volume, alertingTime: alertingTime, earlyAlertingTime: early)
    }

    private static func number(_ e: Entry, _ dim: Dimension) throws -> Double {
        guard let v = Double(e.value), v.isFinite else {
            throw ParseError(line: e.line, key: e.key, message: "`\(e.value)` is not a number")
        }
        guard let unit = e.unit?.lowercased(), !unit.isEmpty, unit != "none", unit != "unitless" else { return v }
        let factor: Double?
        switch dim {
        case .length:
            switch unit {
            case "m": factor = 1
            case "ft": factor = Units.metresPerFoot
            case "nmi", "nm": factor = Units.metresPerNM
            case "km": factor = 1000
            default: factor = nil
            }
        case .time:
            switch unit {
            case "s", "sec": factor = 1
            case "min": factor = 60
            case "ms": factor = 0.001
            default: factor = nil
            }
        case .none:
            factor = nil
        }
        guard let f = factor else {
            throw ParseError(line: e.line, key: e.key, message: "unit [\(e.unit!)] does not fit this value")
        }
        return v * f
    }
}

fileprivate extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}

fileprivate extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and carriage returns.
    func trimmingSpaces() -> String {
        let ws: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let a = firstIndex(where: { !ws($0) }) else { return "" }
        let b = lastIndex(where: { !ws($0) })!
        return String(self[a...b])
    }
}
