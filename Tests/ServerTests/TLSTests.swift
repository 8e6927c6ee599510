@testable import DeconflictServer
import Foundation
import HummingbirdTLS
import Testing

/// HTTPS (`--tls-cert` / `--tls-key`) with a certificate authority and server certificate
/// made by the test (scripts/tls/make_certs.sh, openssl): requests, tokens and the stream
/// over TLS; plain HTTP and unverifiable certificates refused; bad files refused at start.
@Suite struct TLSTests {
    /// A fresh directory with ca.pem, other-ca.pem, server.pem and server.key.
    static func certificates() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("deconflict-tls-\(UUID().uuidString)")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../scripts/tls/make_certs.sh").standardized.path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [script, dir.path]
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "make_certs.sh failed")
        return dir
    }

    static func client(trusting ca: URL) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(ca.path)
        return tls
    }

    @Test func httpsServesTheAPIAndTheStream() async throws {
        let certs = try Self.certificates()
        defer { try? FileManager.default.removeItem(at: certs) }
        let files = TLSFiles(certificateChain: certs.appendingPathComponent("server.pem").path,
                             privateKey: certs.appendingPathComponent("server.key").path)
        try await TestServer.with({ $0.tls = files }) { s in
            let https = HTTP(port: s.port, tls: Self.client(trusting: certs.appendingPathComponent("ca.pem")))
            let health = try await https.get("/health")
            #expect(health.status == 200)
            // A token crosses, and is accepted, over TLS only.
            let blue = try await s.token("blue")
            #expect(try await https.get("/v1/traffic", token: blue).status == 200)
            #expect(try await https.get("/v1/traffic").status == 401)
            // The stream over wss.
            let probe = try await StreamProbe.open(port: s.port, token: blue, tls: Self.client(trusting: certs.appendingPathComponent("ca.pem")))
            #expect(probe.all.first?["type"] as? String == "hello")
            await probe.close()

            // Plain HTTP to the TLS port gets no answer: the handshake fails, nothing is served.
            var plain = HTTP(port: s.port)
            plain.timeout = .seconds(3)
            do {
                let r = try await plain.get("/health")
                Issue.record("plain HTTP was answered with \(r.status)")
            } catch {}
            // A client that cannot verify the certificate (it trusts another CA) refuses it.
            var wrong = HTTP(port: s.port, tls: Self.client(trusting: certs.appendingPathComponent("other-ca.pem")))
            wrong.timeout = .seconds(3)
            do {
                let r = try await wrong.get("/health")
                Issue.record("an unverifiable certificate was accepted (\(r.status))")
            } catch {}
        }
    }

    @Test func badTLSFilesAreRefusedAtStart() async throws {
        let certs = try Self.certificates()
        defer { try? FileManager.default.removeItem(at: certs) }
        let pem = certs.appendingPathComponent("server.pem").path
        for (cert, key, says) in [(pem, certs.appendingPathComponent("other-ca.key").path, "does not match"),
                                  (certs.appendingPathComponent("missing.pem").path, certs.appendingPathComponent("server.key").path, "--tls-cert"),
                                  (pem, pem, "--tls-key")] {
            do {
                _ = try DeconflictService.tlsConfiguration(TLSFiles(certificateChain: cert, privateKey: key))
                Issue.record("accepted cert \(cert) with key \(key)")
            } catch let e as ServerStartError {
                #expect(e.description.contains(says), "\(e)")
            }
        }
    }
}
