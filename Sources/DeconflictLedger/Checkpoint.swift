import Foundation

/// A c2sp.org/tlog-checkpoint body: origin, tree size, base64 root, each on its own line.
public struct Checkpoint: Sendable, Hashable {
    public var origin: String
    public var size: UInt64
    public var root: [UInt8]

    public init(origin: String, size: UInt64, root: [UInt8]) {
        self.origin = origin
        self.size = size
        self.root = root
    }

    /// The note text that is signed.
    public var text: String { "\(origin)\n\(size)\n\(Data(root).base64EncodedString())\n" }

    /// Parses a checkpoint's text (extension lines, which this log never writes, are refused).
    public init(text: String) throws(LedgerError) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 4, lines[3].isEmpty, !lines[0].isEmpty else {
            throw .malformed("checkpoint: expected origin, size and root lines")
        }
        guard let n = UInt64(lines[1]), String(n) == lines[1] else { throw .malformed("checkpoint: bad tree size '\(lines[1])'") }
        guard let r = Data(base64Encoded: String(lines[2])), r.count == 32, Data(r).base64EncodedString() == lines[2] else {
            throw .malformed("checkpoint: bad root hash")
        }
        self.init(origin: String(lines[0]), size: n, root: Array(r))
    }

    /// Opens a signed checkpoint note with the log's key and checks its origin.
    public static func open(_ note: String, verifier: NoteVerifier) throws(LedgerError) -> Checkpoint {
        let cp = try Checkpoint(text: verifier.open(note))
        guard cp.origin == verifier.name else { throw .badSignature("checkpoint origin '\(cp.origin)' is not the key's name '\(verifier.name)'") }
        return cp
    }
}

/// A receipt for one ledger entry: the entry, its index, the signed checkpoint that first
/// contained it, and the RFC 6962 inclusion proof in that checkpoint. Also written as
/// c2sp.org/tlog-proof@v1 text.
public struct Receipt: Sendable, Hashable {
    public var index: UInt64
    public var entry: [UInt8]
    public var checkpoint: String
    public var proof: [[UInt8]]

    public init(index: UInt64, entry: [UInt8], checkpoint: String, proof: [[UInt8]]) {
        self.index = index
        self.entry = entry
        self.checkpoint = checkpoint
        self.proof = proof
    }

    /// `c2sp.org/tlog-proof@v1`: header, index, proof hashes, blank line, the checkpoint note.
    public var tlogProof: String {
        var s = "c2sp.org/tlog-proof@v1\nindex \(index)\n"
        for p in proof { s += Data(p).base64EncodedString() + "\n" }
        return s + "\n" + checkpoint
    }

    /// Parses tlog-proof text; the entry is not in it (the holder keeps it).
    public static func parseProof(_ text: String, entry: [UInt8]) throws(LedgerError) -> Receipt {
        guard let sep = text.range(of: "\n\n") else { throw .malformed("tlog-proof: no blank line before the checkpoint") }
        var lines = text[..<sep.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first == "c2sp.org/tlog-proof@v1" else { throw .malformed("tlog-proof: first line must be c2sp.org/tlog-proof@v1") }
        lines.removeFirst()
        if let f = lines.first, f.hasPrefix("extra ") { lines.removeFirst() }
        guard let il = lines.first, il.hasPrefix("index "), let index = UInt64(il.dropFirst(6)) else {
            throw .malformed("tlog-proof: missing 'index N' line")
        }
        var proof: [[UInt8]] = []
        for l in lines.dropFirst() {
            guard let h = Data(base64Encoded: String(l)), h.count == 32 else { throw .malformed("tlog-proof: bad hash line '\(l)'") }
            proof.append(Array(h))
        }
        return Receipt(index: index, entry: entry, checkpoint: String(text[sep.upperBound...]), proof: proof)
    }

    /// Checks the receipt on its own: the log's signature on its checkpoint and the entry's
    /// inclusion in it. Returns the checkpoint.
    public func verify(_ verifier: NoteVerifier) throws(LedgerError) -> Checkpoint {
        let cp = try Checkpoint.open(checkpoint, verifier: verifier)
        guard Merkle.verifyInclusion(leaf: Merkle.leafHash(entry), index: index, size: cp.size, proof: proof, root: cp.root) else {
            throw .invalid("the receipt's inclusion proof does not verify in its checkpoint (size \(cp.size))", index: index)
        }
        return cp
    }
}
