import Foundation
import Hummingbird

/// An RFC 9457 problem: every error the API returns is `application/problem+json`
/// with `type`, `title`, `status` and `detail`.
public struct Problem: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var type: String
    public var title: String
    public var detail: String
    /// Extra members (e.g. `missing` intents for a 409 on the OVN rule).
    public var extra: [String: JSONValue]
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ type: String, _ detail: String,
                extra: [String: JSONValue] = [:], headers: HTTPFields = [:]) {
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
    public static func conflict(_ detail: String, extra: [String: JSONValue] = [:]) -> Problem {
        .init(.conflict, "conflict", detail, extra: extra)
    }
    public static func tooLarge(_ detail: String) -> Problem { .init(.contentTooLarge, "too-large", detail) }

    public var body: [String: JSONValue] {
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
        let data = (try? JSONEncoder.sorted.encode(JSONValue.object(body))) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// A small JSON value for problem members and shape checks.
public enum JSONValue: Codable, Sendable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}
