import DeconflictCore
@testable import DeconflictStore
import Foundation
import Testing

/// Coalesced area reads: requests that arrive while a read statement runs go together as one,
/// and each gets exactly the rows over its own boxes.
@Suite struct PostgresReadBatcherTests {
    final class Calls: @unchecked Sendable {
        private let lock = NSLock()
        private var boxes: [[Box4]] = []
        func add(_ b: [Box4]) { lock.withLock { boxes.append(b) } }
        var all: [[Box4]] { lock.withLock { boxes } }
    }

    @Test func waitingRequestsShareOneStatementAndGetTheirOwnRows() async throws {
        let rows = (0..<6).map { k in
            Intent(id: "i\(k)", owner: "o", ovn: "v\(k)", state: .accepted, volumes: [F.circle(dx: Double(k) * 10_000, r: 500)])
        }
        let calls = Calls()
        let batcher = PostgresReadBatcher(maxInFlight: 1)
        // The "database": every row overlapping any requested box (a slow first statement, so
        // that the other requests arrive while it runs).
        let run: @Sendable ([Box4]) async throws -> [Intent] = { boxes in
            calls.add(boxes)
            if calls.all.count == 1 { try await Task.sleep(for: .milliseconds(200)) }
            return rows.filter { r in r.volumes.map(VolumeBounds.box).contains { b in boxes.contains { b.overlaps($0) } } }
        }
        let queries = (0..<6).map { k in VolumeBounds.boxes([F.circle(dx: Double(k) * 10_000, r: 100)])! }
        let answers = try await withThrowingTaskGroup(of: (Int, [String]).self) { g in
            g.addTask { (0, try await batcher.read(queries[0], run: run).map(\.id)) }
            try await Task.sleep(for: .milliseconds(50))
            for k in 1..<6 { g.addTask { (k, try await batcher.read(queries[k], run: run).map(\.id)) } }
            var out: [Int: [String]] = [:]
            for try await (k, ids) in g { out[k] = ids }
            return out
        }
        for k in 0..<6 { #expect(answers[k] == ["i\(k)"], "request \(k)") }
        // The first ran alone; the five that waited went as one statement over their boxes.
        #expect(calls.all.count == 2)
        #expect(calls.all.last?.count == 5)
    }

    @Test func anErrorReachesEveryRequestOfItsStatement() async throws {
        let batcher = PostgresReadBatcher(maxInFlight: 1)
        let run: @Sendable ([Box4]) async throws -> [Intent] = { _ in throw StoreError.database("down") }
        await #expect(throws: StoreError.self) { try await batcher.read(VolumeBounds.boxes([F.circle()])!, run: run) }
        // Nothing stays in flight: the next read runs (and fails the same way) instead of hanging.
        await #expect(throws: StoreError.self) { try await batcher.read(VolumeBounds.boxes([F.circle()])!, run: run) }
    }
}
