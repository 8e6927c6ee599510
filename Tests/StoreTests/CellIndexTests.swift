import DeconflictCore
@testable import DeconflictStore
import Foundation
import GRDB
import Testing

/// The grid cell index (CellIndex) never misses: whenever two boxes overlap, a query for one
/// finds the other's index rows; end to end, candidates ⊇ exact intersections.
@Suite struct CellIndexTests {
    typealias Rng = BoundsTests.Rng

    /// Simulates the store's probe: is a row stored for `stored` found by a query for `query`?
    static func found(stored: Box4, query: [Box4]) -> Bool {
        let p = CellIndex.probe(query)
        func passes(_ q: Box4) -> Bool {
            stored.t1 >= q.t0 && stored.t0 <= q.t1 && stored.maxAlt >= q.minAlt && stored.minAlt <= q.maxAlt
                && stored.maxLon >= q.minLon && stored.minLon <= q.maxLon && stored.maxLat >= q.minLat && stored.minLat <= q.maxLat
        }
        for cell in CellIndex.storedCells(stored) {
            if let q = p.cells[cell], passes(q) { return true }
            for r in p.ranges where r.lo <= cell && cell <= r.hi && passes(r.box) { return true }
        }
        return false
    }

    /// Random boxes of every size, snapped now and then to cell boundaries, near poles and the
    /// antimeridian, up to the whole globe.
    static func randomBox(_ rng: inout Rng) -> Box4 {
        func coord(_ lo: Double, _ hi: Double) -> Double {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: return lo
            case 1: return hi
            case 2: return (Double.random(in: lo...hi, using: &rng) * 10).rounded() / 10 // on a 0.1° boundary
            case 3: return (Double.random(in: lo...hi, using: &rng)).rounded()             // on a 1°/10° boundary
            default: return Double.random(in: lo...hi, using: &rng)
            }
        }
        let size = [0.001, 0.05, 0.3, 2, 15, 90, 400][Int.random(in: 0..<7, using: &rng)]
        let lat = coord(-90, 90), lon = coord(-180, 180)
        let dLat = Double.random(in: 0...size, using: &rng), dLon = Double.random(in: 0...size, using: &rng)
        let t = Double.random(in: 0...100, using: &rng)
        return Box4(minLon: max(-180, lon - dLon), maxLon: min(180, lon + dLon),
                    minLat: max(-90, lat - dLat), maxLat: min(90, lat + dLat),
                    minAlt: 0, maxAlt: 100, t0: t, t1: t + Double.random(in: 0...20, using: &rng))
    }

    @Test func overlappingBoxesAreAlwaysFound() {
        var rng = Rng(s: 4242)
        var overlapping = 0
        for _ in 0..<20_000 {
            let a = Self.randomBox(&rng)
            // b near a (so that many pairs overlap), or anywhere.
            var b = Self.randomBox(&rng)
            if Bool.random(using: &rng) {
                let dx = Double.random(in: -0.2...0.2, using: &rng), dy = Double.random(in: -0.2...0.2, using: &rng)
                b = Box4(minLon: max(-180, min(180, a.minLon + dx)), maxLon: max(-180, min(180, a.maxLon + dx)),
                         minLat: max(-90, min(90, a.minLat + dy)), maxLat: max(-90, min(90, a.maxLat + dy)),
                         minAlt: 0, maxAlt: 100, t0: a.t0, t1: a.t1)
            }
            guard a.isValid, b.isValid else { continue }
            let keys = LockKeys.forBoxes([a])
            #expect(zip(keys.shared + keys.exclusive, (keys.shared + keys.exclusive).dropFirst()).allSatisfy { $0 < $1 },
                    "lock keys must be taken in one ascending order (no deadlock)")
            let other = Self.randomBox(&rng)
            if a.overlaps(b) {
                overlapping += 1
                #expect(Self.found(stored: a, query: [b]), "missed: stored \(a), query \(b)")
                #expect(Self.found(stored: a, query: [other, b]), "missed with two query boxes")
                // PostgreSQL's hierarchical lock sets (fine / coarse / global) collide too.
                #expect(LockKeys.forBoxes([a]).conflicts(with: LockKeys.forBoxes([other, b])), "locks: \(a) vs \(b)")
                // A batch's coarse-only lock set against a single write's, either way round.
                #expect(LockKeys.forBoxes([a], fine: false).conflicts(with: LockKeys.forBoxes([b])), "coarse \(a) vs \(b)")
                #expect(LockKeys.forBoxes([a]).conflicts(with: LockKeys.forBoxes([other, b], fine: false)), "\(a) vs coarse \(b)")
            }
        }
        #expect(overlapping > 5_000)
    }

    /// PostgreSQL computes its index rows' cells in SQL (`deconflict_cells`); they must be
    /// exactly Swift's (which computes the probes), boundary-aligned coordinates included.
    @Test func postgresCellsEqualSwiftCells() async throws {
        guard Backend.pgSettings != nil else { return }
        try await withStore(.postgres) { st in
            let pg = try #require(st as? PostgresIntentStore)
            var rng = Rng(s: 777)
            var n = 0
            while n < 1_500 {
                let b = Self.randomBox(&rng)
                guard b.isValid else { continue }
                n += 1
                let sql = try await pg.sqlStoredCells(b)
                #expect(sql == CellIndex.storedCells(b).sorted(), "box \(b)")
            }
        }
    }

    @Test func volumesAreIndexedFineWhenSmallAndCoarseWhenHuge() {
        let small = VolumeBounds.box(F.circle(r: 2_000))
        #expect(CellIndex.storedCells(small).allSatisfy { $0 >> 40 == 0 })
        #expect(CellIndex.storedCells(small).count <= 4)
        let polar = VolumeBounds.box(Volume4D(volume: .circle(center: LatLon(lat: 89.9, lon: 10), radius: 5_000, lower: 0, upper: 100),
                                              timeStart: 0, timeEnd: 10))
        #expect(CellIndex.storedCells(polar).count <= CellIndex.maxCells)
        let world = Box4(minLon: -180, maxLon: 180, minLat: -90, maxLat: 90, minAlt: 0, maxAlt: 1, t0: 0, t1: 1)
        #expect(CellIndex.storedCells(world) == [CellIndex.worldCell])
    }

    /// End to end on every backend: random volumes (mid-latitudes, antimeridian, Svalbard,
    /// near the pole, some huge) are stored; for random query volumes, `conflicts(with:)` equals
    /// the brute-force exact intersection over everything stored.
    @Test(arguments: Backend.all)
    func conflictsEqualBruteForce(_ backend: Backend) async throws {
        try await withStore(backend) { st in
            var rng = Rng(s: 99)
            let places = [LatLon(lat: 47.4, lon: 8.55), LatLon(lat: 0.001, lon: 179.99), LatLon(lat: 78.2, lon: 15.6),
                          LatLon(lat: 89.5, lon: 0), LatLon(lat: -33.9, lon: 151.2)]
            var stored: [Intent] = []
            for n in 0..<120 {
                let place = places[n % places.count]
                var v = BoundsTests.randomVolume(near: place, &rng)
                if n % 17 == 0 { // huge: ~150 km
                    v = Volume4D(volume: .circle(center: place, radius: 150_000, lower: 0, upper: 100), timeStart: 0, timeEnd: 100)
                }
                guard (try? v.validate()) != nil else { continue }
                let i = Intent(id: "r\(n)", owner: "o\(n)", ovn: "ovn\(n)", version: 1, state: .accepted, volumes: [v])
                stored.append(i)
            }
            try await st.bulkInsert(stored)
            var checked = 0
            for n in 0..<150 {
                let q = BoundsTests.randomVolume(near: places[n % places.count], &rng)
                guard (try? q.validate()) != nil else { continue }
                let expected = Set(stored.filter { $0.volumes.contains { $0.intersects(q) } }.map(\.id))
                let got = Set(try await st.conflicts(with: [q]).map(\.id))
                #expect(got == expected, "query \(q)")
                checked += expected.count
            }
            #expect(checked > 50)
        }
    }

    /// A version-2 file (R-tree, no cell index) is migrated to version 3: every intent is
    /// backfilled into the cell index and found by key reads and writes afterwards.
    @Test func migrationBackfillsAVersion2File() async throws {
        let dir = TempDir(); defer { dir.remove() }
        let path = dir.path + "/intents.sqlite"
        var intents: [Intent] = []
        for n in 0..<200 {
            let v = F.circle(dx: Double(n % 20) * 700, dy: Double(n / 20) * 700, r: 500)
            intents.append(Intent(id: "old\(n)", owner: "o\(n % 7)", ovn: "ovn\(n)", version: 1, state: .accepted, volumes: [v]))
        }
        do { // Write it the way versions 1-2 did.
            let pool = try DatabasePool(path: path)
            try SQLiteMigrator.migrate(pool, migrations: Array(SQLiteMigrations.all.prefix(2)), steps: [:])
            let all = intents
            try await pool.write { db in
                for (k, i) in all.enumerated() {
                    let (t0, t1) = SQLiteRows.timeSpan(i.volumes)
                    try db.execute(sql: """
                        INSERT INTO intents (rid, id, owner, ovn, version, state, priority, t_start, t_end, nvol, body, updated_at)
                        VALUES (?, ?, ?, ?, 1, 'accepted', 0, ?, ?, 1, ?, 0)
                        """, arguments: [k + 1, i.id, i.owner, i.ovn, t0, t1, Data(VolumeCodec.encode(i.volumes))])
                    let b = VolumeBounds.box(i.volumes[0])
                    try db.execute(sql: "INSERT INTO intent_boxes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                   arguments: [(k + 1) * 1024, b.minLon, b.maxLon, b.minLat, b.maxLat, b.minAlt, b.maxAlt, b.t0, b.t1, k + 1])
                }
            }
            #expect(try SQLiteMigrator.appliedVersions(pool) == [1, 2])
            try pool.close()
        }
        let store = try SQLiteIntentStore(path: path)
        #expect(try store.appliedMigrations() == SQLiteMigrations.all.map(\.version))
        #expect(try await store.count() == 200)
        for i in intents.prefix(40) {
            let found = try await store.conflicts(with: i.volumes).map(\.id)
            #expect(found.contains(i.id))
            let expected = Set(intents.filter { $0.volumes[0].intersects(i.volumes[0]) }.map(\.id))
            #expect(Set(found) == expected)
        }
        // A new write over old intents needs their keys; an update of an old intent moves its rows.
        let q = F.circle(r: 300)
        let need = try await store.key(for: [q], writer: "new")
        #expect(!need.isEmpty)
        let r = try await store.put(F.proposal("new", [q]), key: [], writer: "new")
        #expect(r.refusal != nil)
        _ = try await store.put(F.proposal("new", [q]), key: need, writer: "new").accepted()
        let moved = try await store.put(F.proposal("old0", [F.circle(dx: 500_000, r: 500)]),
                                        key: [], ovn: "ovn0", writer: "o0").accepted()
        #expect(try await store.conflicts(with: [F.circle(r: 100)]).contains { $0.id == "old0" } == false)
        #expect(try await store.conflicts(with: moved.volumes).map(\.id) == ["old0"])
        try await store.close()
    }
}
