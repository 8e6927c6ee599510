import Testing
@testable import DeconflictFormats

@Suite struct SixBitTests {
    @Test func timeOfDayUnwrapsMidnightBothWays() {
        let ref = 1_720_224_000.0 + 5.0          // 2024-07-06 00:00:05 UTC
        // 23:59:59 belongs to the previous day, 00:00:03 to this one.
        #expect(utcFromTimeOfDay(86_399, near: ref) == 1_720_224_000 - 1)
        #expect(utcFromTimeOfDay(3, near: ref) == 1_720_224_000 + 3)
        // And just before midnight, 00:00:01 is the next day.
        #expect(utcFromTimeOfDay(1, near: 1_720_224_000 - 2) == 1_720_224_000 + 1)
    }

    @Test func aircraftIDs() {
        #expect(feedAircraftID(address: 0x393322, isICAO: true) == "393322")
        #expect(feedAircraftID(address: 0x00AB0F, isICAO: true) == "00ab0f")
        #expect(feedAircraftID(address: 417, isICAO: false) == "trk417")
    }
}
