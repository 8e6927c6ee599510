/// New opaque version numbers: 128 random bits as 32 lowercase hex digits. Unique with
/// overwhelming probability, so an OVN names one version of one intent.
enum OVNGenerator {
    static func make() -> String {
        var g = SystemRandomNumberGenerator()
        return hex(g.next() as UInt64) + hex(g.next() as UInt64)
    }

    private static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
