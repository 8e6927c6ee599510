import Hummingbird
import Logging

/// Logs each request (method, path, query with any `access_token` redacted, status) at
/// `level`: Hummingbird's LogRequestsMiddleware writes the whole URI, which would put a
/// browser's stream token (`/v1/stream?access_token=…`) in the log.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let level: Logger.Level

    init(_ level: Logger.Level) { self.level = level }

    static func redacted(path: String, query: String?) -> String {
        guard let q = query, !q.isEmpty else { return path }
        let parts = q.split(separator: "&").map { part -> String in
            part.hasPrefix("access_token=") ? "access_token=REDACTED" : String(part)
        }
        return path + "?" + parts.joined(separator: "&")
    }

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            context.logger.log(level: level, "request", metadata: [
                "hb.request.method": .string(request.method.rawValue),
                "hb.request.path": .string(Self.redacted(path: request.uri.path, query: request.uri.query)),
                "hb.response.status": .stringConvertible(response.status.code),
            ])
            return response
        } catch {
            context.logger.log(level: level, "request failed", metadata: [
                "hb.request.method": .string(request.method.rawValue),
                "hb.request.path": .string(Self.redacted(path: request.uri.path, query: request.uri.query)),
            ])
            throw error
        }
    }
}
