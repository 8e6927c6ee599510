import DeconflictCore
import DeconflictServer
import Foundation
import Hummingbird
import Testing
import DeconflictFormats

@Suite("OpenAPI document")
struct OpenAPITests {
    static var repoDocument: String {
        get throws {
            let here = URL(fileURLWithPath: #filePath)
            let doc = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("docs/openapi.yaml")
            return try String(contentsOf: doc, encoding: .utf8)
        }
    }

    @Test("The served document is docs/openapi.yaml, and every documented response is exercised and documented")
    func responsesMatchDocument() async throws {
        try await TestServer.with { s in
            let http = s.http()
            let served = try await http.get("/openapi.yaml")
            #expect(served.status == 200)
            #expect(served.body.trimmingCharacters(in: .whitespacesAndNewlines)
                    == (try Self.repoDocument).trimmingCharacters(in: .whitespacesAndNewlines),
                    "run scripts/openapi-swift.sh")
            let spec = try OpenAPISpec(text: served.body)
            let blue = try await s.token("blue"), red = try await s.token("red")
            let readOnly = try await s.token("viewer", [.trafficRead])
            let writeOnly = try await s.token("feeder", [.tracksWrite])
            let cross = Crossing.bodies(secondsToMeet: 70)   // a DO-365 alert within ~2 cycles
            var seen: [(String, String, HTTP.Reply)] = []
            /// `as`: the documented path template when `path` fills it in.
            @discardableResult
            func call(_ method: String, _ path: String, _ query: String = "", as template: String? = nil,
                      token: String? = nil, body: String? = nil) async throws -> HTTP.Reply {
                let r = try await http.request(HTTPRequest.Method(method)!, path + query, token: token, body: body)
                seen.append((template ?? path, method.lowercased(), r))
                return r
            }
            try await call("GET", "/health")
            try await call("GET", "/.well-known/jwks.json")
            let asJSON = try await call("GET", "/openapi.json")
            #expect(asJSON.contentType == "application/json" && asJSON.body == served.body)
            #expect((try? JSONSerialization.jsonObject(with: Data(asJSON.body.utf8))) != nil, "the document is JSON")
            try await call("POST", "/v1/tracks", token: blue, body: cross.blue)
            try await call("POST", "/v1/tracks", token: red, body: cross.red)
            try await call("POST", "/v1/tracks", token: blue, body: "{")
            try await call("POST", "/v1/tracks", token: nil, body: cross.blue)
            try await call("POST", "/v1/tracks", token: readOnly, body: cross.blue)
            try await call("POST", "/v1/tracks", token: red, body: cross.blue)
            try await call("POST", "/v1/tracks", token: blue, body: #"{"reports":[\#(String(repeating: " ", count: 5 << 20))]}"#)
            try await Task.sleep(for: .milliseconds(2500))
            try await call("GET", "/v1/traffic", token: blue)
            try await call("GET", "/v1/traffic")
            try await call("GET", "/v1/traffic", token: writeOnly)
            try await call("GET", "/v1/conflicts", token: blue)
            try await call("GET", "/v1/conflicts", token: writeOnly)
            try await call("GET", "/v1/conflicts")
            try await call("GET", "/v1/alerts", "?since=0", token: blue)
            try await call("GET", "/v1/alerts", "?since=-1", token: blue)
            try await call("GET", "/v1/alerts")
            try await call("GET", "/v1/stream", token: blue)
            try await call("GET", "/v1/stream")
            try await call("GET", "/v1/stream", token: writeOnly)
            // Intents.
            let one = "/v1/intents/{id}"
            let created = try await call("PUT", "/v1/intents/oa1", as: one, token: blue, body: IntentBody.put([IntentBody.circle()]))
            let a1ovn = created.object["ovn"] as? String ?? ""
            let updated = try await call("PUT", "/v1/intents/oa1", as: one, token: blue, body: IntentBody.put([IntentBody.circle(radius: 900)], ovn: a1ovn))
            let a1ovn2 = updated.object["ovn"] as? String ?? ""
            let b1 = IntentBody.circle(lon: 8.51)
            try await call("PUT", "/v1/intents/ob1", as: one, token: red, body: IntentBody.put([b1]))
            let b1put = try await call("PUT", "/v1/intents/ob1", as: one, token: red, body: IntentBody.put([b1], key: [a1ovn2]))
            let b1ovn = b1put.object["ovn"] as? String ?? ""
            try await call("PUT", "/v1/intents/oa1", as: one, token: red, body: IntentBody.put([b1], ovn: a1ovn2))
            try await call("PUT", "/v1/intents/ox", as: one, token: blue, body: "{")
            try await call("PUT", "/v1/intents/ox", as: one, token: nil, body: IntentBody.put([b1]))
            try await call("PUT", "/v1/intents/ox", as: one, token: blue, body: IntentBody.put([b1], ovn: a1ovn2))
            try await call("PUT", "/v1/intents/ox", as: one, token: blue, body: String(repeating: " ", count: 5 << 20))
            try await call("GET", "/v1/intents/oa1", as: one, token: blue)
            try await call("GET", "/v1/intents/oa1", as: one, token: red)
            try await call("GET", "/v1/intents/ox", as: one, token: blue)
            try await call("GET", "/v1/intents/o%20x", as: one, token: blue)
            try await call("GET", "/v1/intents/oa1", as: one)
            try await call("GET", "/v1/intents/oa1", as: one, token: writeOnly)
            let t0 = IntentBody.time(IntentBody.t0), t1 = IntentBody.time(IntentBody.t0 + 3600)
            try await call("GET", "/v1/intents", "?bbox=8.4,47.3,8.6,47.5&from=\(t0)&to=\(t1)", token: red)
            try await call("GET", "/v1/intents", "?bbox=8.4,47.3,8.6&from=\(t0)&to=\(t1)", token: red)
            try await call("GET", "/v1/intents", "?bbox=8.4,47.3,8.6,47.5&from=\(t0)&to=\(t1)")
            try await call("GET", "/v1/intents", "?bbox=8.4,47.3,8.6,47.5&from=\(t0)&to=\(t1)", token: writeOnly)
            try await call("GET", "/v1/conflicts", token: blue)
            try await call("DELETE", "/v1/intents/ob1", "?ovn=\(a1ovn)", as: one, token: red)
            try await call("DELETE", "/v1/intents/ob1", as: one, token: red)
            try await call("DELETE", "/v1/intents/oa1", "?ovn=\(a1ovn2)", as: one, token: red)
            try await call("DELETE", "/v1/intents/ox", "?ovn=\(a1ovn2)", as: one, token: blue)
            try await call("DELETE", "/v1/intents/ob1", "?ovn=\(b1ovn)", as: one)
            try await call("DELETE", "/v1/intents/ob1", "?ovn=\(b1ovn)", as: one, token: red)
            var statuses = Set<String>()
            for (path, method, r) in seen {
                let documented = spec.response(path, method, r.status)
                #expect(documented != nil, "\(method) \(path) → \(r.status) is not documented")
                guard let documented else { continue }
                guard let content = documented["content"]?.dictionary else {
                    #expect(r.body.isEmpty, "\(method) \(path) → \(r.status): a body where none is documented")
                    statuses.insert("\(method) \(path) \(r.status)")
                    continue
                }
                let ct = r.contentType.split(separator: ";").first.map(String.init) ?? ""
                guard let media = content[ct]?.dictionary, media["schema"] != nil else {
                    Issue.record("\(method) \(path) → \(r.status): content type \(ct) not documented"); continue
                }
                // The body against its schema: scripts/contract/validate_exchanges.py (every
                // response recorded by ContractLog, this walk's included).
                statuses.insert("\(method) \(path) \(r.status)")
            }
            // The walk covered every documented JSON response of the v1 API.
            for expected in ["post /v1/tracks 202", "post /v1/tracks 400", "post /v1/tracks 401", "post /v1/tracks 403",
                             "post /v1/tracks 409", "post /v1/tracks 413", "get /v1/traffic 200", "get /v1/traffic 401",
                             "get /v1/traffic 403", "get /v1/conflicts 200", "get /v1/conflicts 401", "get /v1/conflicts 403",
                             "get /v1/alerts 200", "get /v1/alerts 400", "get /v1/alerts 401", "get /v1/stream 426",
                             "get /v1/stream 401", "get /v1/stream 403", "get /health 200", "get /openapi.json 200", "get /.well-known/jwks.json 200",
                             "put /v1/intents/{id} 201", "put /v1/intents/{id} 200", "put /v1/intents/{id} 400",
                             "put /v1/intents/{id} 401", "put /v1/intents/{id} 403", "put /v1/intents/{id} 404",
                             "put /v1/intents/{id} 409", "put /v1/intents/{id} 413", "get /v1/intents/{id} 200",
                             "get /v1/intents/{id} 400", "get /v1/intents/{id} 401", "get /v1/intents/{id} 403",
                             "get /v1/intents/{id} 404", "delete /v1/intents/{id} 204", "delete /v1/intents/{id} 400",
                             "delete /v1/intents/{id} 401", "delete /v1/intents/{id} 403", "delete /v1/intents/{id} 404",
                             "delete /v1/intents/{id} 409", "get /v1/intents 200", "get /v1/intents 400",
                             "get /v1/intents 401", "get /v1/intents 403"] {
                #expect(statuses.contains(expected), "not exercised: \(expected)")
            }
        }
    }
}
