import DeconflictServer
import Foundation
import Testing

/// Issue 19, "revocation holes": each test is the attack.
@Suite("Revocation")
struct RevocationTests {
    @Test("A revoked party's open stream is closed at once, whoever revoked it")
    func revokeClosesOpenStream() async throws {
        try await TestServer.with { s in
            let blue = try await s.token("blue"), red = try await s.token("red")
            let bs = try await StreamProbe.open(port: s.port, token: blue)
            let rs = try await StreamProbe.open(port: s.port, token: red)
            // `deconflict party revoke blue` in another process: its own registry on the same files.
            let cli = try FilePartyRegistry(DataDirectory(s.dir))
            #expect(try cli.revoke(party: "blue"))
            #expect(await bs.waitClosedByServer(timeout: 3), "blue's stream stays open after the revocation")
            #expect(!(await rs.waitClosedByServer(timeout: 1.5)), "red's stream is not affected")
            // And a new stream or request with the old token is refused.
            AuthTests.expect401(try await s.http().get("/v1/traffic", token: blue), "revoked token")
            await rs.close()
        }
    }

    @Test("A token revoked by jti closes its stream; the party's other tokens go on")
    func revokeOneToken() async throws {
        try await TestServer.with { s in
            let t1 = try await s.token("blue")
            let t2 = try await s.token("blue")
            let p1 = try await StreamProbe.open(port: s.port, token: t1)
            let p2 = try await StreamProbe.open(port: s.port, token: t2)
            let jti = try #require(try await s.server.tokens.verify(t1).jti as String?)
            try s.server.tokens.registry.revoke(jti: jti)
            #expect(await p1.waitClosedByServer(timeout: 3))
            #expect(!(await p2.waitClosedByServer(timeout: 1.5)))
            await p2.close()
        }
    }

    /// Two processes writing parties.json at once (`party add` while `party revoke` runs)
    /// used to lose one's changes: each read the file, changed its copy and wrote it back.
    @Test("Concurrent revoke and add in two processes lose nothing")
    func concurrentRevokeAndAdd() throws {
        let dir = TestServer.tempDir()
        let data = try DataDirectory(dir)
        let setup = try FilePartyRegistry(data)
        for i in 0..<40 { _ = try setup.upsert(party: "r\(i)", scopes: Scope.defaultGrant) }
        // Four writers at once, each its own registry (its own process in real life).
        let adders = try (0..<3).map { _ in try FilePartyRegistry(data) }
        let revoker = try FilePartyRegistry(data)
        let group = DispatchGroup()
        for (k, adder) in adders.enumerated() {
            DispatchQueue.global().async(group: group) {
                for i in 0..<60 { _ = try? adder.upsert(party: "a\(k)-\(i)", scopes: Scope.defaultGrant) }
            }
        }
        DispatchQueue.global().async(group: group) {
            for i in 0..<40 { _ = try? revoker.revoke(party: "r\(i)") }
        }
        group.wait()
        let after = try FilePartyRegistry(data)
        let revoked = (0..<40).filter { after.party("r\($0)")?.revoked == true }.count
        let added = (0..<3).flatMap { k in (0..<60).map { "a\(k)-\($0)" } }.filter { after.party($0) != nil }.count
        #expect(revoked == 40, "revocations lost: \(40 - revoked)")
        #expect(added == 180, "additions lost: \(180 - added)")
        try? FileManager.default.removeItem(at: dir)
    }
}
