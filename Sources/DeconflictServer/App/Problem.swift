import DeconflictCore
import Foundation
import Hummingbird
import DeconflictFormats

/// An RFC 9457 problem: every error the API returns is `application/problem+json`
/// with `type`, `title`, `status` and `detail`.
public struct Problem: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var type: String
    public var title: String
    public var detail: String
    /// Extra members (e.g. `missing` intents for a 409 on the OVN rule).
    public var extra: [String: JSON]
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ type: String, _ detail: String,
                extra: [String: JSON] = [:], headers: HTTPFields = [:]) {
        self.status = status
        self.type = type
        self.title = status.reasonPhrase
        self.detail = detail
        self.extra = extra
        self.headers = headers
    }

    public static func badRequest(_ detail: String) -> Problem { .init(.badRequest, "bad-request", detail) }
    public static func unauthorized(_ detail: String) -> Problem {
        .init(.unauthorized, "unauthorized", detail,
              headers: [.wwwAuthenticate: "Bearer realm=\"deconflict\", error=\"invalid_token\""])
    }
    public static func forbidden(_ detail: String) -> Problem { .init(.forbidden, "forbidden", detail) }
    public static func notFound(_ detail: String) -> Problem { .init(.notFound, "not-found", detail) }
    public static func conflict(_ detail: String, extra: [String: JSON] = [:]) -> Problem {
        .init(.conflict, "conflict", detail, extra: extra)
    }
    public static func tooLarge(_ detail: String) -> Problem { .init(.contentTooLarge, "too-large", detail) }

    public var body: [String: JSON] {
        var b = extra
        b["type"] = .string("https://deconflict.invalid/problems/\(type)")
        b["title"] = .string(title)
        b["status"] = .number(Double(status.code))
        b["detail"] = .string(detail)
        return b
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        let data = (try? Wire.encoder.encode(JSON(body))) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
