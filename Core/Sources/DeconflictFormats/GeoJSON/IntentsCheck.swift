import DeconflictCore

/// The offline cross-check of `deconflict intents check`: conflicts between different parties'
/// features, and the report in table or JSON form.
public struct FeatureConflict: Sendable, Hashable {
    public var a: IntentFeature
    public var b: IntentFeature
    public var overlap: VolumeOverlap
}

public struct IntentsCheckReport: Sendable {
    public var files: [String]
    public var features: [IntentFeature]
    public var errors: [IntentsFileError]
    public var conflicts: [FeatureConflict]

    /// Exit status: 0 clean, 1 conflicts found (and input valid), 2 invalid input.
    public var exitCode: Int32 { !errors.isEmpty ? 2 : (conflicts.isEmpty ? 0 : 1) }
}

public enum IntentsCheck {
    /// Cross-checks features: every pair of different parties whose volumes overlap in 4D
    /// (touching is not a conflict). Pairs are found by a sweep over start times, filtered by
    /// altitude and bounding caps, then tested exactly. Sorted by (file, index) of `a`, then `b`.
    public static func conflicts(_ features: [IntentFeature]) -> [FeatureConflict] {
        let order = features.indices.sorted { features[$0].volume.timeStart < features[$1].volume.timeStart }
        let prepared = features.map { PreparedShape($0.volume.volume.outline) }
        var out: [FeatureConflict] = []
        for (k, i) in order.enumerated() {
            let fi = features[i]
            guard let pi = prepared[i] else { continue }
            for j in order[(k + 1)...] {
                let fj = features[j]
                if fj.volume.timeStart >= fi.volume.timeEnd { break }
                guard fi.party != fj.party, let pj = prepared[j],
                      let t = fi.volume.timeOverlap(fj.volume),
                      let alt = fi.volume.volume.altitudeOverlap(fj.volume.volume) else { continue }
                if pi.capsApart(pj) { continue }
                guard pi.interiorsIntersect(pj) else { continue }
                let (x, y) = before(fi, fj) ? (fi, fj) : (fj, fi)
                out.append(FeatureConflict(a: x, b: y, overlap: VolumeOverlap(timeStart: t.start, timeEnd: t.end,
                                                                               altitudeLower: alt.lower, altitudeUpper: alt.upper)))
            }
        }
        return out.sorted { before($0.a, $1.a) || ($0.a == $1.a && before($0.b, $1.b)) }
    }

    static func before(_ x: IntentFeature, _ y: IntentFeature) -> Bool {
        (x.file, x.index) < (y.file, y.index)
    }

    /// Parses each (file name, bytes) and cross-checks all valid features together.
    public static func run(_ inputs: [(file: String, bytes: [UInt8])]) -> IntentsCheckReport {
        var features: [IntentFeature] = [], errors: [IntentsFileError] = []
        for (file, bytes) in inputs {
            do {
                let p = try IntentsFile.parse(bytes, file: file)
                features += p.features; errors += p.errors
            } catch { errors.append(error) }
        }
        return IntentsCheckReport(files: inputs.map(\.file), features: features, errors: errors,
                                  conflicts: conflicts(features))
    }
}

// MARK: - Output

extension IntentsCheckReport {
    static func ft(_ m: Double) -> String {
        let f = Units.toFt(m)
        let r = (f * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
    static func label(_ f: IntentFeature) -> String { "\(f.file)#\(f.index)" }

    /// Human-readable table (errors go to the caller's stderr: see ``errorLines``).
    public func table() -> String {
        var lines: [String] = []
        let n = conflicts.count
        lines.append("Checked \(features.count) intent\(features.count == 1 ? "" : "s") from \(files.count) file\(files.count == 1 ? "" : "s")"
            + (errors.isEmpty ? "" : " (\(errors.count) invalid)")
            + ": \(n) conflict\(n == 1 ? "" : "s") between parties.")
        guard n > 0 else { return lines.joined(separator: "\n") + "\n" }
        let header = ["A", "PARTY A", "PRIO", "B", "PARTY B", "PRIO", "TIME START", "TIME END", "ALT FT"]
        var rows: [[String]] = [header]
        for c in conflicts {
            rows.append([
                "\(Self.label(c.a)) (\(c.a.id))", c.a.party, String(c.a.priority),
                "\(Self.label(c.b)) (\(c.b.id))", c.b.party, String(c.b.priority),
                RFC3339.format(c.overlap.timeStart), RFC3339.format(c.overlap.timeEnd),
                "\(Self.ft(c.overlap.altitudeLower))-\(Self.ft(c.overlap.altitudeUpper))",
            ])
        }
        var widths = [Int](repeating: 0, count: header.count)
        for r in rows { for (k, cell) in r.enumerated() { widths[k] = Swift.max(widths[k], cell.count) } }
        lines.append("")
        for r in rows {
            var s = ""
            for (k, cell) in r.enumerated() {
                s += cell
                if k < r.count - 1 { s += String(repeating: " ", count: widths[k] - cell.count + 2) }
            }
            lines.append(s)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line per input error.
    public var errorLines: [String] { errors.map { "error: \($0)" } }

    /// Machine-readable report.
    public func json() -> String {
        func q(_ s: String) -> String { JSON.quote(s) }
        func num(_ d: Double) -> String {
            d == d.rounded() && Swift.abs(d) < 1e15 ? String(Int64(d)) : String(d)
        }
        func feat(_ f: IntentFeature) -> String {
            "{\"file\":\(q(f.file)),\"feature\":\(f.index),\"id\":\(q(f.id)),\"party\":\(q(f.party)),\"priority\":\(f.priority)}"
        }
        var s = "{\"files\":[" + files.map(q).joined(separator: ",") + "],"
        s += "\"intents\":\(features.count),\"invalid\":\(errors.count),\"conflicts\":["
        s += conflicts.map { c in
            "{\"a\":\(feat(c.a)),\"b\":\(feat(c.b)),"
                + "\"time_start\":\(q(RFC3339.format(c.overlap.timeStart))),\"time_end\":\(q(RFC3339.format(c.overlap.timeEnd))),"
                + "\"time_start_epoch\":\(num(c.overlap.timeStart)),\"time_end_epoch\":\(num(c.overlap.timeEnd)),"
                + "\"alt_lower_ft\":\(Self.ft(c.overlap.altitudeLower)),\"alt_upper_ft\":\(Self.ft(c.overlap.altitudeUpper))}"
        }.joined(separator: ",")
        s += "],\"errors\":["
        s += errors.map { e in
            "{\"file\":\(q(e.file)),\"feature\":\(e.feature.map(String.init) ?? "null"),"
                + "\"property\":\(e.property.map(q) ?? "null"),\"message\":\(q(e.message))}"
        }.joined(separator: ",")
        return s + "]}\n"
    }
}

/// A JSON string literal.
extension JSON {
    public static func quote(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 {
                let h = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            } else { out.unicodeScalars.append(u) }
        }
    }
    return out + "\""
}
}
