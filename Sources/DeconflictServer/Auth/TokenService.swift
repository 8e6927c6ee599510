import DeconflictCore
import Crypto
import Foundation
import JWTKit
import DeconflictFormats

/// Who is calling, once the token is checked.
public struct Identity: Sendable, Equatable {
    public var party: String
    public var scopes: Set<String>
    public var jti: String
    /// When the token expires (an open stream is closed then).
    public var expires: Date = .distantFuture

    public func has(_ scope: Scope) -> Bool { scopes.contains(scope.rawValue) }
}

/// Issues and checks party tokens: EdDSA (Ed25519) JWTs with `sub`, `aud`, `exp`, `iat`,
/// `jti` and `scope`, all required. Anything else is refused: `alg` other than EdDSA
/// (`none`, HS256 signed with the public key…), a bad signature, expiry, a wrong
/// audience, a missing claim, a revoked `jti` or party, a malformed token.
public final class TokenService: Sendable {
    public let audience: String
    public let registry: any PartyRegistry
    private let keys: JWTKeyCollection
    private let publicKey: EdDSA.PublicKey

    public init(dataDirectory: DataDirectory, audience: String, registry: any PartyRegistry) async throws {
        let key = try SigningKey.loadOrCreate(in: dataDirectory)
        self.audience = audience
        self.registry = registry
        self.publicKey = key.publicKey
        self.jwks = Self.jwks(key.publicKey)
        self.keys = JWTKeyCollection()
        await keys.add(eddsa: key)
    }

    /// The public key in PEM (what a verifier elsewhere would need).
    public var publicKeyPEM: String { publicKey.pemRepresentation }

    /// The signing key as a JWK Set (RFC 7517, RFC 8037 `OKP`/`Ed25519`), served at
    /// `/.well-known/jwks.json` so that anyone can verify the service's tokens; `kid` is the key's
    /// RFC 7638 thumbprint.
    public let jwks: JWKSet

    static func jwks(_ key: EdDSA.PublicKey) -> JWKSet {
        let x = Base64URL.encode(key.rawRepresentation)
        let thumbprint = Base64URL.encode(Data(SHA256.hash(data: Array(#"{"crv":"Ed25519","kty":"OKP","x":"\#(x)"}"#.utf8))))
        return JWKSet(keys: [.init(kty: "OKP", crv: "Ed25519", x: x, use: "sig", alg: "EdDSA", kid: thumbprint)])
    }

    /// Signs a token for `party` and records its `jti`.
    public func issue(party: String, scopes: [Scope], ttl: TimeInterval, now: Date = Date()) async throws -> (token: String, claims: TokenClaims) {
        let iat = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let claims = TokenClaims(party: party, audience: audience, issuedAt: iat,
                                 expires: iat.addingTimeInterval(ttl), jti: UUID().uuidString.lowercased(),
                                 scopes: scopes)
        let token = try await keys.sign(claims)
        try registry.recordIssued(IssuedToken(jti: claims.jti.value, party: party, expires: claims.exp.value))
        return (token, claims)
    }

    /// Why a checked identity is no longer good (its party or token revoked since, or the
    /// token expired), or nil while it still is. For open streams, asked every second.
    public func stillValid(_ id: Identity, now: Date = Date()) -> String? {
        if id.expires <= now { return "token expired" }
        if registry.isRevoked(jti: id.jti) { return "token revoked" }
        guard let rec = registry.party(id.party), !rec.revoked else { return "party revoked" }
        return nil
    }

    /// The identity in a bearer token, or a 401 problem saying why not.
    public func verify(_ token: String, now: Date = Date()) async throws(Problem) -> Identity {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard token.utf8.count <= 8192, parts.count == 3, !parts[2].isEmpty else {
            throw Problem.unauthorized("malformed token")
        }
        // One canonical spelling (RFC 7515 base64url, no padding, unused bits zero): another
        // spelling of the same bytes is a different string, and is refused.
        guard parts.allSatisfy(Base64URL.isCanonical) else {
            throw Problem.unauthorized("token is not in canonical base64url")
        }
        guard let headerData = Base64URL.decode(parts[0]), let payloadData = Base64URL.decode(parts[1]),
              case .object? = try? JSON.parse(Array(headerData)),
              let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any] else {
            throw Problem.unauthorized("malformed token header")
        }
        // Duplicate members (RFC 8725 §3.10, RFC 7519 §4): refused, never "first wins".
        guard let payload = try? JSON.parse(Array(payloadData)), case .object = payload else {
            throw Problem.unauthorized("malformed token payload")
        }
        if let h = try? JSON.parse(Array(headerData)), Self.hasDuplicateMembers(h) || Self.hasDuplicateMembers(payload) {
            throw Problem.unauthorized("token has duplicate members")
        }
        // Not before (RFC 7519 §4.1.5), with the same small leeway as iat.
        if let nbf = payload["nbf"] {
            guard case let .number(t) = nbf, t.isFinite else { throw Problem.unauthorized("nbf must be a number") }
            if t > now.timeIntervalSince1970 + Self.leeway { throw Problem.unauthorized("token not yet valid (nbf)") }
        }
        guard let alg = header["alg"] as? String, alg == "EdDSA" else {
            throw Problem.unauthorized("unsupported token algorithm (only EdDSA is accepted)")
        }
        if header["crit"] != nil { throw Problem.unauthorized("unsupported critical header") }
        let claims: TokenClaims
        do {
            claims = try await keys.verify(token, as: TokenClaims.self)
        } catch {
            throw Problem.unauthorized("invalid token (bad signature, malformed, or a required claim missing)")
        }
        if claims.exp.value <= now { throw Problem.unauthorized("token expired") }
        if claims.iat.value > now.addingTimeInterval(Self.leeway) { throw Problem.unauthorized("token issued in the future") }
        guard claims.aud.value.contains(audience) else { throw Problem.unauthorized("token not meant for this service (aud)") }
        let party = claims.sub.value
        guard !party.isEmpty, !claims.jti.value.isEmpty else { throw Problem.unauthorized("empty sub or jti") }
        if registry.isRevoked(jti: claims.jti.value) { throw Problem.unauthorized("token revoked") }
        guard let rec = registry.party(party) else { throw Problem.unauthorized("unknown party") }
        if rec.revoked { throw Problem.unauthorized("party revoked") }
        return Identity(party: party, scopes: claims.scopes, jti: claims.jti.value, expires: claims.exp.value)
    }
}

extension TokenService {
    /// Clock skew tolerated for `iat` and `nbf`, seconds.
    static let leeway: TimeInterval = 60

    static func hasDuplicateMembers(_ v: JSON) -> Bool { v.hasDuplicateMembers }
}

/// base64url without padding (RFC 7515).
public enum Base64URL {
    /// Only `A–Z a–z 0–9 - _`, no padding, a possible length, and the one spelling that
    /// encoding the decoded bytes gives back (the unused low bits of the last character zero).
    public static func isCanonical(_ s: Substring) -> Bool {
        guard !s.isEmpty, s.count % 4 != 1 else { return false }
        guard s.utf8.allSatisfy({ ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 95 })
        else { return false }
        guard let d = decode(s) else { return false }
        return encode(d) == s
    }

    public static func decode(_ s: Substring) -> Data? {
        var b = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        if b.contains("=") { return nil }
        while b.count % 4 != 0 { b += "=" }
        return Data(base64Encoded: b)
    }

    public static func encode(_ d: Data) -> String {
        d.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

/// A JWK Set (`/.well-known/jwks.json`).
public struct JWKSet: Codable, Sendable, Equatable {
    public struct Key: Codable, Sendable, Equatable {
        public var kty: String, crv: String, x: String, use: String, alg: String, kid: String
    }
    public var keys: [Key]
}
