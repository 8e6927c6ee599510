/// c2sp.org/tlog-tiles resource paths (relative to the log's prefix, no tile-height element):
/// `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]`, N in zero-padded 3-digit groups,
/// all but the last prefixed with `x` (1234067 → `x001/x234/067`).
public struct TilePath: Sendable, Hashable, CustomStringConvertible {
    /// The tile level, or nil for an entry bundle.
    public var level: Int?
    public var index: UInt64
    /// 1…255 for a partial tile, 256 for a full one.
    public var width: Int

    public init(level: Int?, index: UInt64, width: Int = 256) {
        self.level = level
        self.index = index
        self.width = width
    }

    public var isFull: Bool { width == 256 }

    public static func encode(_ n: UInt64) -> String {
        var groups: [String] = []
        var v = n
        repeat {
            let g = String(v % 1000)
            groups.append(String(repeating: "0", count: 3 - g.count) + g)
            v /= 1000
        } while v > 0
        return groups.reversed().enumerated().map { i, g in i == groups.count - 1 ? g : "x" + g }.joined(separator: "/")
    }

    public var description: String {
        let head = level.map { "tile/\($0)/" } ?? "tile/entries/"
        return head + Self.encode(index) + (isFull ? "" : ".p/\(width)")
    }

    /// Parses a path below the prefix (`tile/…`); nil for anything that is not exactly a tile
    /// path in the one canonical spelling (so a client cannot address a tile two ways).
    public init?(parsing path: some StringProtocol) {
        var parts = String(path).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3, parts[0] == "tile" else { return nil }
        if parts[1] == "entries" { level = nil } else {
            guard let l = Int(parts[1]), (0...63).contains(l), String(l) == parts[1] else { return nil }
            level = l
        }
        parts.removeFirst(2)
        var w = 256
        if parts.count >= 2, parts[parts.count - 2].hasSuffix(".p") {
            let ws = parts.removeLast()
            guard let wv = Int(ws), (1...255).contains(wv), String(wv) == ws else { return nil }
            w = wv
            parts[parts.count - 1].removeLast(2)
        }
        var n: UInt64 = 0
        for (i, p) in parts.enumerated() {
            let last = i == parts.count - 1
            var digits = Substring(p)
            if !last {
                guard digits.hasPrefix("x") else { return nil }
                digits = digits.dropFirst()
            }
            guard digits.count == 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let v = UInt64(digits) else { return nil }
            let (m, o1) = n.multipliedReportingOverflow(by: 1000)
            let (s, o2) = m.addingReportingOverflow(v)
            guard !o1, !o2 else { return nil }
            n = s
        }
        index = n
        width = w
        guard Self.encode(n) == parts.joined(separator: "/") else { return nil } // no leading zero groups
    }

    /// The tiles a client reads to verify a tree of `size` leaves: every full tile and the
    /// partial tile (if any) at each level, then the entry bundles.
    public static func tiles(forSize size: UInt64) -> [TilePath] {
        var out: [TilePath] = []
        var level = 0
        var count = size // hashes at this tile level
        while count > 0 {
            for n in 0..<(count / 256) { out.append(TilePath(level: level, index: n)) }
            if count % 256 != 0 { out.append(TilePath(level: level, index: count / 256, width: Int(count % 256))) }
            count /= 256
            level += 1
        }
        for n in 0..<(size / 256) { out.append(TilePath(level: nil, index: n)) }
        if size % 256 != 0 { out.append(TilePath(level: nil, index: size / 256, width: Int(size % 256))) }
        return out
    }
}
