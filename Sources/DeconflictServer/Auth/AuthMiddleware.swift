import Hummingbird

/// Requires `Authorization: Bearer <token>` and puts the checked identity in the context.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let tokens: TokenService
    let metrics: ServerMetrics

    func handle(_ request: Request, context: AppContext,
                next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard let token = Self.bearer(request.headers[.authorization]) else {
            metrics.authFailures.increment()
            throw Problem.unauthorized("missing bearer token")
        }
        var context = context
        do {
            context.identity = try await tokens.verify(token)
        } catch {
            metrics.authFailures.increment()
            throw error
        }
        context.logger[metadataKey: "party"] = .string(context.identity!.party)
        return try await next(request, context)
    }

    static func bearer(_ header: String?) -> String? {
        guard let h = header else { return nil }
        let parts = h.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        // Only the optional white space HTTP allows (space, tab): Foundation's `.whitespaces`
        // also takes U+200B and friends, which would make "token\u{200B}" a second spelling.
        var t = Substring(parts[1])
        while let c = t.first, c == " " || c == "\t" { t.removeFirst() }
        while let c = t.last, c == " " || c == "\t" { t.removeLast() }
        return t.isEmpty ? nil : String(t)
    }
}
