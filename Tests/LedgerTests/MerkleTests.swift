import DeconflictLedger
import Foundation
import Testing

func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }

/// RFC 6962 hashing, roots, proofs and tiles against values computed independently (the
/// Certificate Transparency test leaves, and a plain recursive MTH in Python).
@Suite struct MerkleTests {
    static let ctLeaves: [[UInt8]] = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                      "606162636465666768696a6b6c6d6e6f"].map { s in
        stride(from: 0, to: s.count, by: 2).map { UInt8(s.dropFirst($0).prefix(2), radix: 16)! }
    }
    static let ctRoots = ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                          "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
                          "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
                          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                          "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
                          "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
                          "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
                          "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"]

    static func tree(_ n: Int) -> MerkleTree {
        var t = MerkleTree()
        for i in 0..<n { t.append(leafHash: Merkle.leafHash(Array(String(i).utf8))) }
        return t
    }

    @Test func rootsOfTheCertificateTransparencyVectors() {
        var t = MerkleTree()
        #expect(hex(t.root) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        for (i, leaf) in Self.ctLeaves.enumerated() {
            t.append(leafHash: Merkle.leafHash(leaf))
            #expect(hex(t.root) == Self.ctRoots[i], "size \(i + 1)")
        }
        // Every earlier size stays readable.
        for s in 1...8 { #expect(hex(t.root(size: UInt64(s))) == Self.ctRoots[s - 1]) }
    }

    @Test func rootsOfLargerTreesMatchPlainRecursion() {
        let t = Self.tree(1000)
        #expect(hex(t.root) == "638afa98022925bacfddadb15ef22fd0199c1ac99c2973b6158243d13fce05c2")
        #expect(hex(t.root(size: 257)) == "1eda049a4351d86f76252bd7ec0b7746ad75b7fa0316ad5f541dbda458a312c4")
    }

    @Test func inclusionProofsVerifyAndFailWhenAltered() {
        let t = Self.tree(300)
        for size in [1, 2, 3, 7, 8, 9, 255, 256, 257, 300] as [UInt64] {
            let root = t.root(size: size)
            for index in Set([0, size / 2, size - 1]) {
                let proof = t.inclusionProof(index: index, size: size)
                #expect(Merkle.verifyInclusion(leaf: t.leaf(index)!, index: index, size: size, proof: proof, root: root))
                // Wrong leaf, wrong index, a flipped proof bit: all refused.
                #expect(!Merkle.verifyInclusion(leaf: Merkle.leafHash([9]), index: index, size: size, proof: proof, root: root))
                if size > 1 {
                    #expect(!Merkle.verifyInclusion(leaf: t.leaf(index)!, index: (index + 1) % size, size: size, proof: proof, root: root))
                    var bad = proof
                    bad[0][0] ^= 1
                    #expect(!Merkle.verifyInclusion(leaf: t.leaf(index)!, index: index, size: size, proof: bad, root: root))
                }
            }
        }
    }

    @Test func consistencyProofsVerifyAndCatchARewrite() {
        let t = Self.tree(300)
        for (old, new) in [(1, 2), (1, 8), (3, 7), (4, 8), (6, 8), (255, 256), (256, 257), (100, 300), (300, 300)] as [(UInt64, UInt64)] {
            let proof = t.consistencyProof(old: old, new: new)
            #expect(Merkle.verifyConsistency(oldSize: old, newSize: new, oldRoot: t.root(size: old), newRoot: t.root(size: new), proof: proof),
                    "\(old) → \(new)")
            // A tree whose first leaf was rewritten is not consistent with the old root.
            var other = MerkleTree()
            other.append(leafHash: Merkle.leafHash([0xff]))
            for i in 1..<new { other.append(leafHash: t.leaf(i)!) }
            #expect(!Merkle.verifyConsistency(oldSize: old, newSize: new, oldRoot: t.root(size: old), newRoot: other.root(size: new),
                                              proof: other.consistencyProof(old: old, new: new)))
        }
    }

    @Test func truncateUndoesAppends() {
        var t = Self.tree(300)
        let r = t.root(size: 257)
        t.truncate(to: 257)
        #expect(t.size == 257 && t.root == r)
        for i in 257..<300 { t.append(leafHash: Merkle.leafHash(Array(String(i).utf8))) }
        #expect(t.root == Self.tree(300).root)
    }

    /// The sizes the issue names: which tiles exist, as the tlog-tiles spec gives them.
    @Test func tilesForPublishedSizes() {
        #expect(TilePath.tiles(forSize: 0).isEmpty)
        #expect(TilePath.tiles(forSize: 1).map(\.description) == ["tile/0/000.p/1", "tile/entries/000.p/1"])
        #expect(TilePath.tiles(forSize: 255).map(\.description) == ["tile/0/000.p/255", "tile/entries/000.p/255"])
        #expect(TilePath.tiles(forSize: 256).map(\.description) == ["tile/0/000", "tile/1/000.p/1", "tile/entries/000"])
        #expect(TilePath.tiles(forSize: 257).map(\.description) == ["tile/0/000", "tile/0/001.p/1", "tile/1/000.p/1", "tile/entries/000", "tile/entries/001.p/1"])
        let t65536 = TilePath.tiles(forSize: 65536).filter { $0.level != nil && $0.level! > 0 }.map(\.description)
        #expect(t65536 == ["tile/1/000", "tile/2/000.p/1"])
        // The spec's example: size 70,000.
        let t70000 = TilePath.tiles(forSize: 70000)
        #expect(t70000.filter { $0.level == 0 }.count == 274)
        #expect(t70000.contains(TilePath(level: 0, index: 273, width: 112)))
        #expect(t70000.filter { $0.level == 1 }.map(\.description) == ["tile/1/000", "tile/1/001.p/17"])
        #expect(t70000.filter { $0.level == 2 }.map(\.description) == ["tile/2/000.p/1"])
        #expect(t70000.filter { $0.level == nil }.last == TilePath(level: nil, index: 273, width: 112))
    }

    @Test func tileHashesAreTheTreesSubtrees() {
        let t = Self.tree(70000)
        // Level 1, tile 1, hash 16 = MTH of leaves (256+16)·256 ..< (256+17)·256.
        let tile = t.tile(level: 1, index: 1, width: 17, size: 70000)!
        var sub = MerkleTree()
        for i in UInt64((256 + 16) * 256)..<UInt64((256 + 17) * 256) { sub.append(leafHash: t.leaf(i)!) }
        #expect(Array(tile[(16 * 32)...]) == sub.root)
        #expect(t.tile(level: 1, index: 1, width: 18, size: 70000) == nil) // beyond the size
        #expect(t.tile(level: 2, index: 0, width: 1, size: 70000) != nil)
        #expect(t.tile(level: 0, index: 273, width: 112, size: 70000) != nil)
        #expect(t.tile(level: 0, index: 273, width: 113, size: 70000) == nil)
        #expect(t.tile(level: 0, index: 0, width: 1, size: 0) == nil)
    }

    @Test func tilePathsHaveOneSpelling() {
        #expect(TilePath.encode(1234067) == "x001/x234/067")
        #expect(TilePath.encode(5) == "005")
        #expect(TilePath.encode(1000) == "x001/000")
        for p in ["tile/0/x001/x234/067", "tile/entries/005.p/7", "tile/3/x001/000", "tile/63/000"] {
            #expect(TilePath(parsing: p)?.description == p, "\(p)")
        }
        #expect(TilePath(parsing: "tile/0/x001/x234/067")?.index == 1234067)
        for bad in ["tile/0/5", "tile/0/0005", "tile/00/000", "tile/64/000", "tile/0/x000/005", "tile/0/001.p/256", "tile/0/001.p/0",
                    "tile/0/001.p/07", "tile/0/001/", "tile/entries/x1/000", "tile/0/001.p", "tile/-1/000", "tile/8/0/000"] {
            #expect(TilePath(parsing: bad) == nil, "\(bad)")
        }
    }
}
