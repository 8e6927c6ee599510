import DeconflictCore
@testable import DeconflictStore
import Foundation
import Testing

/// TLS to PostgreSQL: `sslmode` / `sslrootcert` parsing, and real connections to the
/// throwaway server scripts/test.sh starts with TLS on, its certificate made by
/// scripts/tls/make_certs.sh (DECONFLICT_PG_TLS_CA, a second unrelated CA in
/// DECONFLICT_PG_TLS_OTHER_CA, and a role DECONFLICT_PG_TLS_ROLE that pg_hba refuses in plain).
@Suite struct PostgresTLSTests {
    static let env = ProcessInfo.processInfo.environment
    static var ca: String? { env["DECONFLICT_PG_TLS_CA"] }
    static var configured: Bool { Backend.pgSettings != nil && ca != nil }

    @Test func sslmodeIsParsedStrictly() throws {
        let d = try PostgresSettings(url: "postgres://h/db")
        #expect(d.tlsMode == .disable && d.tlsRootCertificate == nil)
        let v = try PostgresSettings(url: "postgres://h/db?sslmode=verify-full&sslrootcert=/etc/ca.pem&schema=s")
        #expect(v.tlsMode == .verifyFull && v.tlsRootCertificate == "/etc/ca.pem" && v.schema == "s")
        #expect(try PostgresSettings(url: "postgres://h/db?sslmode=require").tlsMode == .require)
        #expect(try PostgresSettings(url: "postgres://h/db?sslmode=verify-ca").tlsMode == .verifyCA)
        // A mode that may fall back to plain text, an unknown mode or parameter, a root
        // certificate without TLS: refused, not ignored.
        for bad in ["postgres://h/db?sslmode=prefer", "postgres://h/db?sslmode=allow", "postgres://h/db?sslmode=yes",
                    "postgres://h/db?ssl=true", "postgres://h/db?sslrootcert=/etc/ca.pem"] {
            #expect(throws: StoreError.self, "\(bad)") { try PostgresSettings(url: bad) }
        }
        let e = try #require(try PostgresSettings.fromEnvironment(["PGHOST": "h", "PGSSLMODE": "verify-full", "PGSSLROOTCERT": "/ca.pem"]))
        #expect(e.tlsMode == .verifyFull && e.tlsRootCertificate == "/ca.pem")
        // The URL shown in logs keeps the TLS settings (and masks the password).
        let shown = StoreLocation.postgres(try PostgresSettings(url: "postgres://u:pw@h:5/db?sslmode=verify-full&sslrootcert=/ca.pem")).description
        #expect(shown.contains("sslmode=verify-full") && shown.contains("sslrootcert=/ca.pem") && !shown.contains("pw"))
    }

    func settings(_ mode: PostgresSettings.TLSMode, root: String?, user: String? = nil) throws -> PostgresSettings {
        var s = try #require(Backend.pgSettings)
        s.schema = "tls_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        s.tlsMode = mode
        s.tlsRootCertificate = root
        if let user { s.user = user }
        return s
    }

    func encrypted(_ s: PostgresSettings) async throws -> Bool {
        // A generous connect timeout: the suite runs beside CPU-heavy tests on two cores.
        let store = try await PostgresIntentStore(settings: s, maxConnections: 2, connectTimeout: 30)
        let tls = try await store.connectionIsEncrypted()
        // The store works over it: a write and a read.
        let v = Volume4D(volume: Volume3D(outline: .circle(center: LatLon(lat: 48, lon: 2), radius: 1000),
                                          altitudeLower: 0, altitudeUpper: 300), timeStart: 1_800_000_000, timeEnd: 1_800_000_600)
        let r = try await store.put(IntentProposal(id: "tls-1", state: .accepted, priority: 0, volumes: [v]), key: [], ovn: nil, writer: "blue")
        guard case .accepted = r else { Issue.record("write refused: \(r)"); return tls }
        #expect(try await store.get(id: "tls-1")?.owner == "blue")
        try await store.dropSchema()
        try await store.close()
        return tls
    }

    @Test(.enabled(if: configured))
    func verifiedTLSConnects() async throws {
        #expect(try await encrypted(try settings(.verifyFull, root: Self.ca)))
        #expect(try await encrypted(try settings(.verifyCA, root: Self.ca)))
        // sslmode=disable: the same server, plainly.
        #expect(try await encrypted(try settings(.disable, root: nil)) == false)
    }

    @Test(.enabled(if: configured))
    func unverifiableCertificatesAreRefused() async throws {
        // The test CA is in no system store: `require` verifies, so it is refused …
        await #expect(throws: (any Error).self) {
            _ = try await PostgresIntentStore(settings: try settings(.require, root: nil), maxConnections: 2, connectTimeout: 5)
        }
        // … and so is a certificate signed by another CA than the one given.
        if let other = Self.env["DECONFLICT_PG_TLS_OTHER_CA"] {
            await #expect(throws: (any Error).self) {
                _ = try await PostgresIntentStore(settings: try settings(.verifyFull, root: other), maxConnections: 2, connectTimeout: 5)
            }
        }
        // A missing root file is a configuration error, named.
        await #expect(throws: StoreError.self) {
            _ = try await PostgresIntentStore(settings: try settings(.verifyFull, root: "/nonexistent/ca.pem"), maxConnections: 2)
        }
    }

    @Test(.enabled(if: configured && env["DECONFLICT_PG_TLS_ROLE"] != nil))
    func plainIsRefusedWhereTLSIsRequired() async throws {
        let role = try #require(Self.env["DECONFLICT_PG_TLS_ROLE"])
        await #expect(throws: (any Error).self) {
            _ = try await PostgresIntentStore(settings: try settings(.disable, root: nil, user: role), maxConnections: 2, connectTimeout: 5)
        }
        #expect(try await encrypted(try settings(.verifyFull, root: Self.ca, user: role)))
    }
}
