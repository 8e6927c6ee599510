import Crypto
import DeconflictServer
import Foundation
import JWTKit
import Testing

/// The token attacks InterUSS's DSS tests try, and scope checks.
@Suite("Tokens")
struct AuthTests {
    /// Signs arbitrary header/claims with the server's own key (so only the named flaw differs).
    static func forge(_ s: TestServer, header: [String: Any] = ["alg": "EdDSA", "typ": "JWT"], claims: [String: Any]) throws -> String {
        let pem = try String(contentsOf: s.dir.appendingPathComponent("signing-key.pem"), encoding: .utf8)
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: EdDSA.PrivateKey(pem: pem).rawRepresentation)
        let input = try b64(header) + "." + b64(claims)
        return input + "." + Base64URL.encode(try key.signature(for: Data(input.utf8)))
    }

    static func b64(_ o: [String: Any]) throws -> String {
        Base64URL.encode(try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]))
    }

    static func claims(party: String = "blue", aud: String = "deconflict", exp: Double = Date().timeIntervalSince1970 + 600,
                       iat: Double = Date().timeIntervalSince1970 - 5) -> [String: Any] {
        ["sub": party, "aud": aud, "exp": exp, "iat": iat, "jti": UUID().uuidString,
         "scope": "tracks.write traffic.read"]
    }

    static func expect401(_ r: HTTP.Reply, _ what: String) {
        #expect(r.status == 401, "\(what): got \(r.status) \(r.body)")
        #expect(r.contentType == "application/problem+json", "\(what)")
        for k in ["type", "title", "status", "detail"] { #expect(r.object[k] != nil, "\(what): problem lacks \(k)") }
    }

    @Test("A valid forged-by-the-server token is accepted (the harness is sound)")
    func controlTokenAccepted() async throws {
        try await TestServer.with { s in
            _ = try await s.token("blue")
            let t = try Self.forge(s, claims: Self.claims())
            #expect(try await s.http().get("/v1/traffic", token: t).status == 200)
        }
    }

    @Test("Every token attack is refused with 401 problem+json")
    func attacksRefused() async throws {
        try await TestServer.with { s in
            let http = s.http()
            let good = try await s.token("blue")
            let parts = good.split(separator: ".").map(String.init)
            var cases: [(String, String?)] = []
            cases.append(("no header", nil))
            cases.append(("malformed", "not-a-token"))
            cases.append(("two parts", parts[0] + "." + parts[1]))
            cases.append(("garbage base64", "!!!.@@@.###"))
            // alg none: header says none, signature empty.
            let noneHeader = try Self.b64(["alg": "none", "typ": "JWT"])
            cases.append(("alg none", noneHeader + "." + parts[1] + "."))
            cases.append(("alg none with signature", noneHeader + "." + parts[1] + "." + parts[2]))
            // HS256 with the public key as the HMAC secret (the key-confusion attack).
            let pem = try String(contentsOf: s.dir.appendingPathComponent("signing-key.pem"), encoding: .utf8)
            let pub = try EdDSA.PrivateKey(pem: pem).publicKey
            for secret in [Data(pub.pemRepresentation.utf8), pub.rawRepresentation] {
                let h = try Self.b64(["alg": "HS256", "typ": "JWT"])
                let input = h + "." + parts[1]
                let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: secret))
                cases.append(("HS256 with public key", input + "." + Base64URL.encode(Data(mac))))
            }
            cases.append(("expired", try Self.forge(s, claims: Self.claims(exp: Date().timeIntervalSince1970 - 10))))
            cases.append(("wrong aud", try Self.forge(s, claims: Self.claims(aud: "someone-else"))))
            cases.append(("unknown party", try Self.forge(s, claims: Self.claims(party: "mallory"))))
            for claim in ["sub", "aud", "exp", "iat", "jti", "scope"] {
                var c = Self.claims(); c[claim] = nil
                cases.append(("missing \(claim)", try Self.forge(s, claims: c)))
            }
            // Tampered payload: another party's claims under blue's signature.
            var tampered = Self.claims(party: "red"); tampered["jti"] = "x"
            cases.append(("tampered payload", parts[0] + "." + (try Self.b64(tampered)) + "." + parts[2]))
            cases.append(("bad signature", parts[0] + "." + parts[1] + "." + String(parts[2].reversed())))
            for (what, token) in cases {
                let r = try await http.request(.get, "/v1/traffic", rawAuth: token.map { "Bearer \($0)" })
                Self.expect401(r, what)
            }
            let r = try await http.request(.get, "/v1/traffic", rawAuth: "Basic Ymx1ZTpibHVl")
            Self.expect401(r, "basic auth")
        }
    }

    @Test("Revoked jti and revoked party are refused; the CLI's registry change is seen at once")
    func revocation() async throws {
        try await TestServer.with { s in
            let http = s.http()
            let t1 = try await s.token("blue"), t2 = try await s.token("blue")
            #expect(try await http.get("/v1/traffic", token: t1).status == 200)
            let registry = try FilePartyRegistry(DataDirectory(s.dir))
            let jti = try #require(try await s.server.tokens.verify(t1).jti)
            try registry.revoke(jti: jti)
            try await Task.sleep(for: .milliseconds(300))
            Self.expect401(try await http.get("/v1/traffic", token: t1), "revoked jti")
            #expect(try await http.get("/v1/traffic", token: t2).status == 200)
            #expect(try registry.revoke(party: "blue"))
            try await Task.sleep(for: .milliseconds(300))
            Self.expect401(try await http.get("/v1/traffic", token: t2), "revoked party")
        }
    }

    @Test("A missing scope is 403")
    func missingScope() async throws {
        try await TestServer.with { s in
            let http = s.http()
            let readOnly = try await s.token("viewer", [.trafficRead])
            let writeOnly = try await s.token("feeder", [.tracksWrite])
            let p = Crossing.bodies(secondsToMeet: 100)
            let r1 = try await http.post("/v1/tracks", token: readOnly, body: p.blue)
            #expect(r1.status == 403 && r1.contentType == "application/problem+json")
            let r2 = try await http.get("/v1/traffic", token: writeOnly)
            #expect(r2.status == 403 && r2.contentType == "application/problem+json")
            #expect(try await http.post("/v1/tracks", token: writeOnly, body: p.blue).status == 202)
        }
    }

    @Test("Key files are private (0600)")
    func keyFilesPrivate() async throws {
        try await TestServer.with { s in
            let d = try DataDirectory(s.dir)
            #expect(d.mode("signing-key.pem") == 0o600)
            #expect(d.mode("server-secret") == 0o600)
        }
    }
}
