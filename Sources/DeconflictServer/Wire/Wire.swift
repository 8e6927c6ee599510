import Foundation
import Hummingbird

/// The API's wire types live in this folder (`Views`, `IntentJSON`, `IngestResult`, `HealthBody`);
/// this is their one encoder: keys sorted, as the OpenAPI document shows them.
enum Wire {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    /// `value` as JSON text (`{}` if it cannot be encoded: wire types always can).
    static func text(_ value: some Encodable) -> String {
        (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// A JSON response.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok,
                         contentType: String = "application/json") throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: contentType],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A JSON response of text already encoded (stored stream events passed through).
    static func response(json text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// `GET /healthz`.
struct HealthBody: Encodable {
    var status = "ok"
    var aircraft: Int
}
