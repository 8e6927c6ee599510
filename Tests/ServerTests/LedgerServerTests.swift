@testable import DeconflictCLI
import DeconflictLedger
import DeconflictServer
import Foundation
import Hummingbird
import Testing

/// The ledger as served: receipts on every acknowledged write, the tlog-tiles API over real
/// HTTP verified by our verifier and the CLI, need-to-know on full events, and a restart that
/// keeps every receipt valid.
@Suite("Ledger over HTTP")
struct LedgerServerTests {
    static func receipt(_ json: [String: Any]) throws -> Receipt {
        let r = try #require(json["receipt"] as? [String: Any])
        let b64 = try #require(r["entry_b64"] as? String)
        let entry = try #require(Data(base64Encoded: b64))
        let proof = try #require(r["proof"] as? [String]).map { Array(Data(base64Encoded: $0)!) }
        return Receipt(index: try #require((r["index"] as? NSNumber)?.uint64Value), entry: Array(entry),
                       checkpoint: try #require(r["checkpoint"] as? String), proof: proof)
    }

    @Test("receipts, tiles, entries and a restart")
    func servedLedger() async throws {
        let dir = TestServer.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (verifier, receipts, firstCheckpoint, sizeBefore) = try await TestServer.with(dir: dir) { s in
            var receipts: [Receipt] = []
            let http = s.http()
            let blue = try await s.token("blue"), red = try await s.token("red")
            let vkey = try #require(try LedgerKey.load(in: DataDirectory(dir))).verifier
            let firstCheckpoint = try await http.get("/v1/ledger/checkpoint", token: blue).body
            #expect(try Checkpoint.open(firstCheckpoint, verifier: vkey).size == 0)

            // An intent write: 201 with its receipt, which verifies on its own.
            let put = try await http.request(.put, "/v1/intents/b1", token: blue, body: IntentBody.put([IntentBody.circle()]))
            #expect(put.status == 201)
            let r1 = try Self.receipt(put.object)
            #expect(try r1.verify(vkey).size >= 1)
            let e1 = try LedgerEntry(bytes: r1.entry)
            #expect(e1.kind == "intent.created" && e1.actor == "blue" && e1.concerns == ["blue"])
            receipts.append(r1)
            // Red's overlapping intent concerns blue too: two entries (red's own, blue's view).
            let ovn = try #require((try await http.get("/v1/intents/b1", token: red)).object["ovn"] as? String)
            let rput = try await http.request(.put, "/v1/intents/r1", token: red, body: IntentBody.put([IntentBody.circle()], key: [ovn]))
            #expect(rput.status == 201)
            receipts.append(try Self.receipt(rput.object))
            // A track batch: 202 with its receipt.
            let post = try await http.post("/v1/tracks", token: blue, body: Body.batch([Body.report("BLU1", lat: 47, lon: 8)]))
            #expect(post.status == 202)
            let r3 = try Self.receipt(post.object)
            #expect(try LedgerEntry(bytes: r3.entry).kind == "tracks.accepted")
            receipts.append(r3)
            // A delete: 204, the receipt in a header.
            let ovnR = try #require((try await http.get("/v1/intents/r1", token: red)).object["ovn"] as? String)
            let del = try await http.request(.delete, "/v1/intents/r1?ovn=\(ovnR)", token: red)
            #expect(del.status == 204)
            let header = try #require(del.headers[HTTPFields.Element.Name("Deconflict-Receipt")!])
            let dj = try #require(try JSONSerialization.jsonObject(with: Data(base64Encoded: header)!) as? [String: Any])
            receipts.append(try Self.receipt(["receipt": dj]))

            // The full event, for the parties it concerns only; the same 404 for everyone else.
            let mine = try await http.get("/v1/ledger/entries/\(r1.index)", token: blue)
            #expect(mine.status == 200)
            let event = Array(Data(base64Encoded: mine.object["event_b64"] as! String)!)
            let salt = Array(Data(base64Encoded: mine.object["salt_b64"] as! String)!)
            #expect(LedgerEntry.commitment(event: event, salt: salt) == e1.commitment)
            #expect(String(decoding: event, as: UTF8.self).contains("\"change\":\"created\""))
            let theirs = try await http.get("/v1/ledger/entries/\(r1.index)", token: red)
            let none = try await http.get("/v1/ledger/entries/999999", token: red)
            #expect(theirs.status == 404 && none.status == 404)
            #expect(theirs.object["title"] as? String == none.object["title"] as? String)

            // The whole log over HTTP, by our verifier and by `deconflict ledger verify URL`.
            let client = try ServiceClient(base: "http://127.0.0.1:\(s.port)/v1/ledger", token: red, caFile: nil)
            let ok = try await LedgerVerifier(verifier: vkey).verify(HTTPSource(client: client), olderCheckpoints: [firstCheckpoint], receipts: receipts)
            await client.shutdown()
            #expect(ok.entries >= 5)
            try await LedgerCommand.Verify.parse(["http://127.0.0.1:\(s.port)/v1/ledger", "--vkey", vkey.vkey, "--token", red]).run()
            // Tiles: one canonical path only; nothing beyond the size; no token, no log.
            #expect(try await http.get("/v1/ledger/tile/0/000.p/\(ok.entries)", token: red).status == 200)
            #expect(try await http.get("/v1/ledger/tile/0/000.p/\(ok.entries + 1)", token: red).status == 404)
            #expect(try await http.get("/v1/ledger/tile/0/0", token: red).status == 404)
            #expect(try await http.get("/v1/ledger/checkpoint").status == 401)
            return (vkey, receipts, firstCheckpoint, ok.entries)
        }
        // Restarted on the same data: the log continues, every receipt still holds, the first
        // checkpoint is consistent with the new one; the export verifies as files.
        try await TestServer.with(dir: dir) { s in
            let http = s.http()
            let blue = try await s.token("blue")
            let post = try await http.post("/v1/tracks", token: blue, body: Body.batch([Body.report("BLU1", lat: 47, lon: 8.01)]))
            let r = try Self.receipt(post.object)
            #expect(r.index == sizeBefore)
            let client = try ServiceClient(base: "http://127.0.0.1:\(s.port)/v1/ledger", token: blue, caFile: nil)
            let ok = try await LedgerVerifier(verifier: verifier).verify(HTTPSource(client: client), olderCheckpoints: [firstCheckpoint], receipts: receipts + [r])
            await client.shutdown()
            #expect(ok.checked.count == receipts.count + 2)
        }
        let out = dir.appendingPathComponent("export")
        try await LedgerCommand.Export.parse(["--data", dir.path, out.path]).run()
        let files = try await LedgerVerifier(verifier: verifier).verify(DirectorySource(out), receipts: receipts)
        #expect(files.entries == sizeBefore + 1)
        try await LedgerCommand.Verify.parse([out.path, "--vkey", verifier.vkey]).run()
        try await LedgerCommand.Verify.parse([dir.path, "--vkey", verifier.vkey]).run()
    }
}
