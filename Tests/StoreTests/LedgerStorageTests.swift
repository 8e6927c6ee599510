import DeconflictLedger
@testable import DeconflictStore
import Foundation
import GRDB
import PostgresNIO
import Testing

/// The ledger on both real stores: durable across reopen, receipts that verify, the tiles of
/// every size the issue names, and tampering with the stored rows caught by the verifier,
/// naming the entry.
@Suite struct LedgerStorageTests {
    enum Engine: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, postgres
        var testDescription: String { rawValue }
        static var all: [Engine] { Backend.pgSettings == nil ? [.sqlite] : [.sqlite, .postgres] }
    }

    /// A store of `engine`, opened (again) by `open()`; `sql` runs a statement on it as an
    /// attacker with database access would.
    final class Place: @unchecked Sendable {
        let engine: Engine
        let dir = TempDir()
        var pg: PostgresSettings?
        init(_ engine: Engine) {
            self.engine = engine
            if engine == .postgres, var s = Backend.pgSettings {
                s.schema = "l_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
                pg = s
            }
        }
        func open() async throws -> any LedgerStorage {
            switch engine {
            case .sqlite: return try SQLiteLedgerStorage(directory: dir.path)
            case .postgres: return try await PostgresLedgerStorage(settings: pg!)
            }
        }
        func sql(_ statement: String) async throws {
            switch engine {
            case .sqlite:
                let q = try DatabaseQueue(path: dir.path + "/" + SQLiteLedgerStorage.fileName)
                try await q.write { try $0.execute(sql: statement) }
                try q.close()
            case .postgres:
                let s = try await PostgresLedgerStorage(settings: pg!)
                try await s.client.query(PostgresQuery(unsafeSQL: statement), logger: s.logger)
                try await s.close()
            }
        }
        func remove() async {
            dir.remove()
            if pg != nil, let s = try? await PostgresLedgerStorage(settings: pg!) {
                try? await s.dropSchema()
                try? await s.close()
            }
        }
    }

    static let signer = try! NoteSigner(name: "test.local/v1/ledger")

    static func submission(_ i: Int, party: String = "blue") -> LedgerSubmission {
        LedgerSubmission(kind: "tracks.accepted", actor: party, concerns: [party], event: Array(#"{"n":\#(i)}"#.utf8))
    }

    /// Appends `n` entries: single appends and groups, concurrently.
    static func fill(_ ledger: Ledger, _ n: Int) async throws -> [Receipt] {
        try await withThrowingTaskGroup(of: [Receipt].self) { g in
            var i = 0
            while i < n {
                let k = min(n - i, i % 3 == 0 ? 5 : 1)
                let subs = (i..<(i + k)).map { submission($0) }
                g.addTask { try await ledger.appendAll(subs) }
                i += k
            }
            var out: [Receipt] = []
            for try await r in g { out += r }
            return out.sorted { $0.index < $1.index }
        }
    }

    @Test(arguments: Engine.all)
    func appendsAreDurableAndReceiptsVerify(_ engine: Engine) async throws {
        let place = Place(engine)
        let storage = try await place.open()
        let ledger = try await Ledger(storage: storage, signer: Self.signer)
        #expect(ledger.size == 0)
        let receipts = try await Self.fill(ledger, 300)
        #expect(receipts.map(\.index) == Array(0..<300))
        for r in receipts { _ = try r.verify(Self.signer.verifier) }
        let checkpoint = ledger.checkpoint
        try await ledger.close()
        // Reopened: the same tree and checkpoint; appends continue at 300.
        let again = try await Ledger(storage: try await place.open(), signer: Self.signer)
        #expect(again.size == 300 && again.checkpoint == checkpoint)
        let more = try await again.append(Self.submission(300))
        #expect(more.index == 300)
        let v = LedgerVerifier(verifier: Self.signer.verifier)
        let ok = try await v.verify(LedgerServing(again), olderCheckpoints: [checkpoint], receipts: [receipts[7]])
        #expect(ok.entries == 301 && ok.checked.count == 2)
        // The stored event is the one committed to, readable by index.
        let e = try #require(try await again.entry(7))
        #expect(e.event == Array(#"{"n":7}"#.utf8))
        #expect(try LedgerEntry(bytes: e.entry).commitment == LedgerEntry.commitment(event: e.event, salt: e.salt))
        #expect(try v.verifyStored(try await Self.storedRows(again), checkpoint: again.checkpoint).entries == 301)
        try await again.close()
        await place.remove()
    }

    static func storedRows(_ l: Ledger) async throws -> [StoredEntry] {
        var out: [StoredEntry] = []
        while true {
            let es = try await l.entry(UInt64(out.count)).map { [$0] } ?? []
            if es.isEmpty { return out }
            out += es
        }
    }

    /// Sizes at the tile boundaries, served and verified through the tile paths.
    @Test func tileBoundarySizes() async throws {
        let place = Place(.sqlite)
        let ledger = try await Ledger(storage: try await place.open(), signer: Self.signer, maxBatch: 8192)
        let v = LedgerVerifier(verifier: Self.signer.verifier)
        var done = 0
        for size in [0, 1, 255, 256, 257, 65_536, 70_000] {
            if size > done { _ = try await ledger.appendAll((done..<size).map { Self.submission($0) }) }
            done = size
            let ok = try await v.verify(LedgerServing(ledger))
            #expect(ok.entries == UInt64(size))
            for p in TilePath.tiles(forSize: UInt64(size)) {
                let b = p.level == nil ? try await ledger.bundle(p) : ledger.tile(p)
                #expect(b != nil, "\(p) at size \(size)")
            }
            // A tile beyond the size is not served (no 200 for a tile that does not exist).
            #expect(ledger.tile(TilePath(level: 0, index: UInt64(size / 256), width: size % 256 + 1)) == nil)
        }
        try await ledger.close()
        await place.remove()
    }

    enum Tamper: String, CaseIterable, CustomTestStringConvertible {
        case flipByte, deleteOne, swapTwo, truncate, rollbackResigned, rewriteResigned
        var testDescription: String { rawValue }
    }

    static func failure(_ body: () async throws -> Void) async -> LedgerError? {
        do { try await body(); return nil } catch let e as LedgerError { return e } catch { return .unavailable("\(error)") }
    }

    @Test(arguments: Engine.all, Tamper.allCases)
    func tamperingIsCaughtNamingTheEntry(_ engine: Engine, _ tamper: Tamper) async throws {
        let place = Place(engine)
        let ledger = try await Ledger(storage: try await place.open(), signer: Self.signer)
        let receipts = try await Self.fill(ledger, 300)
        let old = ledger.checkpoint
        try await ledger.close()
        let blob: (String) -> String = { engine == .sqlite ? "X'\($0)'" : "'\\x\($0)'::bytea" }
        var expectIndex: UInt64?
        switch tamper {
        case .flipByte:
            // One byte of entry 137's text (its kind's first letter t → u).
            let e = receipts[137].entry
            var f = e
            f[f.firstIndex(of: UInt8(ascii: "k"))! + 5] ^= 0x01
            try await place.sql("UPDATE ledger_entries SET entry = \(blob(hex(f))) WHERE idx = 137")
            expectIndex = 137
        case .deleteOne:
            try await place.sql("DELETE FROM ledger_entries WHERE idx = 50")
            expectIndex = 50
        case .swapTwo:
            let a = receipts[10].entry, b = receipts[20].entry
            try await place.sql("UPDATE ledger_entries SET entry = \(blob(hex(b))), leaf_hash = \(blob(hex(Merkle.leafHash(b)))) WHERE idx = 10")
            try await place.sql("UPDATE ledger_entries SET entry = \(blob(hex(a))), leaf_hash = \(blob(hex(Merkle.leafHash(a)))) WHERE idx = 20")
            expectIndex = 10
        case .truncate:
            try await place.sql("DELETE FROM ledger_entries WHERE idx >= 250")
            expectIndex = 250
        case .rollbackResigned, .rewriteResigned:
            // The operator, who holds the key, rewrites consistently and signs again.
            if tamper == .rollbackResigned {
                try await place.sql("DELETE FROM ledger_entries WHERE idx >= 250")
            } else {
                var e = try LedgerEntry(bytes: receipts[100].entry)
                e.actor = "red"
                try await place.sql("UPDATE ledger_entries SET entry = \(blob(hex(e.bytes))), leaf_hash = \(blob(hex(Merkle.leafHash(e.bytes)))) WHERE idx = 100")
            }
            let storage = try await place.open()
            let (hashes, _) = try await storage.load()
            let t = MerkleTree(concatenatedLeafHashes: hashes)
            let forged = try Self.signer.sign(Checkpoint(origin: Self.signer.name, size: t.size, root: t.root).text)
            try await storage.close()
            try await place.sql("UPDATE ledger_checkpoint SET size = \(t.size), note = '\(forged)' WHERE id = 1")
        }
        let storage = try await place.open()
        let note = try await storage.checkpoint()
        let rows = try await storage.entries(from: 0, count: .max)
        let v = LedgerVerifier(verifier: Self.signer.verifier)
        switch tamper {
        case .rollbackResigned, .rewriteResigned:
            // Alone it verifies (that is what re-signing buys) …
            _ = try v.verifyStored(rows, checkpoint: note!)
            // … but not against what a party kept: an older checkpoint, or a receipt.
            let byCheckpoint = await Self.failure { _ = try v.verifyStored(rows, checkpoint: note!, olderCheckpoints: [old]) }
            #expect(byCheckpoint != nil)
            let r = tamper == .rollbackResigned ? receipts[280] : receipts[100]
            let byReceipt = await Self.failure { _ = try v.verifyStored(rows, checkpoint: note!, receipts: [r]) }
            guard case let .invalid(_, index)? = byReceipt else { Issue.record("receipt check passed: \(String(describing: byReceipt))"); break }
            #expect(index == r.index)
        default:
            let err = await Self.failure { _ = try v.verifyStored(rows, checkpoint: note!) }
            guard case let .invalid(m, index)? = err else { Issue.record("tampering not caught: \(String(describing: err))"); break }
            #expect(index == expectIndex, "\(m)")
            // And the server refuses to start on it, except where only bytes (not hashes) changed.
            if tamper != .flipByte && tamper != .swapTwo {
                let opened = await Self.failure { _ = try await Ledger(storage: try await place.open(), signer: Self.signer) }
                #expect(opened != nil)
            }
        }
        try await storage.close()
        await place.remove()
    }
}

func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }
