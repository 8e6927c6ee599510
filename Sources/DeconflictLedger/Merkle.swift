import Crypto

/// RFC 6962 / RFC 9162 §2.1 Merkle hashing with SHA-256: a leaf is SHA-256(0x00 ‖ entry),
/// an interior node SHA-256(0x01 ‖ left ‖ right), the empty tree SHA-256("").
public enum Merkle {
    public static let hashSize = 32

    public static func leafHash(_ entry: some Collection<UInt8>) -> [UInt8] {
        var h = SHA256()
        h.update(data: [0x00])
        h.update(data: Array(entry))
        return Array(h.finalize())
    }

    public static func nodeHash(_ left: some Collection<UInt8>, _ right: some Collection<UInt8>) -> [UInt8] {
        var h = SHA256()
        h.update(data: [0x01])
        h.update(data: Array(left))
        h.update(data: Array(right))
        return Array(h.finalize())
    }

    public static let emptyRoot: [UInt8] = Array(SHA256.hash(data: [UInt8]()))

    /// The largest power of two strictly below `n` (n ≥ 2).
    static func split(_ n: UInt64) -> UInt64 {
        precondition(n >= 2)
        return UInt64(1) << (63 - (n - 1).leadingZeroBitCount)
    }

    /// Checks an RFC 9162 §2.1.3.2 inclusion proof of the leaf `leaf` at `index` in the tree
    /// of `size` leaves with root `root`.
    public static func verifyInclusion(leaf: [UInt8], index: UInt64, size: UInt64,
                                       proof: [[UInt8]], root: [UInt8]) -> Bool {
        guard index < size, proof.allSatisfy({ $0.count == hashSize }) else { return false }
        var fn = index, sn = size - 1
        var r = leaf
        for p in proof {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
                }
            } else {
                r = nodeHash(r, p)
            }
            fn >>= 1; sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// Checks an RFC 9162 §2.1.4.2 consistency proof between the tree of `oldSize` leaves
    /// (root `oldRoot`) and the tree of `newSize` leaves (root `newRoot`).
    public static func verifyConsistency(oldSize: UInt64, newSize: UInt64, oldRoot: [UInt8], newRoot: [UInt8],
                                         proof: [[UInt8]]) -> Bool {
        guard oldSize <= newSize, proof.allSatisfy({ $0.count == hashSize }) else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        if oldSize == 0 { return proof.isEmpty }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) } // a power of two: the old root is a node
        guard !path.isEmpty else { return false }
        var fn = oldSize - 1, sn = newSize - 1
        while fn & 1 == 1 { fn >>= 1; sn >>= 1 }
        var fr = path[0], sr = path[0]
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr)
                sr = nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
                }
            } else {
                sr = nodeHash(sr, c)
            }
            fn >>= 1; sn >>= 1
        }
        return fr == oldRoot && sr == newRoot && sn == 0
    }
}

/// An append-only Merkle tree kept as its complete subtrees: level l holds the hash of every
/// aligned run of 2^l leaves, i.e. node i of level l = MTH(D[i·2^l ..< (i+1)·2^l]). That is
/// exactly what the tlog-tiles hash tiles hold (tile level L = tree level 8L), so tiles, roots
/// and proofs of any published size are read off it without rehashing. Memory: 2 hashes per
/// leaf (64 MB at 10⁶ entries). Hashes are stored flat, 32 bytes each.
public struct MerkleTree: Sendable {
    private var levels: [[UInt8]] = [[]]

    public init() {}

    /// Builds the tree from leaf hashes, 32 bytes each, concatenated (as a store loads them).
    public init(concatenatedLeafHashes hashes: [UInt8]) {
        precondition(hashes.count % Merkle.hashSize == 0)
        for o in stride(from: 0, to: hashes.count, by: Merkle.hashSize) {
            append(leafHash: Array(hashes[o..<(o + Merkle.hashSize)]))
        }
    }

    public var size: UInt64 { UInt64(levels[0].count / Merkle.hashSize) }

    /// Appends one leaf hash; returns its index.
    @discardableResult
    public mutating func append(leafHash h: [UInt8]) -> UInt64 {
        precondition(h.count == Merkle.hashSize)
        let index = size
        levels[0].append(contentsOf: h)
        var l = 0
        // A level with an even count just completed a pair: hash it into the level above.
        while (levels[l].count / Merkle.hashSize) % 2 == 0 {
            let n = levels[l].count
            let node = Merkle.nodeHash(levels[l][(n - 64)..<(n - 32)], levels[l][(n - 32)..<n])
            if levels.count == l + 1 { levels.append([]) }
            levels[l + 1].append(contentsOf: node)
            l += 1
        }
        return index
    }

    /// Drops every leaf from `newSize` on (undoes appends that could not be made durable).
    public mutating func truncate(to newSize: UInt64) {
        guard newSize < size else { return }
        for l in levels.indices {
            let keep = Int(newSize >> UInt64(l)) * Merkle.hashSize
            if levels[l].count > keep { levels[l].removeSubrange(keep...) }
        }
        while levels.count > 1, levels.last!.isEmpty { levels.removeLast() }
    }

    /// Node i of level l (a complete subtree), if it exists.
    public func node(level l: Int, index i: UInt64) -> [UInt8]? {
        guard l < levels.count, i < UInt64(levels[l].count / Merkle.hashSize) else { return nil }
        let o = Int(i) * Merkle.hashSize
        return Array(levels[l][o..<(o + Merkle.hashSize)])
    }

    /// The leaf hash at `index`.
    public func leaf(_ index: UInt64) -> [UInt8]? { node(level: 0, index: index) }

    /// MTH(D[start ..< start+count]) for a range inside the tree.
    func subtree(_ start: UInt64, _ count: UInt64) -> [UInt8] {
        precondition(count >= 1 && start + count <= size)
        if count & (count - 1) == 0 {
            let l = count.trailingZeroBitCount
            if start % count == 0 { return node(level: l, index: start >> UInt64(l))! }
        }
        if count == 1 { return leaf(start)! }
        let k = Merkle.split(count)
        return Merkle.nodeHash(subtree(start, k), subtree(start + k, count - k))
    }

    /// The root of the tree's first `size` leaves (the empty-tree hash for 0).
    public func root(size s: UInt64) -> [UInt8] {
        precondition(s <= size)
        return s == 0 ? Merkle.emptyRoot : subtree(0, s)
    }

    public var root: [UInt8] { root(size: size) }

    /// RFC 6962 PATH(index, D[0 ..< size]): the leaf's sibling first.
    public func inclusionProof(index: UInt64, size s: UInt64) -> [[UInt8]] {
        precondition(index < s && s <= size)
        var out: [[UInt8]] = []
        func path(_ m: UInt64, _ start: UInt64, _ n: UInt64) {
            guard n > 1 else { return }
            let k = Merkle.split(n)
            if m < k {
                path(m, start, k)
                out.append(subtree(start + k, n - k))
            } else {
                path(m - k, start + k, n - k)
                out.append(subtree(start, k))
            }
        }
        path(index, 0, s)
        return out
    }

    /// RFC 6962 PROOF(old, D[0 ..< new]).
    public func consistencyProof(old: UInt64, new: UInt64) -> [[UInt8]] {
        precondition(old <= new && new <= size)
        guard old > 0, old < new else { return [] }
        var out: [[UInt8]] = []
        func sub(_ m: UInt64, _ start: UInt64, _ n: UInt64, _ whole: Bool) {
            if m == n {
                if !whole { out.append(subtree(start, n)) }
                return
            }
            let k = Merkle.split(n)
            if m <= k {
                sub(m, start, k, whole)
                out.append(subtree(start + k, n - k))
            } else {
                sub(m - k, start + k, n - k, false)
                out.append(subtree(start, k))
            }
        }
        sub(old, 0, new, true)
        return out
    }

    /// The hash tile (tlog-tiles) at tile level `level`, index `n`, with `width` hashes
    /// (1…256), for the tree of `size` leaves: nil if that tile does not exist at that size.
    public func tile(level: Int, index n: UInt64, width: Int, size s: UInt64) -> [UInt8]? {
        guard (1...256).contains(width), level >= 0, level * 8 < 64, s <= size else { return nil }
        let l = level * 8
        let available = s >> UInt64(l) // complete level-l nodes at size s
        let first = n * 256
        guard first + UInt64(width) <= available else { return nil }
        let o = Int(first) * Merkle.hashSize
        return Array(levels[l][o..<(o + width * Merkle.hashSize)])
    }
}
