import Crypto
import Foundation

/// One entry as the store keeps it: the public entry (what the tree hashes) and, for the
/// parties it concerns, the full event and the salt of its commitment.
public struct StoredEntry: Sendable, Hashable {
    public var index: UInt64
    public var entry: [UInt8]
    public var leafHash: [UInt8]
    public var event: [UInt8]
    public var salt: [UInt8]

    public init(index: UInt64, entry: [UInt8], leafHash: [UInt8], event: [UInt8], salt: [UInt8]) {
        self.index = index
        self.entry = entry
        self.leafHash = leafHash
        self.event = event
        self.salt = salt
    }
}

/// Where the ledger is durable (SQLite in the data directory, or PostgreSQL): one protocol,
/// one shared test suite. `append` makes the entries and the checkpoint that covers them
/// durable together (one transaction, synced) or not at all.
public protocol LedgerStorage: Sendable {
    /// Every leaf hash in index order (32 bytes each, concatenated) and the last checkpoint note.
    func load() async throws -> (leafHashes: [UInt8], checkpoint: String?)
    /// The last checkpoint note alone (verifiers of the stored rows).
    func checkpoint() async throws -> String?
    func append(_ entries: [StoredEntry], checkpoint: String) async throws
    /// Entries `from ..< from+count` (fewer if the log is shorter), in index order.
    func entries(from: UInt64, count: Int) async throws -> [StoredEntry]
    func close() async throws
}

/// What a producer asks the ledger to record: the event's kind, who acted, whom it concerns
/// (who may read it in full) and its canonical bytes.
public struct LedgerSubmission: Sendable {
    public var kind: String
    public var actor: String
    public var concerns: [String]
    public var event: [UInt8]

    public init(kind: String, actor: String, concerns: [String], event: [UInt8]) {
        self.kind = kind
        self.actor = actor
        self.concerns = concerns
        self.event = event
    }
}

/// The transparency log: sequences submissions in batches (whatever arrived while the
/// previous batch was being made durable: group commit), appends them to the Merkle tree,
/// signs a checkpoint for the new size, makes entries and checkpoint durable in one
/// transaction, and only then answers each submission with its receipt. A checkpoint that
/// could not be stored never leaves the process, and the tree is rolled back, so the log
/// never publishes two checkpoints that are inconsistent with each other.
public final class Ledger: @unchecked Sendable {
    public let origin: String
    let signer: NoteSigner
    let storage: any LedgerStorage
    let now: @Sendable () -> Int64
    /// At most this many submissions per batch (one transaction, one signature).
    let maxBatch: Int

    private let lock = NSLock()
    private var tree = MerkleTree()
    private var published: UInt64 = 0
    private var note: String
    private var pending: [([LedgerSubmission], CheckedContinuation<[Receipt], any Error>)] = []
    private var flushing = false

    /// Opens the log in `storage`, checking the stored checkpoint against the stored tree
    /// with the log's key (a mismatch refuses to start: the store was altered).
    public init(storage: any LedgerStorage, signer: NoteSigner, maxBatch: Int = 4096,
                now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }) async throws {
        self.storage = storage
        self.signer = signer
        self.origin = signer.name
        self.now = now
        self.maxBatch = maxBatch
        let (hashes, stored) = try await storage.load()
        guard hashes.count % Merkle.hashSize == 0 else { throw LedgerError.invalid("the stored leaf hashes are not 32 bytes each", index: nil) }
        let t = MerkleTree(concatenatedLeafHashes: hashes)
        tree = t
        published = t.size
        if let stored {
            let cp = try Checkpoint.open(stored, verifier: signer.verifier)
            guard cp.size == t.size, cp.root == t.root else {
                throw LedgerError.invalid("the stored checkpoint (size \(cp.size)) does not match the stored entries (\(t.size)): the ledger was altered", index: nil)
            }
            note = stored
        } else {
            guard t.size == 0 else { throw LedgerError.invalid("entries without a checkpoint", index: nil) }
            note = try signer.sign(Checkpoint(origin: origin, size: 0, root: Merkle.emptyRoot).text)
            try await storage.append([], checkpoint: note)
        }
    }

    /// The latest signed checkpoint note.
    public var checkpoint: String { lock.withLock { note } }
    public var size: UInt64 { lock.withLock { published } }

    /// The hash tile at a path, for the published size (nil: no such tile).
    public func tile(_ p: TilePath) -> [UInt8]? {
        guard let l = p.level else { return nil }
        return lock.withLock { tree.tile(level: l, index: p.index, width: p.width, size: published) }
    }

    /// An entry bundle (uint16-BE length ‖ entry, for each entry of the tile).
    public func bundle(_ p: TilePath) async throws -> [UInt8]? {
        guard p.level == nil else { return nil }
        let first = p.index * 256
        guard first + UInt64(p.width) <= size else { return nil }
        let es = try await storage.entries(from: first, count: p.width)
        guard es.count == p.width else { throw LedgerError.unavailable("entries \(first)… missing from the store") }
        var out: [UInt8] = []
        for e in es {
            out.append(UInt8(e.entry.count >> 8)); out.append(UInt8(e.entry.count & 0xff))
            out.append(contentsOf: e.entry)
        }
        return out
    }

    /// The stored entry (with its event and salt) at `index`, if published.
    public func entry(_ index: UInt64) async throws -> StoredEntry? {
        guard index < size else { return nil }
        return try await storage.entries(from: index, count: 1).first
    }

    /// A receipt for `index` in the current checkpoint.
    public func receipt(index: UInt64, entry: [UInt8]) -> Receipt? {
        lock.withLock {
            guard index < published else { return nil }
            return Receipt(index: index, entry: entry, checkpoint: note, proof: tree.inclusionProof(index: index, size: published))
        }
    }

    /// The RFC 6962 consistency proof between two published sizes.
    public func consistencyProof(old: UInt64, new: UInt64) -> [[UInt8]]? {
        lock.withLock { old <= new && new <= published ? tree.consistencyProof(old: old, new: new) : nil }
    }

    /// Records `submission`; returns once it is durable and in a signed checkpoint.
    public func append(_ submission: LedgerSubmission) async throws -> Receipt {
        try await appendAll([submission])[0]
    }

    /// Records `submissions` together (consecutive indices, one batch); returns their receipts
    /// once they are durable and in a signed checkpoint.
    public func appendAll(_ submissions: [LedgerSubmission]) async throws -> [Receipt] {
        guard !submissions.isEmpty else { return [] }
        return try await withCheckedThrowingContinuation { c in
            let start: Bool = lock.withLock {
                pending.append((submissions, c))
                if flushing { return false }
                flushing = true
                return true
            }
            if start { Task { await self.flushLoop() } }
        }
    }

    private func flushLoop() async {
        while true {
            let batch: [([LedgerSubmission], CheckedContinuation<[Receipt], any Error>)] = lock.withLock {
                var n = 0, entries = 0
                while n < pending.count, entries == 0 || entries + pending[n].0.count <= maxBatch {
                    entries += pending[n].0.count
                    n += 1
                }
                let b = Array(pending.prefix(n))
                pending.removeFirst(n)
                if b.isEmpty { flushing = false }
                return b
            }
            if batch.isEmpty { return }
            await flush(batch)
        }
    }

    private func flush(_ groups: [([LedgerSubmission], CheckedContinuation<[Receipt], any Error>)]) async {
        let batch = groups.flatMap(\.0)
        let t = now()
        var rng = SystemRandomNumberGenerator()
        var stored: [StoredEntry] = []
        let signed: String
        let base: UInt64
        do {
            // Only this loop mutates the tree; readers use `published`, which moves after storage.
            (base, signed, stored) = try lock.withLock {
                let base = tree.size
                var stored: [StoredEntry] = []
                stored.reserveCapacity(batch.count)
                for (k, s) in batch.enumerated() {
                    var salt = [UInt8](repeating: 0, count: 32)
                    for i in salt.indices { salt[i] = UInt8.random(in: 0...255, using: &rng) }
                    let e = LedgerEntry(index: base + UInt64(k), timeMillis: t, kind: s.kind, actor: s.actor,
                                        concerns: s.concerns, commitment: LedgerEntry.commitment(event: s.event, salt: salt))
                    let bytes = e.bytes
                    let leaf = Merkle.leafHash(bytes)
                    tree.append(leafHash: leaf)
                    stored.append(StoredEntry(index: e.index, entry: bytes, leafHash: leaf, event: s.event, salt: salt))
                }
                let signed = try signer.sign(Checkpoint(origin: origin, size: tree.size, root: tree.root).text)
                return (base, signed, stored)
            }
        } catch {
            lock.withLock { tree.truncate(to: published) }
            for (_, c) in groups { c.resume(throwing: error) }
            return
        }
        do {
            try await storage.append(stored, checkpoint: signed)
        } catch {
            lock.withLock { tree.truncate(to: base) }
            for (_, c) in groups { c.resume(throwing: error) }
            return
        }
        let receipts: [Receipt] = lock.withLock {
            published = tree.size
            note = signed
            return stored.map { Receipt(index: $0.index, entry: $0.entry, checkpoint: signed, proof: tree.inclusionProof(index: $0.index, size: published)) }
        }
        var k = 0
        for (subs, c) in groups {
            c.resume(returning: Array(receipts[k..<(k + subs.count)]))
            k += subs.count
        }
    }

    public func close() async throws { try await storage.close() }
}
