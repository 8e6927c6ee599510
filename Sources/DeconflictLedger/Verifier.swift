import Foundation

/// Where a verifier reads a log: a URL prefix (`/v1/ledger`), an exported directory, or the
/// store itself. Paths are tlog-tiles paths below the prefix (`checkpoint`, `tile/…`).
public protocol LedgerSource: Sendable {
    /// The bytes at `path`, or nil if there are none (404, no such file).
    func read(_ path: String) async throws -> [UInt8]?
}

/// What a verification found (on success).
public struct VerifiedLog: Sendable {
    public var checkpoint: Checkpoint
    public var entries: UInt64
    /// Each older checkpoint and receipt checked, in words.
    public var checked: [String]
}

/// Verifies a whole log from its tiles: the checkpoint's signature; every entry bundle against
/// the level-0 tiles (naming the first entry whose hash or index is wrong); every hash tile
/// against the tree rebuilt from the entries; the root against the checkpoint; and then each
/// older checkpoint (consistency: a rollback or a rewrite below its size fails) and each
/// receipt (its own signature and inclusion proof, and the same entry at its index now).
public struct LedgerVerifier: Sendable {
    public var verifier: NoteVerifier
    public init(verifier: NoteVerifier) { self.verifier = verifier }

    public func verify(_ source: some LedgerSource, olderCheckpoints: [String] = [], receipts: [Receipt] = [],
                       progress: (@Sendable (UInt64, UInt64) -> Void)? = nil) async throws -> VerifiedLog {
        guard let raw = try await source.read("checkpoint") else { throw LedgerError.unavailable("no checkpoint") }
        let cp = try Checkpoint.open(String(decoding: raw, as: UTF8.self), verifier: verifier)
        var tree = MerkleTree()
        // Entries, bundle by bundle, against the level-0 tiles.
        var n: UInt64 = 0
        while tree.size < cp.size {
            let width = Int(min(256, cp.size - n * 256))
            let path = TilePath(level: nil, index: n, width: width)
            guard let bundle = try await readTile(source, path) else {
                throw LedgerError.invalid("entry bundle \(path) is missing", index: n * 256)
            }
            guard let tile0 = try await readTile(source, TilePath(level: 0, index: n, width: width)), tile0.count == width * 32 else {
                throw LedgerError.invalid("hash tile \(TilePath(level: 0, index: n, width: width)) is missing or short", index: n * 256)
            }
            var o = 0
            for k in 0..<width {
                let index = n * 256 + UInt64(k)
                guard o + 2 <= bundle.count else { throw LedgerError.invalid("missing from its bundle (truncated)", index: index) }
                let len = Int(bundle[o]) << 8 | Int(bundle[o + 1])
                guard o + 2 + len <= bundle.count else { throw LedgerError.invalid("truncated in its bundle", index: index) }
                let e = Array(bundle[(o + 2)..<(o + 2 + len)])
                o += 2 + len
                let leaf = Merkle.leafHash(e)
                guard leaf[...] == tile0[(k * 32)..<(k * 32 + 32)] else {
                    throw LedgerError.invalid("its hash does not match the hash tile (the entry was altered)", index: index)
                }
                let parsed: LedgerEntry
                do { parsed = try LedgerEntry(bytes: e) } catch { throw LedgerError.invalid("not a valid entry: \(error)", index: index) }
                guard parsed.index == index else {
                    throw LedgerError.invalid("it says index \(parsed.index) (entries were moved or removed)", index: index)
                }
                tree.append(leafHash: leaf)
            }
            guard o == bundle.count else { throw LedgerError.invalid("bundle \(path) has bytes after its \(width) entries", index: n * 256 + UInt64(width)) }
            progress?(tree.size, cp.size)
            n += 1
        }
        guard tree.root == cp.root else {
            throw LedgerError.invalid("the entries' root does not match the signed checkpoint (size \(cp.size))", index: nil)
        }
        // Higher hash tiles must be the tree's own (a verifier such as Go's reads only those).
        for p in TilePath.tiles(forSize: cp.size) where (p.level ?? 0) > 0 {
            guard let t = try await readTile(source, p), t == tree.tile(level: p.level!, index: p.index, width: p.width, size: cp.size) else {
                throw LedgerError.invalid("hash tile \(p) is missing or wrong", index: nil)
            }
        }
        return try finish(tree, cp, olderCheckpoints, receipts)
    }

    /// Verifies the rows of a store (`ledger verify --data DIR`): each stored entry in index
    /// order against its stored leaf hash and its own index, the tree against the stored
    /// checkpoint, then older checkpoints and receipts. Names the first missing, altered or
    /// moved entry.
    public func verifyStored(_ entries: [StoredEntry], checkpoint note: String, olderCheckpoints: [String] = [],
                             receipts: [Receipt] = []) throws -> VerifiedLog {
        let cp = try Checkpoint.open(note, verifier: verifier)
        var tree = MerkleTree()
        for row in entries {
            let i = tree.size
            guard row.index == i else { throw LedgerError.invalid("missing from the store (deleted)", index: i) }
            let leaf = Merkle.leafHash(row.entry)
            guard leaf == row.leafHash else { throw LedgerError.invalid("its hash does not match its stored hash (the entry was altered)", index: i) }
            let parsed: LedgerEntry
            do { parsed = try LedgerEntry(bytes: row.entry) } catch { throw LedgerError.invalid("not a valid entry: \(error)", index: i) }
            guard parsed.index == i else { throw LedgerError.invalid("it says index \(parsed.index) (entries were moved)", index: i) }
            guard LedgerEntry.commitment(event: row.event, salt: row.salt) == parsed.commitment else {
                throw LedgerError.invalid("its event does not match the entry's commitment (the event was altered)", index: i)
            }
            tree.append(leafHash: leaf)
        }
        guard tree.size >= cp.size else {
            throw LedgerError.invalid("missing: the checkpoint has \(cp.size) entries, the store \(tree.size) (truncated)", index: tree.size)
        }
        guard tree.size == cp.size else {
            throw LedgerError.invalid("the store holds \(tree.size - cp.size) entries after the checkpoint's \(cp.size)", index: cp.size)
        }
        guard tree.root == cp.root else {
            throw LedgerError.invalid("the entries' root does not match the signed checkpoint (size \(cp.size))", index: nil)
        }
        return try finish(tree, cp, olderCheckpoints, receipts)
    }

    func finish(_ tree: MerkleTree, _ cp: Checkpoint, _ olderCheckpoints: [String], _ receipts: [Receipt]) throws -> VerifiedLog {
        var checked: [String] = []
        for old in olderCheckpoints {
            let o = try Checkpoint.open(old, verifier: verifier)
            guard o.size <= cp.size else {
                throw LedgerError.invalid("rolled back: an older checkpoint has \(o.size) entries, the log now \(cp.size)", index: cp.size)
            }
            guard tree.root(size: o.size) == o.root else {
                throw LedgerError.invalid("inconsistent with the older checkpoint of size \(o.size): entries below \(o.size) were rewritten", index: nil)
            }
            checked.append("consistent with the checkpoint of size \(o.size)")
        }
        for r in receipts {
            let rc = try r.verify(verifier)
            guard rc.size <= cp.size else {
                throw LedgerError.invalid("rolled back: a receipt's checkpoint has \(rc.size) entries, the log now \(cp.size)", index: r.index)
            }
            guard tree.leaf(r.index) == Merkle.leafHash(r.entry) else {
                throw LedgerError.invalid("differs from the entry of the receipt (rewritten)", index: r.index)
            }
            guard tree.root(size: rc.size) == rc.root else {
                throw LedgerError.invalid("inconsistent with the receipt's checkpoint of size \(rc.size)", index: r.index)
            }
            checked.append("receipt for entry \(r.index) holds")
        }
        return VerifiedLog(checkpoint: cp, entries: cp.size, checked: checked)
    }

    /// A tile, falling back from a partial tile to the full one (which a log may serve instead
    /// once the tile is full): the first `width` hashes (or entries) of the full tile.
    func readTile(_ source: some LedgerSource, _ p: TilePath) async throws -> [UInt8]? {
        if let b = try await source.read(p.description) { return b }
        guard !p.isFull, let full = try await source.read(TilePath(level: p.level, index: p.index).description) else { return nil }
        if p.level != nil { return full.count >= p.width * 32 ? Array(full[0..<(p.width * 32)]) : nil }
        var o = 0
        for _ in 0..<p.width {
            guard o + 2 <= full.count else { return nil }
            o += 2 + (Int(full[o]) << 8 | Int(full[o + 1]))
        }
        return o <= full.count ? Array(full[0..<o]) : nil
    }
}

/// An exported log in a directory: `checkpoint` and `tile/…` as files.
public struct DirectorySource: LedgerSource {
    public let root: URL
    public init(_ root: URL) { self.root = root }
    public func read(_ path: String) async throws -> [UInt8]? {
        (try? Data(contentsOf: root.appendingPathComponent(path))).map(Array.init)
    }
}

/// The log straight from its ledger (in process, e.g. `ledger verify --data DIR` on a store).
public struct LedgerServing: LedgerSource {
    public let ledger: Ledger
    public init(_ ledger: Ledger) { self.ledger = ledger }
    public func read(_ path: String) async throws -> [UInt8]? {
        if path == "checkpoint" { return Array(ledger.checkpoint.utf8) }
        guard let p = TilePath(parsing: path) else { return nil }
        return p.level == nil ? try await ledger.bundle(p) : ledger.tile(p)
    }
}
