import DeconflictCore
import DeconflictStore
import Testing

/// The shared suite, part 2: the key check (DOMAIN.md §4), on every backend.
@Suite struct KeyCheckTests {
    @Test(arguments: Backend.all)
    func missingKeysAreListedExactly(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let a = try await store.put(F.proposal("a1", [F.circle(dx: -800)]), key: [], writer: "alice").accepted()
            let b = try await store.put(F.proposal("b1", [F.circle(dx: 800)]), key: [a.ovn], writer: "bob").accepted()
            // Near but not overlapping: other place, other altitude band, other time.
            let far = try await store.put(F.proposal("c-far", [F.circle(dx: 5_000)]), key: [], writer: "carol").accepted()
            let high = try await store.put(F.proposal("c-high", [F.circle(lo: 500, hi: 600)]), key: [], writer: "carol").accepted()
            let later = try await store.put(F.proposal("c-later", [F.circle(from: F.t0 + 7_200, to: F.t0 + 9_000)]),
                                            key: [], writer: "carol").accepted()
            _ = (far, high, later)

            let mine = F.proposal("d1", [F.circle(r: 500)])
            let none = try await store.put(mine, key: [], writer: "dave")
            #expect(none.refusal == .missingKeys([
                MissingKey(intentID: "a1", owner: "alice", ovn: a.ovn),
                MissingKey(intentID: "b1", owner: "bob", ovn: b.ovn),
            ]))
            #expect(none.refusal?.httpStatus == 409)
            let half = try await store.put(mine, key: [a.ovn, "junk"], writer: "dave")
            #expect(half.refusal == .missingKeys([MissingKey(intentID: "b1", owner: "bob", ovn: b.ovn)]))
            #expect(try await store.get(id: "d1") == nil)

            // The key a client reads is exactly what it must present.
            #expect(try await store.key(for: mine.volumes, writer: "dave") == [a.ovn, b.ovn])
            let d = try await store.put(mine, key: [a.ovn, b.ovn], writer: "dave").accepted()
            #expect(d.version == 1)
        }
    }

    @Test(arguments: Backend.all)
    func staleKeyAfterAnotherPartyChangesIsRefused(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let a1 = try await store.put(F.proposal("a1", [F.circle()]), key: [], writer: "alice").accepted()
            let key = try await store.key(for: [F.circle(dx: 200)], writer: "bob")
            #expect(key == [a1.ovn])
            let a2 = try await store.put(F.proposal("a1", [F.circle(r: 1_100)]), key: [], ovn: a1.ovn, writer: "alice").accepted()
            let r = try await store.put(F.proposal("b1", [F.circle(dx: 200)]), key: key, writer: "bob")
            #expect(r.refusal == .missingKeys([MissingKey(intentID: "a1", owner: "alice", ovn: a2.ovn)]))
            _ = try await store.put(F.proposal("b1", [F.circle(dx: 200)]), key: [a2.ovn], writer: "bob").accepted()
        }
    }

    @Test(arguments: Backend.all)
    func ownIntentsNeedNoKeyAndUpdatesAreChecked(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            _ = try await store.put(F.proposal("a1", [F.circle()]), key: [], writer: "alice").accepted()
            let a2 = try await store.put(F.proposal("a2", [F.circle(dx: 100)]), key: [], writer: "alice").accepted()
            let b = try await store.put(F.proposal("b1", [F.circle(dx: 20_000)]), key: [], writer: "bob").accepted()
            // Moving a2 onto b1 needs b1's OVN.
            let moved = F.proposal("a2", [F.circle(dx: 20_000)])
            let r = try await store.put(moved, key: [], ovn: a2.ovn, writer: "alice")
            #expect(r.refusal == .missingKeys([MissingKey(intentID: "b1", owner: "bob", ovn: b.ovn)]))
            #expect(try await store.get(id: "a2") == a2)
            _ = try await store.put(moved, key: [b.ovn], ovn: a2.ovn, writer: "alice").accepted()
        }
    }

    @Test(arguments: Backend.all)
    func deletedIntentsNoLongerNeedKeys(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let a = try await store.put(F.proposal("a1", [F.circle()]), key: [], writer: "alice").accepted()
            #expect(try await store.delete(id: "a1", ovn: a.ovn, writer: "alice") == .deleted(id: "a1"))
            _ = try await store.put(F.proposal("b1", [F.circle()]), key: [], writer: "bob").accepted()
        }
    }
}
