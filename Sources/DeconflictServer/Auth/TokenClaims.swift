import Foundation
import JWTKit

/// The claims of a party's token. Every one is required: a token lacking any of them
/// does not decode and is refused (401).
public struct TokenClaims: JWTPayload, Equatable {
    public var sub: SubjectClaim
    public var aud: AudienceClaim
    public var exp: ExpirationClaim
    public var iat: IssuedAtClaim
    public var jti: IDClaim
    public var scope: String

    public init(party: String, audience: String, issuedAt: Date, expires: Date, jti: String, scopes: [Scope]) {
        sub = .init(value: party)
        aud = .init(value: [audience])
        iat = .init(value: issuedAt)
        exp = .init(value: expires)
        self.jti = .init(value: jti)
        scope = scopes.map(\.rawValue).joined(separator: " ")
    }

    /// Signature is checked by the key collection; here: expiry. The audience is checked
    /// by ``TokenService`` (it knows the configured one).
    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }

    public var scopes: Set<String> { Set(scope.split(separator: " ").map(String.init)) }
}
