import Testing
import DeconflictCore

@Suite("Strategic intents: conformance")
struct ConformanceTests {
    let intent = Intent(id: "a", owner: "alice", ovn: "x", state: .activated,
                        volumes: [vol(box(47.40, 8.50, 47.42, 8.53), 0, Units.ft(400), 1_000, 2_000),
                                  vol(circle(47.45, 8.55, 1_000), 0, Units.ft(400), 2_000, 3_000)])
    func track(_ lat: Double, _ lon: Double, ft: Double, t: Double) -> AircraftState {
        AircraftState(id: "N1", time: t, lat: lat, lon: lon, altFt: ft, gsKt: 40, trkDeg: 0, vsFpm: 0)
    }

    @Test func insideIsConforming() {
        let r = Conformance.check(track(47.41, 8.515, ft: 300, t: 1_500), intent: intent)
        #expect(r.status == .conforming(volumeIndex: 0))
        #expect(r.newState == nil)
        #expect(Conformance.check(track(47.45, 8.55, ft: 300, t: 2_500), intent: intent).status == .conforming(volumeIndex: 1))
        // Time window closed at both ends (tolerance 0).
        #expect(Conformance.check(track(47.41, 8.515, ft: 300, t: 2_000), intent: intent).isConforming)
    }

    @Test func toleranceIsApplied() {
        // 100 m south of the box: within 0.1 NM.
        let p = dest(LatLon(lat: 47.40, lon: 8.515), 180, 100)
        #expect(Conformance.check(track(p.lat, p.lon, ft: 300, t: 1_500), intent: intent).isConforming)
        // 50 ft above the 400 ft top: within 100 ft.
        #expect(Conformance.check(track(47.41, 8.515, ft: 450, t: 1_500), intent: intent).isConforming)
    }

    @Test func outsideBecomesNonconforming() {
        let p = dest(LatLon(lat: 47.40, lon: 8.515), 180, 300)
        let r = Conformance.check(track(p.lat, p.lon, ft: 300, t: 1_500), intent: intent)
        guard case let .outsideVolume(i, h, v) = r.status else { Issue.record("\(r)"); return }
        #expect(i == 0 && Swift.abs(h - (300 - 185.2)) < 1 && v == 0)
        #expect(r.newState == .nonconforming)
        let high = Conformance.check(track(47.41, 8.515, ft: 550, t: 1_500), intent: intent)
        guard case let .outsideVolume(_, h2, v2) = high.status else { Issue.record("\(high)"); return }
        #expect(h2 == 0 && Swift.abs(v2 - Units.ft(50)) < 1e-6)
        let late = Conformance.check(track(47.41, 8.515, ft: 300, t: 3_001), intent: intent)
        #expect(late.status == .outsideTime)
        #expect(late.newState == .nonconforming)
        // In volume 0's space during volume 1's window: outside.
        #expect(!Conformance.check(track(47.41, 8.515, ft: 300, t: 2_500), intent: intent).isConforming)
    }

    @Test func onlyActivatedIntentsChangeState() {
        var nc = intent; nc.state = .nonconforming
        let r = Conformance.check(track(0, 0, ft: 300, t: 1_500), intent: nc)
        #expect(!r.isConforming && r.newState == nil)
        var acc = intent; acc.state = .accepted
        #expect(Conformance.check(track(0, 0, ft: 300, t: 1_500), intent: acc).status == .notMonitored(.accepted))
        let strict = ConformanceTolerance(horizontal: 0, vertical: 0)
        #expect(!Conformance.check(track(47.41, 8.515, ft: 401, t: 1_500), intent: intent, tolerance: strict).isConforming)
    }
}
