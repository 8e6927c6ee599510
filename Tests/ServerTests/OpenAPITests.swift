import DeconflictServer
import Foundation
import Hummingbird
import Testing

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

    @Test("The served document is docs/openapi.yaml, and real responses match it")
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
            let cross = Crossing.bodies(secondsToMeet: 100)
            var seen: [(String, String, HTTP.Reply)] = []
            func call(_ method: String, _ path: String, _ query: String = "", token: String? = nil, body: String? = nil) async throws {
                let r = try await http.request(HTTPRequest.Method(method)!, path + query, token: token, body: body)
                seen.append((path, method.lowercased(), r))
            }
            try await call("GET", "/health")
            try await call("POST", "/v1/tracks", token: blue, body: cross.blue)
            try await call("POST", "/v1/tracks", token: red, body: cross.red)
            try await call("POST", "/v1/tracks", token: blue, body: "{")
            try await call("POST", "/v1/tracks", token: nil, body: cross.blue)
            try await call("POST", "/v1/tracks", token: readOnly, body: cross.blue)
            try await call("POST", "/v1/tracks", token: red, body: cross.blue)
            try await call("POST", "/v1/tracks", token: blue, body: #"{"reports":[\#(String(repeating: " ", count: 5 << 20))]}"#)
            try await Task.sleep(for: .milliseconds(500))
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
            var statuses = Set<String>()
            for (path, method, r) in seen {
                let documented = spec.response(path, method, r.status)
                #expect(documented != nil, "\(method) \(path) → \(r.status) is not documented")
                guard let documented, case .object(let content)? = documented["content"] else { continue }
                let ct = r.contentType.split(separator: ";").first.map(String.init) ?? ""
                guard case .object(let media)? = content[ct], let schema = media["schema"] else {
                    Issue.record("\(method) \(path) → \(r.status): content type \(ct) not documented"); continue
                }
                let value = try JSONDecoder().decode(JSONValue.self, from: Data(r.body.utf8))
                let problems = spec.check(value, schema)
                #expect(problems.isEmpty, "\(method) \(path) → \(r.status): \(problems)")
                statuses.insert("\(method) \(path) \(r.status)")
            }
            // The walk covered every documented JSON response of the v1 API.
            for expected in ["post /v1/tracks 202", "post /v1/tracks 400", "post /v1/tracks 401", "post /v1/tracks 403",
                             "post /v1/tracks 409", "post /v1/tracks 413", "get /v1/traffic 200", "get /v1/traffic 401",
                             "get /v1/traffic 403", "get /v1/conflicts 200", "get /v1/conflicts 401", "get /v1/conflicts 403",
                             "get /v1/alerts 200", "get /v1/alerts 400", "get /v1/alerts 401", "get /v1/stream 426",
                             "get /v1/stream 401", "get /v1/stream 403", "get /health 200"] {
                #expect(statuses.contains(expected), "not exercised: \(expected)")
            }
        }
    }
}
