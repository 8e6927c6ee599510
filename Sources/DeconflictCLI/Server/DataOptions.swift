import ArgumentParser
import DeconflictServer
import Foundation

/// `--data DIR`: the server's data directory (signing key, parties, track snapshot).
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "Data directory (default $DECONFLICT_DATA or ./deconflict-data).")
    var data: String?

    var url: URL {
        URL(fileURLWithPath: data ?? ProcessInfo.processInfo.environment["DECONFLICT_DATA"] ?? "deconflict-data")
    }

    @Option(name: .long, help: "Token audience (the service's name).")
    var audience: String = "deconflict"
}

/// Registers a party and mints its token against a data directory (shared by
/// `party add`, `demo` and `load`).
enum PartyTokens {
    static func issue(_ dir: URL, audience: String, party: String, scopes: [Scope], ttl: Double) async throws -> String {
        let data = try DataDirectory(dir)
        let registry = try FilePartyRegistry(data)
        let tokens = try await TokenService(dataDirectory: data, audience: audience, registry: registry)
        _ = try registry.upsert(party: party, scopes: scopes)
        return try await tokens.issue(party: party, scopes: scopes, ttl: ttl).token
    }
}
