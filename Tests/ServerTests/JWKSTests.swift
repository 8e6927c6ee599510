import Crypto
import DeconflictServer
import Foundation
import Testing

/// The token-signing key is published (RFC 7517 / RFC 8037) so that anyone can verify the
/// service's tokens with a library we did not write (swift-crypto's Ed25519 here).
@Suite("JWKS")
struct JWKSTests {
    @Test("/.well-known/jwks.json holds the key that signs the service's tokens")
    func publishedKeyVerifiesTokens() async throws {
        try await TestServer.with { s in
            let r = try await s.http().get("/.well-known/jwks.json")
            #expect(r.status == 200 && r.contentType == "application/jwk-set+json")
            let set = try JSONDecoder().decode(JWKSet.self, from: Data(r.body.utf8))
            let key = try #require(set.keys.first)
            #expect(set.keys.count == 1 && key.kty == "OKP" && key.crv == "Ed25519" && key.alg == "EdDSA" && key.use == "sig")
            let raw = try #require(Base64URL.decode(Substring(key.x)))
            let publicKey = try Curve25519.Signing.PublicKey(rawRepresentation: raw)
            // A token the service issued verifies with it; a token with one byte changed does not.
            let token = try await s.token("blue")
            let parts = token.split(separator: ".").map(String.init)
            #expect(parts.count == 3)
            let signed = Data((parts[0] + "." + parts[1]).utf8)
            let signature = try #require(Base64URL.decode(Substring(parts[2])))
            #expect(publicKey.isValidSignature(signature, for: signed))
            var tampered = Array(signed); tampered[tampered.count - 1] ^= 1
            #expect(!publicKey.isValidSignature(signature, for: Data(tampered)))
            // kid is the RFC 7638 thumbprint of the key.
            let thumb = Base64URL.encode(Data(SHA256.hash(data: Data(#"{"crv":"Ed25519","kty":"OKP","x":"\#(key.x)"}"#.utf8))))
            #expect(key.kid == thumb)
        }
    }
}
