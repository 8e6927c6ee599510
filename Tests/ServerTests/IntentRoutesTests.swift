import DeconflictServer
import Foundation
import Testing
import DeconflictFormats

@Suite("Intents API")
struct IntentRoutesTests {
    static func expectProblem(_ r: HTTP.Reply, _ status: Int, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == status, "\(what): got \(r.status) \(r.body)", sourceLocation: sourceLocation)
        #expect(r.contentType == "application/problem+json", "\(what): \(r.contentType)", sourceLocation: sourceLocation)
        #expect(r.object["status"] as? Int == status, "\(what)", sourceLocation: sourceLocation)
        #expect(r.object["detail"] is String, "\(what)", sourceLocation: sourceLocation)
    }

    @Test("Create, read, update (state and volumes), stale OVNs refused, delete")
    func lifecycle() async throws {
        try await TestServer.with { s in
            let http = s.http()
            let blue = try await s.token("blue")
            let created = try await http.put("/v1/intents/a1", token: blue, body: IntentBody.put([IntentBody.circle()], priority: 5))
            #expect(created.status == 201, "\(created.body)")
            let c = created.object
            let ovn1 = try #require(c["ovn"] as? String)
            #expect(c["id"] as? String == "a1" && c["owner"] as? String == "blue" && c["own"] as? Bool == true)
            #expect(c["version"] as? Int == 1 && c["state"] as? String == "accepted" && c["priority"] as? Int == 5)
            #expect((c["conflicts"] as? [Any])?.isEmpty == true)
            let vol = try #require((c["volumes"] as? [[String: Any]])?.first)
            #expect(vol["alt_lower_ft"] as? Double == 0 && vol["alt_upper_ft"] as? Double == 400, "feet shown as sent: \(vol)")
            #expect(vol["start"] as? String == IntentBody.time(IntentBody.t0))
            let outline = try #require(vol["outline"] as? [String: Any])
            #expect(outline["type"] as? String == "circle" && outline["center"] as? [Double] == [8.5, 47.4] && outline["radius_m"] as? Double == 1000)

            let got = try await http.get("/v1/intents/a1", token: blue)
            #expect(got.status == 200 && got.object["ovn"] as? String == ovn1 && got.object["owner"] as? String == "blue")
            #expect(got.object["conflicts"] == nil, "GET shows the intent only")

            // Echoing the volumes back (state change only) is accepted: what is shown is what is kept.
            let echoed = #"{"state":"activated","priority":5,"volumes":[\#(try String(decoding: JSONSerialization.data(withJSONObject: vol), as: UTF8.self))],"ovn":"\#(ovn1)"}"#
            let activated = try await http.put("/v1/intents/a1", token: blue, body: echoed)
            #expect(activated.status == 200, "\(activated.body)")
            let ovn2 = try #require(activated.object["ovn"] as? String)
            #expect(ovn2 != ovn1 && activated.object["version"] as? Int == 2 && activated.object["state"] as? String == "activated")

            // Stale OVN: 409 with the current one (the owner may see it).
            let stale = try await http.put("/v1/intents/a1", token: blue, body: IntentBody.put([IntentBody.circle(radius: 500)], state: "activated", ovn: ovn1))
            Self.expectProblem(stale, 409, "stale ovn")
            #expect(stale.object["ovn"] as? String == ovn2)
            // Create on an existing id: 409. Invalid transition (activated → accepted): 400.
            Self.expectProblem(try await http.put("/v1/intents/a1", token: blue, body: IntentBody.put([IntentBody.circle()])), 409, "exists")
            Self.expectProblem(try await http.put("/v1/intents/a1", token: blue, body: IntentBody.put([IntentBody.circle()], ovn: ovn2)), 400, "transition")
            // Update of an unknown id: 404.
            Self.expectProblem(try await http.put("/v1/intents/nope", token: blue, body: IntentBody.put([IntentBody.circle()], ovn: ovn2)), 404, "unknown")

            // Shrink (allowed for an activated intent), then delete.
            let shrunk = try await http.put("/v1/intents/a1", token: blue, body: IntentBody.put([IntentBody.circle(radius: 500)], state: "activated", priority: 5, ovn: ovn2))
            #expect(shrunk.status == 200 && shrunk.object["version"] as? Int == 3, "\(shrunk.body)")
            let ovn3 = try #require(shrunk.object["ovn"] as? String)
            Self.expectProblem(try await http.delete("/v1/intents/a1?ovn=\(ovn2)", token: blue), 409, "delete with a stale ovn")
            Self.expectProblem(try await http.delete("/v1/intents/a1", token: blue), 400, "delete without ovn")
            Self.expectProblem(try await http.delete("/v1/intents/zz?ovn=\(ovn3)", token: blue), 404, "delete unknown")
            let deleted = try await http.delete("/v1/intents/a1?ovn=\(ovn3)", token: blue)
            #expect(deleted.status == 204 && deleted.body.isEmpty)
            Self.expectProblem(try await http.get("/v1/intents/a1", token: blue), 404, "gone")
        }
    }

    @Test("The key rule: 409 lists the other party's intent (id + OVN, no party); with the key it is accepted with the conflict")
    func keyRuleAndNeedToKnow() async throws {
        try await TestServer.with({ $0.streamTracks = false }) { s in
            let http = s.http()
            let blue = try await s.token("blue"), red = try await s.token("red")
            let blueStream = try await StreamProbe.open(port: s.port, token: blue)
            let redStream = try await StreamProbe.open(port: s.port, token: red)
            let a1 = try await http.put("/v1/intents/a1", token: blue, body: IntentBody.put([IntentBody.circle()]))
            #expect(a1.status == 201)
            let a1ovn = try #require(a1.object["ovn"] as? String)

            // Red overlaps (centres 750 m apart, both 1 km) without a key: 409, nothing stored.
            let b1 = IntentBody.circle(lon: 8.51)
            let refused = try await http.put("/v1/intents/b1", token: red, body: IntentBody.put([b1]))
            Self.expectProblem(refused, 409, "missing key")
            let missing = try #require(refused.object["missing"] as? [[String: Any]])
            #expect(missing.count == 1 && missing[0]["id"] as? String == "a1" && missing[0]["ovn"] as? String == a1ovn)
            #expect(Set(missing[0].keys) == ["id", "ovn"])
            #expect(!refused.body.contains("blue"), "no party named: \(refused.body)")
            Self.expectProblem(try await http.get("/v1/intents/b1", token: red), 404, "nothing stored")

            // With the key: accepted, conflict listed (no owner).
            let accepted = try await http.put("/v1/intents/b1", token: red, body: IntentBody.put([b1], key: [a1ovn]))
            #expect(accepted.status == 201, "\(accepted.body)")
            #expect(!accepted.body.contains("blue"))
            let conflicts = try #require(accepted.object["conflicts"] as? [[String: Any]])
            #expect(conflicts.count == 1 && conflicts[0]["id"] as? String == "a1" && conflicts[0]["state"] as? String == "accepted")
            let pair = try #require((conflicts[0]["pairs"] as? [[String: Any]])?.first)
            #expect(pair["volume"] as? Int == 0 && pair["other_volume"] as? Int == 0)
            #expect(pair["alt_lower_ft"] as? Double == 0 && pair["alt_upper_ft"] as? Double == 400)
            #expect(pair["start"] as? String == IntentBody.time(IntentBody.t0))
            let b1ovn = try #require(accepted.object["ovn"] as? String)

            // Blue is told on its stream, redacted.
            let event = try await blueStream.wait(timeout: 5) { $0["type"] as? String == "intent" && ($0["intent"] as? [String: Any])?["id"] as? String == "b1" }
            #expect(event["change"] as? String == "created" && event["cursor"] is UInt64)
            let seen = try #require(event["intent"] as? [String: Any])
            #expect(seen["own"] as? Bool == false && seen["owner"] == nil && seen["version"] == nil && seen["ovn"] as? String == b1ovn)
            #expect((event["conflicts"] as? [[String: Any]])?.map { $0["id"] as? String } == ["a1"])
            // Red got its own creation with everything.
            let own = try await redStream.wait(timeout: 5) { $0["type"] as? String == "intent" && ($0["intent"] as? [String: Any])?["id"] as? String == "b1" }
            #expect((own["intent"] as? [String: Any])?["owner"] as? String == "red")

            // Red sees blue's intent redacted, and cannot change or delete it.
            let redView = try await http.get("/v1/intents/a1", token: red)
            #expect(redView.status == 200)
            #expect(Set(redView.object.keys) == ["id", "own", "ovn", "state", "priority", "volumes"], "\(redView.body)")
            #expect(!redView.body.contains("blue"))
            Self.expectProblem(try await http.put("/v1/intents/a1", token: red, body: IntentBody.put([b1], ovn: a1ovn)), 403, "update foreign")
            Self.expectProblem(try await http.put("/v1/intents/a1", token: red, body: IntentBody.put([b1])), 403, "create on a foreign id")
            Self.expectProblem(try await http.delete("/v1/intents/a1?ovn=\(a1ovn)", token: red), 403, "delete foreign")
            #expect(try await http.get("/v1/intents/a1", token: blue).object["ovn"] as? String == a1ovn, "unchanged")

            // Area query: both, each from the caller's side.
            let q = "bbox=8.4,47.3,8.6,47.5&from=\(IntentBody.time(IntentBody.t0 - 600))&to=\(IntentBody.time(IntentBody.t0 + 600))"
            let listed = try await http.get("/v1/intents?\(q)", token: red)
            #expect(listed.status == 200, "\(listed.body)")
            let items = try #require(listed.object["intents"] as? [[String: Any]])
            #expect(items.map { $0["id"] as? String } == ["a1", "b1"] && listed.object["truncated"] as? Bool == false)
            #expect(items[0]["owner"] == nil && items[1]["owner"] as? String == "red")
            for far in ["bbox=9.4,47.3,9.6,47.5&from=\(IntentBody.time(IntentBody.t0))&to=\(IntentBody.time(IntentBody.t0 + 60))",
                        "bbox=8.4,47.3,8.6,47.5&from=\(IntentBody.time(IntentBody.t0 + 7200))&to=\(IntentBody.time(IntentBody.t0 + 9000))",
                        "\(q)&alt_lower_ft=500&alt_upper_ft=1000"] {
                let none = try await http.get("/v1/intents?\(far)", token: red)
                #expect(none.status == 200 && (none.object["intents"] as? [Any])?.isEmpty == true, "\(far): \(none.body)")
            }

            // Strategic conflicts in GET /v1/conflicts, from each side.
            for (token, own, other) in [(blue, "a1", "b1"), (red, "b1", "a1")] {
                let r = try await http.get("/v1/conflicts", token: token)
                let strategic = (r.object["conflicts"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "strategic" }
                #expect(strategic.count == 1 && strategic.first?["own"] as? String == own && strategic.first?["intruder"] as? String == other,
                        "\(r.body)")
                #expect(r.object["strategic_truncated"] as? Bool == false && !r.body.contains(token == blue ? "\"red\"" : "\"blue\""))
            }

            // Blue moves away: red is told the conflict is over (an update with no conflicts for it).
            let moved = try await http.put("/v1/intents/a1", token: blue, body: IntentBody.put([IntentBody.circle(lon: 8.7)], ovn: a1ovn))
            #expect(moved.status == 200 && (moved.object["conflicts"] as? [Any])?.isEmpty == true, "\(moved.body)")
            let update = try await redStream.wait(timeout: 5) { $0["type"] as? String == "intent" && $0["change"] as? String == "updated" }
            #expect((update["intent"] as? [String: Any])?["id"] as? String == "a1" && (update["conflicts"] as? [Any])?.isEmpty == true)
            let after = try await http.get("/v1/conflicts", token: blue).object["conflicts"] as? [[String: Any]]
            #expect(after?.contains { $0["kind"] as? String == "strategic" } == false)

            // Red deletes b1 (stale OVN first).
            Self.expectProblem(try await http.delete("/v1/intents/b1?ovn=\(a1ovn)", token: red), 409, "stale")
            #expect(try await http.delete("/v1/intents/b1?ovn=\(b1ovn)", token: red).status == 204)
            await blueStream.close(); await redStream.close()
        }
    }

    @Test("Bad intents are refused with 400 problem+json and store nothing")
    func badInputStoresNothing() async throws {
        try await TestServer.with { s in
            let http = s.http()
            let blue = try await s.token("blue")
            let ok = IntentBody.circle()
            let t0 = IntentBody.t0
            let star = (0..<1500).map { k -> (lon: Double, lat: Double) in
                let a = Double(k) / 1500 * 2 * .pi
                return (8.5 + 0.01 * cos(a), 47.4 + 0.01 * sin(a))
            }
            let cases: [(String, String)] = [
                ("malformed JSON", #"{"state":"accepted","volumes":["#),
                ("not an object", "[1,2]"),
                ("empty body", ""),
                ("unknown top-level field", #"{"state":"accepted","volumes":[\#(ok)],"color":"red"}"#),
                ("unknown volume field", #"{"state":"accepted","volumes":[{"outline":{"type":"circle","center":[8.5,47.4],"radius_m":1000},"alt_lower_ft":0,"alt_upper_ft":400,"start":"\#(IntentBody.time(t0))","end":"\#(IntentBody.time(t0 + 60))","alt_ft":1}]}"#),
                ("unknown outline field", #"{"state":"accepted","volumes":[{"outline":{"type":"circle","center":[8.5,47.4],"radius_m":1000,"coordinates":[]},"alt_lower_ft":0,"alt_upper_ft":400,"start":"\#(IntentBody.time(t0))","end":"\#(IntentBody.time(t0 + 60))"}]}"#),
                ("repeated field", #"{"state":"accepted","state":"activated","volumes":[\#(ok)]}"#),
                ("wrong type: priority as string", #"{"state":"accepted","priority":"1","volumes":[\#(ok)]}"#),
                ("wrong type: altitude as string", #"{"state":"accepted","volumes":[{"outline":{"type":"circle","center":[8.5,47.4],"radius_m":1000},"alt_lower_ft":"0","alt_upper_ft":400,"start":"\#(IntentBody.time(t0))","end":"\#(IntentBody.time(t0 + 60))"}]}"#),
                ("wrong type: state as number", #"{"state":1,"volumes":[\#(ok)]}"#),
                ("wrong type: volumes object", #"{"state":"accepted","volumes":{}}"#),
                ("wrong type: key of numbers", #"{"state":"accepted","volumes":[\#(ok)],"key":[1]}"#),
                ("null ovn", #"{"state":"accepted","volumes":[\#(ok)],"ovn":null}"#),
                ("fractional priority", #"{"state":"accepted","priority":1.5,"volumes":[\#(ok)]}"#),
                ("unknown state", #"{"state":"flying","volumes":[\#(ok)]}"#),
                ("no state", #"{"volumes":[\#(ok)]}"#),
                ("no volumes", #"{"state":"accepted"}"#),
                ("empty volumes", #"{"state":"accepted","volumes":[]}"#),
                ("position with three numbers", IntentBody.put([ok.replacingOccurrences(of: "[8.5,47.4]", with: "[8.5,47.4,100]")])),
                ("time without zone", IntentBody.put([ok.replacingOccurrences(of: IntentBody.time(t0), with: "2026-11-26 10:00:00")])),
                ("end before start", IntentBody.put([IntentBody.circle(start: t0 + 3600, end: t0)])),
                ("end equals start", IntentBody.put([IntentBody.circle(start: t0, end: t0)])),
                ("lower above upper", IntentBody.put([IntentBody.circle(lower: 500, upper: 400)])),
                ("altitude too high", IntentBody.put([IntentBody.circle(lower: 0, upper: 200_000)])),
                ("radius zero", IntentBody.put([IntentBody.circle(radius: 0)])),
                ("radius too large", IntentBody.put([IntentBody.circle(radius: 50_000)])),
                ("latitude 95", IntentBody.put([IntentBody.circle(lat: 95)])),
                ("degenerate polygon (on a meridian)", IntentBody.put([IntentBody.polygon([(8.5, 47.4), (8.5, 47.41), (8.5, 47.42)])])),
                ("two-vertex polygon", IntentBody.put([IntentBody.polygon([(8.5, 47.4), (8.51, 47.41)])])),
                ("bow-tie polygon", IntentBody.put([IntentBody.polygon([(8.5, 47.4), (8.52, 47.42), (8.52, 47.4), (8.5, 47.42)])])),
                ("huge polygon (8,000 km²)", IntentBody.put([IntentBody.polygon([(8, 47), (9, 47), (9, 48), (8, 48)])])),
                ("1,500-vertex polygon", IntentBody.put([IntentBody.polygon(star)])),
                ("101 volumes", IntentBody.put(Array(repeating: ok, count: 101))),
                ("one bad volume among good ones", IntentBody.put([ok, ok, IntentBody.circle(lower: 500, upper: 400)])),
            ]
            for (what, body) in cases {
                Self.expectProblem(try await http.put("/v1/intents/bad1", token: blue, body: body), 400, what)
            }
            Self.expectProblem(try await http.get("/v1/intents/bad1", token: blue), 404, "nothing stored")
            // Bad ids.
            Self.expectProblem(try await http.put("/v1/intents/has%20space", token: blue, body: IntentBody.put([ok])), 400, "id with a space")
            Self.expectProblem(try await http.put("/v1/intents/\(String(repeating: "x", count: 129))", token: blue, body: IntentBody.put([ok])), 400, "id too long")
            // Too large.
            Self.expectProblem(try await http.put("/v1/intents/big", token: blue, body: String(repeating: " ", count: 5 << 20)), 413, "too large")
            // Scopes: writing needs intents.write, reading intents.read.
            let reader = try await s.token("reader", [.intentsRead])
            let writer = try await s.token("writer", [.intentsWrite])
            Self.expectProblem(try await http.put("/v1/intents/r1", token: reader, body: IntentBody.put([ok])), 403, "no intents.write")
            Self.expectProblem(try await http.get("/v1/intents/r1", token: writer), 403, "no intents.read")
            Self.expectProblem(try await http.put("/v1/intents/r1", token: nil, body: IntentBody.put([ok])), 401, "no token")
            // Bad area queries.
            let from = IntentBody.time(t0), to = IntentBody.time(t0 + 3600)
            for q in ["from=\(from)&to=\(to)", "bbox=1,2,3&from=\(from)&to=\(to)", "bbox=a,b,c,d&from=\(from)&to=\(to)",
                      "bbox=8,47,nan,48&from=\(from)&to=\(to)", "bbox=8,95,8.1,96&from=\(from)&to=\(to)",
                      "bbox=9,47,8,48&from=\(from)&to=\(to)", "bbox=0,0,10,10&from=\(from)&to=\(to)",
                      "bbox=8,47,8.1,47.1&to=\(to)", "bbox=8,47,8.1,47.1&from=\(to)&to=\(from)",
                      "bbox=8,47,8.1,47.1&from=\(from)&to=\(IntentBody.time(t0 + 40 * 86_400))",
                      "bbox=8,47,8.1,47.1&from=\(from)&to=\(to)&alt_lower_ft=500&alt_upper_ft=100",
                      "bbox=8,47,8.1,47.1&from=\(from)&to=\(to)&limit=3", "bbox=8,47,8.1,47.1&from=yesterday&to=\(to)"] {
                Self.expectProblem(try await http.get("/v1/intents?\(q)", token: blue), 400, q)
            }
            let empty = try await http.get("/v1/intents?bbox=8,47,8.1,47.1&from=\(from)&to=\(to)", token: blue)
            #expect(empty.status == 200 && (empty.object["intents"] as? [Any])?.isEmpty == true, "\(empty.body)")
        }
    }

    @Test("Intents survive a restart on the same data directory (SQLite file there), and the key rule still holds")
    func durableAcrossRestart() async throws {
        let dir = TestServer.tempDir()
        let ovn = try await TestServer.with(dir: dir) { s in
            let blue = try await s.token("blue")
            let r = try await s.http().put("/v1/intents/keep", token: blue, body: IntentBody.put([IntentBody.circle(), IntentBody.circle(lon: 8.6)], priority: 3))
            #expect(r.status == 201)
            return try #require(r.object["ovn"] as? String)
        }
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("intents.sqlite").path))
        try await TestServer.with(dir: dir) { s in
            let blue = try await s.token("blue"), red = try await s.token("red")
            let r = try await s.http().get("/v1/intents/keep", token: blue)
            #expect(r.status == 200 && r.object["ovn"] as? String == ovn && r.object["version"] as? Int == 1, "\(r.body)")
            #expect((r.object["volumes"] as? [Any])?.count == 2 && r.object["priority"] as? Int == 3)
            let refused = try await s.http().put("/v1/intents/other", token: red, body: IntentBody.put([IntentBody.circle(lon: 8.6)]))
            Self.expectProblem(refused, 409, "key rule after restart")
            #expect((refused.object["missing"] as? [[String: Any]])?.first?["ovn"] as? String == ovn)
        }
    }
}
