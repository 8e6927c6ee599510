import Foundation
import Testing
import DeconflictCore
@testable import DeconflictFormats

@Suite struct FeedPipelineTests {
    func fixture(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        return [UInt8](try Data(contentsOf: url))
    }

    /// The real-frames file through the frames-CSV pipeline, in odd-sized chunks, gives the
    /// same states as decoding frame by frame.
    @Test func framesCSVInChunksEqualsFrameByFrame() throws {
        let bytes = try fixture("adsb_frames_afr34zg_2024-07-06.csv")
        var p = FeedPipeline(input: .framesCSV, receiver: RealFramesTests.cdg)
        var states: [AssembledState] = []
        var i = 0
        while i < bytes.count {
            let end = min(bytes.count, i + 1000 + i % 777)
            p.feed(Array(bytes[i..<end]), now: 0) { states.append($0) }
            i = end
        }
        p.finish(now: 0) { states.append($0) }
        var dec = ModeSDecoder()
        var asm = TrackAssembler(receiver: RealFramesTests.cdg)
        var direct: [AircraftState] = []
        for f in try RealFrame.load() {
            if let m = dec.decode(f.bytes), let s = asm.add(m, time: f.time) { direct.append(s.state) }
        }
        #expect(states.map(\.state) == direct)
        #expect(p.stats.inputs == 57_793)
        #expect(p.stats.states == direct.count)
        #expect(p.stats.rejects[.malformed] == 2)           // the two flight-status-7 noise frames
    }

    /// dump1090's Beast sample in the `traffic` wheel: 239 frames of 4 aircraft. Every frame
    /// is found (no garbage), every DF11/17 passes parity, and every AP reply maps to one of
    /// the four addresses heard in clear (or is refused before the first clean frame).
    @Test func dump1090BeastSample() throws {
        let bytes = try fixture("sample_dump1090.bin")
        var p = FeedPipeline(input: .beast, clock: ReceiverClock(maxDrift: .infinity))
        var states: [AssembledState] = []
        p.feed(bytes, now: 1_600_000_000) { states.append($0) }
        #expect(p.stats.inputs == 239)
        #expect(p.garbageBytes == 0)
        #expect(p.modeS.rejects.isEmpty)
        #expect(p.modeS.decoded == 239)
        #expect(p.assembler.count == 4)
        let unconfirmed = p.stats.rejects[.unconfirmedAddress, default: 0]
        #expect(unconfirmed < 10)
        // Counter-mapped times span the 24 s of the capture.
        if let first = states.first, let last = states.last {
            #expect(last.state.time - first.state.time < 30)
            #expect(first.state.time >= 1_600_000_000)
        }
    }

    @Test func asterixStreamFramingAcrossChunks() {
        let ref = 1_720_250_000.0
        var blocks: [UInt8] = []
        for k in 0..<20 {
            var r = AsterixEncoder.Cat062Track()
            r.trackNumber = UInt16(100 + k); r.timeOfTrack = 3_600 + Double(k)
            r.lat = 45 + Double(k) * 0.01; r.lon = 5; r.vx = 200; r.vy = 10; r.measuredAltitudeFt = 35_000
            r.address = 0x400000 + UInt32(k)
            blocks += AsterixEncoder.dataBlock(category: 62, records: [AsterixEncoder.record(r)])
        }
        var p = FeedPipeline(input: .asterix)
        var states: [AssembledState] = []
        for chunk in stride(from: 0, to: blocks.count, by: 13) {
            p.feed(Array(blocks[chunk..<min(blocks.count, chunk + 13)]), now: ref) { states.append($0) }
        }
        #expect(states.count == 20)
        #expect(states.first?.state.id == "400000")
        #expect(abs(states.first!.state.altFt! - 35_000) < 1)
        #expect(p.stats.rejected == 0)
    }

    @Test func sbsLinesBecomeStates() {
        let lines = """
        MSG,4,1,1,4CA2D6,1,2024/07/06,08:43:09.000,2024/07/06,08:43:09.000,,,450,90,,,-64,,,,,0\r
        MSG,3,1,1,4CA2D6,1,2024/07/06,08:43:09.500,2024/07/06,08:43:09.500,,35000,,,48.12345,2.54321,,,0,0,0,0\r
        MSG,3,1,1,4CA2D6,1,2024/07/06,08:43:10.500,2024/07/06,08:43:10.500,,35000,,,48.12345,2.55321,,,0,0,0,0\r

        """
        var p = FeedPipeline(input: .sbs(utcOffsetSeconds: 2 * 3600))
        var states: [AssembledState] = []
        p.feed(Array(lines.utf8), now: 0) { states.append($0) }
        #expect(states.count == 2)
        #expect(states[0].state.id == "4ca2d6")
        // Local 08:43:09.5 at UTC+2 → 06:43:09.5 UTC.
        #expect(states[0].state.time == 1_720_248_189.5)
        #expect(abs(states[0].state.gs - 450 * 1852 / 3600) < 1e-6)
    }
}
