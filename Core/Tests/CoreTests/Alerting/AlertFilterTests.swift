import Testing
import DeconflictCore

@Suite struct AlertFilterTests {
    func run(_ raw: [Int], times: [Double]? = nil, _ p: AlertFilterParameters = .init()) -> [Int] {
        var f = AlertFilter(p)
        let ts = times ?? raw.indices.map(Double.init)
        return zip(raw, ts).map { f.update(raw: $0, at: $1) }
    }

    @Test func singleBlipIsNotOutput() {
        #expect(run([0, 3, 0, 0, 0, 0]) == [0, 0, 0, 0, 0, 0])
    }

    @Test func twoOfFourRaisesAndHolds() {
        // Second raw alert raises; an isolated missing step does not drop it.
        #expect(run([2, 2, 0, 2, 0, 2, 0, 0, 0, 0]) == [0, 2, 2, 2, 2, 2, 2, 0, 0, 0])
    }

    @Test func highestLevelReachedByMOfN() {
        // 3 then 2s: level 3 needs two entries ≥ 3.
        #expect(run([2, 3, 2, 3, 2]) == [0, 2, 2, 3, 3])
    }

    @Test func persistenceHoldsARaisedLevelFourSeconds() {
        // Raised at t=1; M of N alone would drop at t=4, persistence keeps it until t=5.
        #expect(run([3, 3, 0, 0, 0, 0, 0]) == [0, 3, 3, 3, 3, 0, 0])
        // With a 1 s persistence it drops as soon as M of N does.
        #expect(run([3, 3, 0, 0, 0, 0], .init(persistenceTime: 1)) == [0, 3, 3, 3, 0, 0])
    }

    @Test func gapLongerThanHysteresisRestartsThePair() {
        // 2, 2 raise; after a 6 s gap the history is gone: a single 2 is not enough.
        #expect(run([2, 2, 2, 0], times: [0, 1, 7, 8]) == [0, 2, 0, 0])
        // Within 5 s the history stands.
        #expect(run([2, 2, 2, 0], times: [0, 1, 5, 6]) == [0, 2, 2, 2])
    }

    @Test func repeatedTimeReplacesTheStep() {
        #expect(run([2, 2, 2], times: [0, 0, 1]) == [0, 0, 2])
    }
}
