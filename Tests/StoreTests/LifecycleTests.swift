import DeconflictCore
import DeconflictStore
import Testing

/// The shared suite, part 1: lifecycle, OVN, owner and stale-OVN rules, on every backend.
@Suite struct LifecycleTests {
    @Test(arguments: Backend.all)
    func createThenGet(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let created = try await store.put(F.proposal("a1", [F.circle()]), key: [], writer: "alice").accepted()
            #expect(created.owner == "alice")
            #expect(created.version == 1)
            #expect(!created.ovn.isEmpty)
            let read = try #require(try await store.get(id: "a1"))
            #expect(read == created)
            #expect(try await store.get(id: "nope") == nil)
            #expect(try await store.count() == 1)
        }
    }

    @Test(arguments: Backend.all)
    func ovnIsNewOnEveryChange(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            var cur = try await store.put(F.proposal("a1", [F.circle()]), key: [], writer: "alice").accepted()
            var seen: Set<String> = [cur.ovn]
            for step in 1...3 {
                cur = try await store.put(F.proposal("a1", [F.circle(r: 1_000 + Double(step) * 10)]), key: [],
                                          ovn: cur.ovn, writer: "alice").accepted()
                #expect(seen.insert(cur.ovn).inserted, "OVN reused at step \(step)")
                #expect(cur.version == step + 1)
            }
            cur = try await store.setState(id: "a1", ovn: cur.ovn, state: .activated, key: [], writer: "alice").accepted()
            #expect(seen.insert(cur.ovn).inserted)
            #expect(cur.state == .activated)
            #expect(try await store.get(id: "a1")?.ovn == cur.ovn)
        }
    }

    @Test(arguments: Backend.all)
    func createOnExistingIdIsRefused(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let a = try await store.put(F.proposal("a1", [F.circle()]), key: [], writer: "alice").accepted()
            let r = try await store.put(F.proposal("a1", [F.circle(dx: 50_000)]), key: [], writer: "alice")
            #expect(r.refusal == .alreadyExists(id: "a1"))
            #expect(try await store.get(id: "a1") == a)
        }
    }

    @Test(arguments: Backend.all)
    func onlyTheOwnerMayChangeOrDelete(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let a = try await store.put(F.proposal("a1", [F.circle()]), key: [], writer: "alice").accepted()
            let up = try await store.put(F.proposal("a1", [F.circle(r: 500)]), key: [a.ovn], ovn: a.ovn, writer: "mallory")
            #expect(up.refusal?.httpStatus == 403)
            #expect(up.refusal == .notOwner(id: "a1", owner: "alice", writer: "mallory"))
            let del = try await store.delete(id: "a1", ovn: a.ovn, writer: "mallory")
            #expect(del.refusal?.httpStatus == 403)
            #expect(try await store.get(id: "a1") == a)
        }
    }

    @Test(arguments: Backend.all)
    func staleOVNOnUpdateAndDeleteIsRefused(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let v1 = try await store.put(F.proposal("a1", [F.circle()]), key: [], writer: "alice").accepted()
            let v2 = try await store.put(F.proposal("a1", [F.circle(r: 900)]), key: [], ovn: v1.ovn, writer: "alice").accepted()
            let up = try await store.put(F.proposal("a1", [F.circle(r: 800)]), key: [], ovn: v1.ovn, writer: "alice")
            #expect(up.refusal == .ovnMismatch(id: "a1", presented: v1.ovn, current: v2.ovn))
            let del = try await store.delete(id: "a1", ovn: v1.ovn, writer: "alice")
            #expect(del.refusal == .ovnMismatch(id: "a1", presented: v1.ovn, current: v2.ovn))
            #expect(try await store.get(id: "a1") == v2)
            #expect(try await store.delete(id: "a1", ovn: v2.ovn, writer: "alice") == .deleted(id: "a1"))
            #expect(try await store.get(id: "a1") == nil)
            #expect(try await store.delete(id: "a1", ovn: v2.ovn, writer: "alice").refusal == .notFound(id: "a1"))
            let ghost = try await store.put(F.proposal("zz", [F.circle()]), key: [], ovn: "whatever", writer: "alice")
            #expect(ghost.refusal == .notFound(id: "zz"))
            #expect(try await store.count() == 0)
        }
    }

    @Test(arguments: Backend.all)
    func badInputStoresNothing(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            var bad = F.circle()
            bad.volume.altitudeUpper = .nan
            var inverted = F.circle()
            (inverted.timeStart, inverted.timeEnd) = (inverted.timeEnd, inverted.timeStart)
            let outside = Volume4D(volume: .circle(center: LatLon(lat: 95, lon: 0), radius: 100, lower: 0, upper: 10),
                                   timeStart: F.t0, timeEnd: F.t0 + 10)
            let tooMany = Array(repeating: F.circle(), count: IntentLimits.maxVolumes + 1)
            let cases: [(String, [Volume4D])] = [("nan", [bad]), ("inverted", [inverted]), ("outside", [outside]),
                                                 ("empty", []), ("many", tooMany), ("", [F.circle()])]
            for (id, vols) in cases {
                let r = try await store.put(F.proposal(id, vols), key: [], writer: "alice")
                #expect(r.refusal?.httpStatus == 400, "case '\(id)': \(r)")
            }
            // A valid intent, then an invalid update of it: the stored version is untouched.
            let a = try await store.put(F.proposal("ok", [F.circle()]), key: [], writer: "alice").accepted()
            let r = try await store.put(F.proposal("ok", [bad]), key: [], ovn: a.ovn, writer: "alice")
            #expect(r.refusal?.httpStatus == 400)
            #expect(try await store.get(id: "ok") == a)
            #expect(try await store.count() == 1)
        }
    }

    @Test(arguments: Backend.all)
    func areaQueryFindsOnlyNearbyIntents(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            _ = try await store.put(F.proposal("near", [F.circle()]), key: [], writer: "alice").accepted()
            _ = try await store.put(F.proposal("far", [F.circle(dx: 80_000)]), key: [], writer: "bob").accepted()
            _ = try await store.put(F.proposal("later", [F.circle(from: F.t0 + 10_000, to: F.t0 + 11_000)]), key: [], writer: "carol").accepted()
            let box = Box4(minLon: F.lon - 0.01, maxLon: F.lon + 0.01, minLat: F.lat - 0.01, maxLat: F.lat + 0.01,
                           minAlt: 0, maxAlt: 1_000, t0: F.t0, t1: F.t0 + 100)
            #expect(try await store.query(area: box).map(\.id) == ["near"])
            let exact = try await store.conflicts(with: [F.circle(dx: 1_500, r: 600)])
            #expect(exact.map(\.id) == ["near"])
            #expect(try await store.conflicts(with: [F.circle(dx: 1_700, r: 600)]).isEmpty)
        }
    }

    @Test(arguments: Backend.all)
    func intentsOfAnOwner(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            // alice: three intents ending at t0+1h, +2h, +3h (the last one later ended); bob: one.
            for k in 1...3 {
                _ = try await store.put(F.proposal("a\(k)", [F.circle(dx: Double(k) * 10_000, to: F.t0 + Double(k) * 3_600)]),
                                        key: [], writer: "alice").accepted()
            }
            _ = try await store.put(F.proposal("b1", [F.circle(dx: -10_000)]), key: [], writer: "bob").accepted()
            let a3 = try #require(try await store.get(id: "a3"))
            _ = try await store.setState(id: "a3", ovn: a3.ovn, state: .ended, key: [], writer: "alice").accepted()
            #expect(try await store.intents(owner: "alice", endingAfter: 0, limit: 10).map(\.id) == ["a1", "a2"])
            #expect(try await store.intents(owner: "alice", endingAfter: F.t0 + 3_600, limit: 10).map(\.id) == ["a2"])
            #expect(try await store.intents(owner: "alice", endingAfter: 0, limit: 1).map(\.id) == ["a1"])
            #expect(try await store.intents(owner: "bob", endingAfter: 0, limit: 10).map(\.id) == ["b1"])
            #expect(try await store.intents(owner: "carol", endingAfter: 0, limit: 10).isEmpty)
        }
    }
}
