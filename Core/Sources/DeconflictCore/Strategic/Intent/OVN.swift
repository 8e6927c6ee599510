/// Deterministic opaque version numbers: 32 hex digits of two FNV-1a-64 hashes (different
/// seeds) of a canonical encoding of (id, owner, version, state, priority, volumes, bit-exact).
/// Different versions of one intent always differ (the version is hashed); the store may use
/// random OVNs instead — the rules only compare them for equality.
public enum OVN {
    public static func make(id: String, owner: String, version: Int, state: IntentState,
                            priority: Int, volumes: [Volume4D]) -> String {
        var h = Hasher2()
        h.add(id); h.add(owner); h.add(UInt64(bitPattern: Int64(version))); h.add(state.rawValue)
        h.add(UInt64(bitPattern: Int64(priority))); h.add(UInt64(volumes.count))
        for v in volumes {
            h.add(v.timeStart); h.add(v.timeEnd); h.add(v.volume.altitudeLower); h.add(v.volume.altitudeUpper)
            switch v.volume.outline {
            case let .circle(c, r): h.add("c"); h.add(c.lat); h.add(c.lon); h.add(r)
            case let .polygon(ring):
                h.add("p"); h.add(UInt64(ring.count))
                for p in ring { h.add(p.lat); h.add(p.lon) }
            }
        }
        return hex(h.a) + hex(h.b)
    }

    public static func make(for intent: Intent) -> String {
        make(id: intent.id, owner: intent.owner, version: intent.version, state: intent.state,
             priority: intent.priority, volumes: intent.volumes)
    }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    struct Hasher2 {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x8422_2325_cbf2_9ce4
        static let prime: UInt64 = 0x100_0000_01b3
        mutating func byte(_ x: UInt8) {
            a = (a ^ UInt64(x)) &* Hasher2.prime
            b = (b ^ UInt64(x ^ 0x5c)) &* Hasher2.prime
        }
        mutating func add(_ x: UInt64) { for i in 0..<8 { byte(UInt8(truncatingIfNeeded: x >> (8 * UInt64(i)))) } }
        mutating func add(_ x: Double) { add(x.bitPattern) }
        mutating func add(_ s: String) { add(UInt64(s.utf8.count)); for c in s.utf8 { byte(c) } }
    }
}
