import DeconflictCore
import Foundation

/// Coalesced area reads (key reads and area queries) of one PostgreSQL store: at most
/// ``maxInFlight`` read statements run at a time; requests that arrive meanwhile wait and then
/// go together as ONE statement over all their boxes, each answered with the rows whose index
/// boxes overlap its own boxes. Every request is answered from a snapshot taken after it
/// arrived, so a read still sees every write acknowledged before it began.
///
/// Why: in a hot area most statements are key reads, and each costs a round trip's fixed
/// work on both sides (binds, protocol, scheduling) on top of the probe itself.
final class PostgresReadBatcher: @unchecked Sendable {
    struct Request {
        let boxes: [Box4]
        let continuation: CheckedContinuation<[Intent], any Error>
    }

    let maxInFlight: Int
    private let lock = NSLock()
    private var queue: [Request] = []
    private var inFlight = 0

    init(maxInFlight: Int) { self.maxInFlight = maxInFlight }

    /// The intents with an index box overlapping one of `boxes`, read by `run` (one statement
    /// for the boxes of several requests).
    func read(_ boxes: [Box4], run: @escaping @Sendable ([Box4]) async throws -> [Intent]) async throws -> [Intent] {
        try await withCheckedThrowingContinuation { c in
            let r = Request(boxes: boxes, continuation: c)
            let start: Bool = lock.withLock {
                if inFlight < maxInFlight { inFlight += 1; return true }
                queue.append(r)
                return false
            }
            if start { Task { await self.serve([r], run: run) } }
        }
    }

    private func serve(_ first: [Request], run: @escaping @Sendable ([Box4]) async throws -> [Intent]) async {
        var batch = first
        while !batch.isEmpty {
            do {
                let rows = try await run(batch.flatMap(\.boxes))
                if batch.count == 1 {
                    batch[0].continuation.resume(returning: rows)
                } else {
                    let boxes = rows.map { $0.volumes.map(VolumeBounds.box) }
                    for r in batch {
                        var mine: [Intent] = []
                        for (row, bs) in zip(rows, boxes) where bs.contains(where: { b in r.boxes.contains { b.overlaps($0) } }) {
                            mine.append(row)
                        }
                        r.continuation.resume(returning: mine)
                    }
                }
            } catch {
                for r in batch { r.continuation.resume(throwing: error) }
            }
            batch = lock.withLock {
                let next = queue
                queue = []
                if next.isEmpty { inFlight -= 1 }
                return next
            }
        }
    }
}
