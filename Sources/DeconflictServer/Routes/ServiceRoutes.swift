import Hummingbird

/// `/health`, `/metrics` (Prometheus text format), `/openapi.yaml`, `/openapi.json` and the
/// token-signing key at `/.well-known/jwks.json`: no token needed.
struct ServiceRoutes {
    let metrics: ServerMetrics
    let engine: LiveEngine
    let tokens: TokenService

    func add(to router: Router<AppContext>) {
        router.get("health") { _, _ in
            try Wire.response(HealthBody(aircraft: engine.aircraftCount))
        }
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        router.get("openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"],
                     body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }
        router.get(".well-known/jwks.json") { _, _ in
            let data = try Wire.encoder.encode(tokens.jwks)
            return Response(status: .ok, headers: [.contentType: "application/jwk-set+json"],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        // The document is written in YAML's JSON-compatible flow style: the same text is JSON.
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }
    }
}
