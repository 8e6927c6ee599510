import DeconflictServer
import Foundation
import Testing

@Suite("Graceful shutdown")
struct ShutdownTests {
    @Test("Every acknowledged report survives a graceful restart, and so does aircraft ownership")
    func acknowledgedWritesSurvive() async throws {
        let dir = TestServer.tempDir()
        let n = 500
        try await TestServer.with(dir: dir) { s in
            let blue = try await s.token("blue"), red = try await s.token("red")
            _ = red
            let body = Body.batch((0..<n).map { Body.report("B\($0)", lat: 50 + Double($0) * 0.001, lon: 5) })
            #expect(try await s.http().post("/v1/tracks", token: blue, body: body).status == 202)
        }
        try await TestServer.with(dir: dir) { s in
            let blue = try await s.token("blue"), red = try await s.token("red")
            let own = try await s.http().get("/v1/traffic", token: blue).object["aircraft"] as? [Any]
            #expect(own?.count == n)
            let r = try await s.http().post("/v1/tracks", token: red, body: Body.batch([Body.report("B1", lat: 50, lon: 5)]))
            #expect(r.status == 409)
        }
    }
}
