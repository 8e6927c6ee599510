import DeconflictServer
import Foundation
import Testing

@Suite("Track input")
struct InputValidationTests {
    static func expectProblem(_ r: HTTP.Reply, _ status: Int, _ what: String) {
        #expect(r.status == status, "\(what): got \(r.status) \(r.body)")
        #expect(r.contentType == "application/problem+json", "\(what)")
        #expect(r.object["status"] as? Int == status, "\(what)")
        #expect(r.object["detail"] is String, "\(what)")
    }

    @Test("Bad batches are refused with 4xx problem+json and store nothing")
    func badBatchesStoreNothing() async throws {
        try await TestServer.with { s in
            let http = s.http()
            let blue = try await s.token("blue")
            let now = Date().timeIntervalSince1970
            let ok = Body.report("OK1", lat: 50, lon: 5)
            let cases: [(String, String)] = [
                ("malformed JSON", #"{"reports":[{"aircraft":"A1","#),
                ("not an object", "[1,2,3]"),
                ("empty", ""),
                ("no reports", #"{"reports":[]}"#),
                ("unknown top-level field", #"{"reports":[\#(ok)],"extra":1}"#),
                ("unknown report field", Body.batch([ok, #"{"aircraft":"A2","time":\#(now),"lat":50,"lon":5,"alt_ft":1000,"gs_kt":100,"trk_deg":0,"vs_fpm":0,"callsign":"X"}"#])),
                ("wrong type: string altitude", Body.batch([ok, #"{"aircraft":"A2","time":\#(now),"lat":50,"lon":5,"alt_ft":"1000","gs_kt":100,"trk_deg":0,"vs_fpm":0}"#])),
                ("wrong type: numeric id", Body.batch([ok, #"{"aircraft":7,"time":\#(now),"lat":50,"lon":5,"alt_ft":1000,"gs_kt":100,"trk_deg":0,"vs_fpm":0}"#])),
                ("null value", Body.batch([ok, #"{"aircraft":"A2","time":\#(now),"lat":null,"lon":5,"alt_ft":1000,"gs_kt":100,"trk_deg":0,"vs_fpm":0}"#])),
                ("missing field", Body.batch([ok, #"{"aircraft":"A2","time":\#(now),"lat":50,"lon":5,"alt_ft":1000,"gs_kt":100,"trk_deg":0}"#])),
                ("lat out of range", Body.batch([ok, Body.report("A2", lat: 91, lon: 5)])),
                ("lon out of range", Body.batch([ok, Body.report("A2", lat: 50, lon: -180.5)])),
                ("track 360", Body.batch([ok, Body.report("A2", lat: 50, lon: 5, trk: 360)])),
                ("negative speed", Body.batch([ok, Body.report("A2", lat: 50, lon: 5, gs: -1)])),
                ("altitude too high", Body.batch([ok, Body.report("A2", lat: 50, lon: 5, alt: 200_000)])),
                ("time far in the future", Body.batch([ok, Body.report("A2", time: now + 3600, lat: 50, lon: 5)])),
                ("time too old", Body.batch([ok, Body.report("A2", time: now - 86_400, lat: 50, lon: 5)])),
                ("bad aircraft id", Body.batch([ok, Body.report("A 2;drop", lat: 50, lon: 5)])),
                ("empty aircraft id", Body.batch([ok, Body.report("", lat: 50, lon: 5)])),
                ("repeated field", Body.batch([ok, #"{"aircraft":"A2","time":\#(now),"lat":50,"lat":51,"lon":5,"alt_ft":1000,"gs_kt":100,"trk_deg":0,"vs_fpm":0}"#])),
                ("repeated reports", #"{"reports":[\#(ok)],"reports":[\#(ok)]}"#),
                ("data after the object", #"{"reports":[\#(ok)]} x"#),
                ("bad number: leading zero", Body.batch([ok, #"{"aircraft":"A2","time":\#(now),"lat":050,"lon":5,"alt_ft":1000,"gs_kt":100,"trk_deg":0,"vs_fpm":0}"#])),
                ("bad number: NaN", Body.batch([ok, #"{"aircraft":"A2","time":\#(now),"lat":NaN,"lon":5,"alt_ft":1000,"gs_kt":100,"trk_deg":0,"vs_fpm":0}"#])),
                ("reports not an array", #"{"reports":{}}"#),
                ("a report not an object", #"{"reports":[1]}"#),
                ("escaped string, bad after decoding", Body.batch([ok, #"{"aircraft":"A\u0020B","time":\#(now),"lat":50,"lon":5,"alt_ft":1000,"gs_kt":100,"trk_deg":0,"vs_fpm":0}"#])),
                ("huge number", Body.batch([ok, #"{"aircraft":"A2","time":\#(now),"lat":1e999,"lon":5,"alt_ft":1000,"gs_kt":100,"trk_deg":0,"vs_fpm":0}"#])),
            ]
            for (what, body) in cases {
                Self.expectProblem(try await http.post("/v1/tracks", token: blue, body: body), 400, what)
            }
            let traffic = try await http.get("/v1/traffic", token: blue).object["aircraft"] as? [Any]
            #expect(traffic?.isEmpty == true, "nothing stored")
        }
    }

    @Test("A body over the limit is 413, and so is a batch over the report limit")
    func hugeBodies() async throws {
        try await TestServer.with({ $0.maxBodyBytes = 1 << 20; $0.maxReportsPerBatch = 100 }) { s in
            let http = s.http()
            let blue = try await s.token("blue")
            let big = #"{"reports":[\#(String(repeating: " ", count: 2 << 20))]}"#
            InputValidationTests.expectProblem(try await http.post("/v1/tracks", token: blue, body: big), 413, "2 MB body")
            let many = Body.batch((0..<101).map { Body.report("A\($0)", lat: 50, lon: 5) })
            InputValidationTests.expectProblem(try await http.post("/v1/tracks", token: blue, body: many), 413, "101 reports")
            let traffic = try await http.get("/v1/traffic", token: blue).object["aircraft"] as? [Any]
            #expect(traffic?.isEmpty == true)
        }
    }

    @Test("An aircraft belongs to the party that first reported it (409, batch refused whole)")
    func foreignAircraft() async throws {
        try await TestServer.with { s in
            let http = s.http()
            let blue = try await s.token("blue"), red = try await s.token("red")
            #expect(try await http.post("/v1/tracks", token: blue, body: Body.batch([Body.report("BLU1", lat: 50, lon: 5)])).status == 202)
            let r = try await http.post("/v1/tracks", token: red,
                                        body: Body.batch([Body.report("RED1", lat: 51, lon: 5), Body.report("BLU1", lat: 50, lon: 5)]))
            InputValidationTests.expectProblem(r, 409, "foreign aircraft")
            let mine = try await http.get("/v1/traffic", token: red).object["aircraft"] as? [[String: Any]]
            #expect(mine?.contains { $0["own"] as? Bool == true } == false, "RED1 not stored either")
        }
    }

    @Test("Replaying a batch is idempotent per (aircraft, time)")
    func idempotentReplay() async throws {
        try await TestServer.with { s in
            let http = s.http()
            let blue = try await s.token("blue")
            let body = Body.batch([Body.report("B1", lat: 50, lon: 5), Body.report("B2", lat: 50.5, lon: 5)])
            let first = try await http.post("/v1/tracks", token: blue, body: body)
            #expect(first.status == 202)
            #expect(first.object["accepted"] as? Int == 2 && first.object["applied"] as? Int == 2)
            let again = try await http.post("/v1/tracks", token: blue, body: body)
            #expect(again.status == 202)
            #expect(again.object["accepted"] as? Int == 2 && again.object["applied"] as? Int == 0 && again.object["duplicates"] as? Int == 2)
        }
    }

    @Test("Whitespace, any field order and escaped strings are accepted and read exactly")
    func lenientWhereJSONIs() async throws {
        try await TestServer.with { s in
            let http = s.http()
            let blue = try await s.token("blue")
            let t = (Date().timeIntervalSince1970 * 1000).rounded() / 1000
            let body = """
             { "reports" : [ { "vs_fpm" : -500 , "trk_deg" : 90.5, "gs_kt" : 4.2e2, "alt_ft" : 35000,
               "lon" : -0.125, "lat" : 51.5, "time" : \(t), "aircraft" : "B1" } ,
               {"aircraft":"B\\u0032","time":\(t),"lat":50,"lon":5,"alt_ft":1000,"gs_kt":100,"trk_deg":0,"vs_fpm":0} ] }
            """
            let r = try await http.post("/v1/tracks", token: blue, body: body)
            #expect(r.status == 202, "\(r.body)")
            let own = try #require(try await http.get("/v1/traffic", token: blue).object["aircraft"] as? [[String: Any]])
            #expect(Set(own.compactMap { $0["id"] as? String }) == ["B1", "B2"])
            let b1 = try #require(own.first { $0["id"] as? String == "B1" })
            #expect(b1["lat"] as? Double == 51.5 && b1["lon"] as? Double == -0.125 && b1["gs_kt"] as? Double == 420)
            #expect(b1["trk_deg"] as? Double == 90.5 && b1["vs_fpm"] as? Double == -500 && b1["time"] as? Double == t)
        }
    }

    @Test("Unknown paths and methods are problem+json too; /health and /metrics answer")
    func serviceEndpoints() async throws {
        try await TestServer.with { s in
            let http = s.http()
            InputValidationTests.expectProblem(try await http.get("/nope"), 404, "unknown path")
            let h = try await http.get("/health")
            #expect(h.status == 200 && h.object["status"] as? String == "ok")
            let blue = try await s.token("blue")
            _ = try await http.post("/v1/tracks", token: blue, body: Body.batch([Body.report("B1", lat: 50, lon: 5)]))
            let m = try await http.get("/metrics")
            #expect(m.status == 200)
            #expect(m.body.contains("deconflict_reports_accepted_total 1"))
            #expect(m.body.contains("deconflict_http_responses_total"))
        }
    }
}
