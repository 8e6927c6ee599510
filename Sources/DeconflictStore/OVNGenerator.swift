import Foundation

/// New opaque version numbers: 128 random bits as 32 lowercase hex digits. Unique with
/// overwhelming probability, so an OVN names one version of one intent; unpredictable (from
/// the system's CSPRNG), so a writer cannot present a key it has not read.
///
/// The random bits are drawn 4 KiB at a time and handed out 16 bytes per OVN: the system
/// generator costs a system call per 8 bytes, two per OVN on the writer's serial path.
enum OVNGenerator {
    static func make() -> String {
        let (a, b) = pool.next()
        return String(unsafeUninitializedCapacity: 32) { out in
            for i in 0..<16 {
                out[i] = digits[Int((a >> (60 - 4 * UInt64(i))) & 0xF)]
                out[16 + i] = digits[Int((b >> (60 - 4 * UInt64(i))) & 0xF)]
            }
            return 32
        }
    }

    private static let digits = Array("0123456789abcdef".utf8)
    private static let pool = RandomPool()

    /// System random bits, refilled a block at a time, behind a lock.
    private final class RandomPool: @unchecked Sendable {
        private let lock = NSLock()
        private var words = [UInt64](repeating: 0, count: 512)
        private var used = 512

        func next() -> (UInt64, UInt64) {
            lock.lock(); defer { lock.unlock() }
            if used + 2 > words.count {
                fill()
                used = 0
            }
            defer { used += 2 }
            return (words[used], words[used + 1])
        }

        /// The kernel's CSPRNG (/dev/urandom, kept open) into the whole block: one read(2) where
        /// the standard generator would make 512 calls; if that fails, the standard generator.
        private func fill() {
            words.withUnsafeMutableBytes { buf in
                var off = 0
                if urandom >= 0 {
                    while off < buf.count {
                        let n = read(urandom, buf.baseAddress! + off, buf.count - off)
                        if n > 0 { off += n } else if n < 0, errno == EINTR { continue } else { break }
                    }
                }
                var g = SystemRandomNumberGenerator()
                off -= off % 8
                while off + 8 <= buf.count {
                    buf.storeBytes(of: g.next() as UInt64, toByteOffset: off, as: UInt64.self)
                    off += 8
                }
            }
        }

        private let urandom = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
    }
}
