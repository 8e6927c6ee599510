import DeconflictCore
@testable import DeconflictServer
import Foundation
import Testing
import DeconflictFormats

/// Issue 19, "one parser's verdict": the fast track-batch parser and the general path it
/// hands escaped bodies to refuse exactly the same inputs, and every documented limit holds.
@Suite("Parser differential")
struct ParserDifferentialTests {
    /// The core's seeded generator.
    typealias Gen = SeededRandom

    static let fields = ["aircraft", "time", "lat", "lon", "alt_ft", "gs_kt", "trk_deg", "vs_fpm"]

    /// A report body with one random mutation (or none), written literally and, when the
    /// aircraft id allows, with the id's letters as \u escapes (the same text).
    static func body(_ g: inout Gen) -> (plain: String, escaped: String?) {
        let id = "A" + String(Int.random(in: 0..<1000, using: &g))
        var members: [(String, String)] = [("aircraft", "\"\(id)\""), ("time", "1700000000.5"), ("lat", "50.1"),
                                           ("lon", "-5.25"), ("alt_ft", "35000"), ("gs_kt", "420"), ("trk_deg", "90"),
                                           ("vs_fpm", "-500")]
        switch Int.random(in: 0..<12, using: &g) {
        case 0: let m = members.randomElement(using: &g)!; members.append(m)                  // repeated field
        case 1: members.remove(at: Int.random(in: 0..<members.count, using: &g))              // missing field
        case 2: members.append(("extra", "1"))                                                 // unknown field
        case 3: members[Int.random(in: 1..<8, using: &g)].1 = "\"1000\""                       // a string for a number
        case 4: members[Int.random(in: 0..<8, using: &g)].1 = "null"
        case 5: members[0].1 = "42"                                                             // a number for the id
        case 6: members[Int.random(in: 1..<8, using: &g)].1 = ["1e3", "-0", "0.5e-2", "1E+2"].randomElement(using: &g)!
        case 7: members[Int.random(in: 1..<8, using: &g)].1 = ["01", "1.", ".5", "+1", "NaN", "0x10"].randomElement(using: &g)!
        default: break
        }
        members.shuffle(using: &g)
        let report = "{" + members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
        var tops = ["\"reports\":[\(report)]"]
        if Int.random(in: 0..<20, using: &g) == 0 { tops.append("\"reports\":[]") }           // repeated top member
        let plain = "{" + tops.joined(separator: ",") + "}"
        guard plain.contains("\"\(id)\"") else { return (plain, nil) }
        let escapedID = id.unicodeScalars.map { String(format: "\\u%04X", $0.value) }.joined()
        return (plain, plain.replacingOccurrences(of: "\"\(id)\"", with: "\"\(escapedID)\""))
    }

    enum Verdict: Equatable { case accepted([TrackReport]), refused }

    static func fast(_ s: String) -> Verdict? {
        let bytes = Array(s.utf8)
        do {
            return .accepted(try bytes.withUnsafeBytes { try TrackBatchParser.parse($0, maxReports: 100) })
        } catch is TrackBatchParser.NeedsGeneralDecoder {
            return nil
        } catch {
            return .refused
        }
    }

    static func general(_ s: String) -> Verdict {
        do { return .accepted(try TrackBatchParser.decodeGeneral(Array(s.utf8), maxReports: 100).reports) } catch { return .refused }
    }

    @Test("Fast path and general path give the same verdict on 5,000 generated bodies")
    func sameVerdicts() {
        var g = Gen(seed: 19)
        var compared = 0, escapedCompared = 0, refused = 0
        for _ in 0..<5_000 {
            let (plain, escaped) = Self.body(&g)
            guard let f = Self.fast(plain) else { Issue.record("fast path gave up on \(plain)"); continue }
            #expect(Self.general(plain) == f, "\(plain)")
            compared += 1
            if f == .refused { refused += 1 }
            if let escaped {
                // What the route answers (fast, else general), and the general path alone.
                #expect((Self.fast(escaped) ?? Self.general(escaped)) == f, "\(escaped)")
                #expect(Self.general(escaped) == f, "\(escaped)")
                escapedCompared += 1
            }
        }
        #expect(compared == 5_000 && escapedCompared > 3_000 && refused > 1_000)
    }

    @Test("A repeated field with an escape in the body is refused over HTTP (was accepted)")
    func repeatedFieldWithEscape() async throws {
        try await TestServer.with { s in
            let blue = try await s.token("blue")
            let now = Date().timeIntervalSince1970
            let body = #"{"reports":[{"aircraft":"B\u004C1","time":\#(now),"lat":50,"lon":5,"alt_ft":35000,"alt_ft":1000,"gs_kt":420,"trk_deg":90,"vs_fpm":0}]}"#
            let r = try await s.http().post("/v1/tracks", token: blue, body: body)
            #expect(r.status == 400 && r.contentType == "application/problem+json", "\(r.status) \(r.body)")
            let ok = #"{"reports":[{"aircraft":"B\u004C1","time":\#(now),"lat":50,"lon":5,"alt_ft":35000,"gs_kt":420,"trk_deg":90,"vs_fpm":0}]}"#
            #expect(try await s.http().post("/v1/tracks", token: blue, body: ok).status == 202)
        }
    }

    @Test("An intent key holds at most 1,000 OVNs, each valid UTF-8")
    func keyLimits() async throws {
        try await TestServer.with { s in
            let blue = try await s.token("blue", Scope.defaultGrant)
            let http = s.http()
            let key1001 = (0..<1001).map { String(format: "%032x", $0) }
            let r = try await http.put("/v1/intents/k1", token: blue, body: IntentBody.put([IntentBody.circle()], key: key1001))
            #expect(r.status == 400 && r.body.contains("at most 1000"), "\(r.status) \(r.body)")
            let key1000 = Array(key1001.prefix(1000))
            #expect(try await http.put("/v1/intents/k1", token: blue, body: IntentBody.put([IntentBody.circle()], key: key1000)).status == 201)
            // Invalid UTF-8 (a lone continuation byte) in a key: refused, not read as U+FFFD.
            var bytes = Array(IntentBody.put([IntentBody.circle(lon: 9)], key: ["PLACEHOLDER"]).utf8)
            let at = bytes.firstIndex(of: UInt8(ascii: "P"))!
            bytes.replaceSubrange(at..<(at + 11), with: [0x61, 0x80, 0x62])
            // (Sent as bytes to the route's own parser: the test client only sends valid text.)
            #expect(throws: Problem.self) { try IntentJSON.parsePut(bytes) }
            #expect(throws: (any Error).self) { try JSON.parse(bytes) }
        }
    }
}
