import Foundation

/// Which path PostgreSQL writes took (tests), and a hook run between an accepted optimistic
/// decision and its `deconflict_apply_batch` call, once per accepted write of the batch (tests
/// use it to change what the decision read).
final class PostgresWritePath: @unchecked Sendable {
    struct Counts: Sendable, Equatable {
        /// batch applies that wrote / answered 'changed'; writes that fell back to the locked
        /// path; batches' unlocked reads (a batch decided on the cache reads nothing)
        var applied = 0, changed = 0, fallbacks = 0, reads = 0
    }

    private let lock = NSLock()
    private var _counts = Counts()
    private var _beforeApply: (@Sendable (String) async throws -> Void)?

    var counts: Counts { lock.withLock { _counts } }
    func count(_ k: WritableKeyPath<Counts, Int>) { lock.withLock { _counts[keyPath: k] += 1 } }
    var beforeApply: (@Sendable (String) async throws -> Void)? {
        get { lock.withLock { _beforeApply } }
        set { lock.withLock { _beforeApply = newValue } }
    }
}
