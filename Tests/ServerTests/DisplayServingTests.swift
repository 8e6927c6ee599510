import DeconflictCore
@testable import DeconflictServer
import Foundation
import Testing

@Suite("The display's server side")
struct DisplayServingTests {
    @Test("Static display files are served at / beside the API, which is unchanged")
    func staticFilesAndAPI() async throws {
        try await TestServer.with { s in
            let http = s.http()
            let css = try await http.get("/vendor/maplibre-gl.css")
            #expect(css.status == 200)
            #expect(css.contentType.hasPrefix("text/css"))
            #expect(css.body.contains("maplibregl"))
            #expect(try await http.get("/health").status == 200)
            #expect(try await http.get("/v1/traffic").status == 401)
            #expect(try await http.get("/no-such-file.js").status == 404)
        }
    }

    @Test("GET /v1/traffic?bbox= keeps only aircraft in the viewport; a bad bbox is a 400 problem")
    func viewportFilter() async throws {
        try await TestServer.with { s in
            let blue = try await s.token("blue")
            let http = s.http()
            let body = Body.batch([Body.report("IN1", lat: 50, lon: 5), Body.report("OUT1", lat: 40, lon: 5),
                                   Body.report("DATE1", lat: 10, lon: 179.5)])
            #expect(try await http.post("/v1/tracks", token: blue, body: body).status == 202)
            func ids(_ q: String) async throws -> [String] {
                let r = try await http.get("/v1/traffic" + q, token: blue)
                return ((r.object["aircraft"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }.sorted()
            }
            #expect(try await ids("") == ["DATE1", "IN1", "OUT1"])
            #expect(try await ids("?bbox=4,49,6,51") == ["IN1"])
            #expect(try await ids("?bbox=179,5,-179,15") == ["DATE1"])      // across 180°
            let bad = try await http.get("/v1/traffic?bbox=4,51,6,49", token: blue)
            #expect(bad.status == 400 && bad.contentType.hasPrefix("application/problem+json"))
        }
    }

    @Test func logsNeverCarryAStreamToken() {
        #expect(RequestLogMiddleware<AppContext>.redacted(path: "/v1/stream", query: "since=5&access_token=eyJsecret")
                == "/v1/stream?since=5&access_token=REDACTED")
        #expect(RequestLogMiddleware<AppContext>.redacted(path: "/v1/traffic", query: nil) == "/v1/traffic")
    }
}
