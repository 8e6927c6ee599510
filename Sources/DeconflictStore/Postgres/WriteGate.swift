import DeconflictCore
import Foundation

/// In-process turn-taking of PostgreSQL writes: a write waits here, before its unlocked read,
/// while a write of the same process whose new boxes share a lock cell with its own is between
/// its read and its apply.
///
/// Only a performance measure, never needed for correctness (deconflict_apply validates every
/// write under the database's locks, across processes): without it, writers of one process in
/// one hot area mostly read, decide, and then find at apply time that a neighbour had just
/// committed ('changed'), so most applies were wasted and many writes fell back to the locked
/// path. (Deciding outside the turn and taking it only to apply was measured too: slower,
/// since a write that waited had to read again.) A request takes all its keys at once or
/// none (no partial holding, so no deadlock); waiters are served in arrival order among those
/// that overlap.
final class WriteGate: @unchecked Sendable {
    private struct Waiter {
        let keys: [Int64]
        let resume: CheckedContinuation<Void, Never>
    }

    private let lock = NSLock()
    private var held = Set<Int64>()
    private var waiters: [Waiter] = []

    /// Waits until none of `keys` is held by another admitted write, then holds them all.
    func enter(_ keys: [Int64]) async {
        if keys.isEmpty { return }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            lock.lock()
            if waiters.isEmpty, keys.allSatisfy({ !held.contains($0) }) {
                held.formUnion(keys)
                lock.unlock()
                c.resume()
            } else {
                waiters.append(Waiter(keys: keys, resume: c))
                lock.unlock()
            }
        }
    }

    /// Releases `keys` (taken by `enter`) and admits the waiters that can go now, in order: a
    /// waiter overlapping an earlier one that still waits stays behind it.
    func leave(_ keys: [Int64]) {
        if keys.isEmpty { return }
        var admitted: [CheckedContinuation<Void, Never>] = []
        lock.lock()
        held.subtract(keys)
        var blocked = Set<Int64>()
        var still: [Waiter] = []
        for w in waiters {
            if w.keys.allSatisfy({ !held.contains($0) && !blocked.contains($0) }) {
                held.formUnion(w.keys)
                admitted.append(w.resume)
            } else {
                blocked.formUnion(w.keys)
                still.append(w)
            }
        }
        waiters = still
        lock.unlock()
        for c in admitted { c.resume() }
    }
}

/// One write's turn at the gate: the fine lock cells of its new boxes; entered at most once.
final class GateTurn: @unchecked Sendable {
    private let gate: WriteGate
    private let keys: [Int64]
    private var entered = false

    init(gate: WriteGate, write: IntentWrite) {
        self.gate = gate
        switch write {
        case let .create(p, _), let .update(p, _, _):
            keys = VolumeBounds.boxes(p.volumes).map { LockKeys.forBoxes($0).exclusive } ?? []
        case .delete:
            keys = []
        }
    }

    func enter() async {
        if entered { return }
        entered = true
        await gate.enter(keys)
    }

    /// Ends the turn (once: later calls do nothing).
    func leave() {
        if entered { gate.leave(keys) }
        entered = false
    }
}
