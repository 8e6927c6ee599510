import Hummingbird

/// The request context: Hummingbird's core storage plus the caller's identity once
/// ``AuthMiddleware`` has checked the token.
public struct AppContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?

    public init(source: Source) {
        coreContext = .init(source: source)
        identity = nil
    }

    /// The caller, or 401 (routes behind the auth middleware always have one).
    public func caller(_ scope: Scope) throws -> Identity {
        guard let id = identity else { throw Problem.unauthorized("missing bearer token") }
        guard id.has(scope) else { throw Problem.forbidden("token lacks scope \(scope.rawValue)") }
        return id
    }
}
