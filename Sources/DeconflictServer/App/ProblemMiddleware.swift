import Hummingbird
import Logging

/// Turns every error into `application/problem+json`: Hummingbird's own `HTTPError`s
/// (404 for an unknown path, 413 from a body limit…) and anything unexpected (500,
/// logged, never shown). Bad input never crashes the server.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let response: Response
        do {
            response = try await next(request, context)
        } catch let p as Problem {
            metrics.countResponse(p.status.code)
            throw p
        } catch let e as HTTPError {
            metrics.countResponse(e.status.code)
            let type = e.status == .notFound ? "not-found"
                : e.status == .contentTooLarge ? "too-large"
                : e.status == .methodNotAllowed ? "method-not-allowed" : "http-error"
            throw Problem(e.status, type, e.body ?? e.status.reasonPhrase, headers: e.headers)
        } catch let e as any HTTPResponseError {
            // e.g. NIOTooManyBytesError from a body limit: 413.
            metrics.countResponse(e.status.code)
            throw Problem(e.status, e.status == .contentTooLarge ? "too-large" : "http-error", e.status.reasonPhrase)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(error)"])
            metrics.countResponse(500)
            throw Problem(.internalServerError, "internal", "internal error")
        }
        metrics.countResponse(response.status.code)
        return response
    }
}
