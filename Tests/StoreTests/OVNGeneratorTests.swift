@testable import DeconflictStore
import Testing

@Suite struct OVNGeneratorTests {
    /// 32 lowercase hex digits, all distinct over several refills of the random block, and
    /// every digit used in every position class (no stuck nibble in the hex encoding).
    @Test func ovnsAreDistinctHex() {
        let ovns = (0..<5_000).map { _ in OVNGenerator.make() }
        #expect(Set(ovns).count == ovns.count)
        let hex = Set("0123456789abcdef")
        for o in ovns { #expect(o.count == 32 && o.allSatisfy { hex.contains($0) }) }
        for pos in [0, 15, 16, 31] {
            #expect(Set(ovns.map { $0[$0.index($0.startIndex, offsetBy: pos)] }) == hex)
        }
    }
}
