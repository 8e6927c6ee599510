import Crypto
import DeconflictServer
import Foundation
import HTTPTypes
import JWTKit
import Testing
import DeconflictFormats

/// Issue 19, "tokens to the letter" (RFC 7519 / RFC 8725): each test is the attack.
@Suite("Hostile tokens")
struct HostileTokenTests {
    /// Signs a header and a payload given as raw JSON text (so duplicate members can be
    /// written) with the server's own key.
    static func forgeRaw(_ s: TestServer, header: String = #"{"alg":"EdDSA","typ":"JWT"}"#, payload: String) throws -> String {
        let pem = try String(contentsOf: s.dir.appendingPathComponent("signing-key.pem"), encoding: .utf8)
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: EdDSA.PrivateKey(pem: pem).rawRepresentation)
        let input = Base64URL.encode(Data(header.utf8)) + "." + Base64URL.encode(Data(payload.utf8))
        return input + "." + Base64URL.encode(try key.signature(for: Data(input.utf8)))
    }

    static func payload(sub: String = "blue", extra: String = "", now: Double = Date().timeIntervalSince1970) -> String {
        #"{"sub":"\#(sub)","aud":"deconflict","exp":\#(now + 600),"iat":\#(now - 5),"jti":"\#(UUID().uuidString)","scope":"tracks.write traffic.read"\#(extra)}"#
    }

    @Test("nbf in the future is refused; past or within the leeway is accepted")
    func notBefore() async throws {
        try await TestServer.with { s in
            _ = try await s.token("blue"); _ = try await s.token("red")
            let now = Date().timeIntervalSince1970
            let http = s.http()
            let future = try Self.forgeRaw(s, payload: Self.payload(extra: #","nbf":\#(now + 600)"#))
            AuthTests.expect401(try await http.get("/v1/traffic", token: future), "nbf +600 s")
            let past = try Self.forgeRaw(s, payload: Self.payload(extra: #","nbf":\#(now - 10)"#))
            #expect(try await http.get("/v1/traffic", token: past).status == 200)
            let skew = try Self.forgeRaw(s, payload: Self.payload(extra: #","nbf":\#(now + 10)"#))
            #expect(try await http.get("/v1/traffic", token: skew).status == 200, "10 s of clock skew is tolerated")
            let notNumber = try Self.forgeRaw(s, payload: Self.payload(extra: #","nbf":"soon""#))
            AuthTests.expect401(try await http.get("/v1/traffic", token: notNumber), "nbf not a number")
        }
    }

    @Test("Duplicate members in the payload or header are refused (no 'first wins')")
    func duplicateMembers() async throws {
        try await TestServer.with { s in
            _ = try await s.token("blue"); _ = try await s.token("red")
            let http = s.http()
            let dupSub = try Self.forgeRaw(s, payload: Self.payload(sub: "blue", extra: #","sub":"red""#))
            AuthTests.expect401(try await http.get("/v1/traffic", token: dupSub), "sub twice")
            let dupAlg = try Self.forgeRaw(s, header: #"{"alg":"EdDSA","typ":"JWT","alg":"none"}"#, payload: Self.payload())
            AuthTests.expect401(try await http.get("/v1/traffic", token: dupAlg), "alg twice")
            let nested = try Self.forgeRaw(s, payload: Self.payload(extra: #","x":{"a":1,"a":2}"#))
            AuthTests.expect401(try await http.get("/v1/traffic", token: nested), "duplicate inside a nested object")
            // Control: the same payload without the duplicate is accepted.
            #expect(try await http.get("/v1/traffic", token: try Self.forgeRaw(s, payload: Self.payload())).status == 200)
        }
    }

    @Test("Only the one canonical base64url spelling of a valid token is accepted")
    func canonicalSpelling() async throws {
        try await TestServer.with { s in
            let good = try await s.token("blue")
            let http = s.http()
            #expect(try await http.get("/v1/traffic", token: good).status == 200)
            let p = good.split(separator: ".").map(String.init)
            var variants: [(String, String)] = []
            variants.append(("padding on the payload", p[0] + "." + p[1] + "==" + "." + p[2]))
            variants.append(("padding on the signature", p[0] + "." + p[1] + "." + p[2] + "=="))
            variants.append(("trailing U+200B", good + "\u{200B}"))
            variants.append(("standard base64 alphabet", good.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")))
            // The last character of an unpadded segment carries unused low bits: flipping
            // them gives other text for the same bytes.
            for (i, seg) in p.enumerated() where seg.count % 4 != 0 {
                let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                let last = seg.last!
                let idx = alphabet.firstIndex(of: last)!
                let unused = seg.count % 4 == 2 ? 0b1111 : 0b11
                let other = alphabet[(idx & ~unused) | ((idx & unused) ^ 1)]
                var q = p; q[i] = String(seg.dropLast()) + String(other)
                variants.append(("segment \(i) with non-zero unused bits", q.joined(separator: ".")))
            }
            for (what, t) in variants where t != good {
                let r = try await http.request(.get, "/v1/traffic", rawAuth: "Bearer \(t)")
                AuthTests.expect401(r, what)
            }
        }
    }

    /// A token both in the header and in the query is refused on the stream upgrade.
    /// (Hummingbird answers every refused upgrade with a bare 400; the 401 problem+json
    /// there is still to do — docs/security.md.)
    @Test("Stream upgrade: header and query token not both")
    func streamTokenNotTwice() async throws {
        try await TestServer.with { s in
            let good = try await s.token("blue")
            func upgrade(_ path: String, auth: String?) async throws -> HTTP.Reply {
                var h: HTTPFields = [.connection: "Upgrade", .upgrade: "websocket", .secWebSocketVersion: "13",
                                     .secWebSocketKey: "dGhlIHNhbXBsZSBub25jZQ=="]
                if let auth { h[.authorization] = auth }
                return try await s.http().request(.get, path, headers: h)
            }
            #expect(try await upgrade("/v1/stream", auth: "Bearer \(good)").status == 101)
            #expect(try await upgrade("/v1/stream?access_token=\(good)", auth: nil).status == 101)
            let both = try await upgrade("/v1/stream?access_token=\(good)", auth: "Bearer \(good)")
            #expect(both.status != 101, "both: \(both.status)")
        }
    }
}
