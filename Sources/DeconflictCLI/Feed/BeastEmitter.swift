import DeconflictFormats
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A Beast TCP server on loopback that sends generated traffic in real time, like a
/// dump1090/readsb port 30005: for `bench feed` and the feeder's tests. Frames go out in
/// 5 ms ticks at `rate` messages per second with the 12 MHz counter of the send time;
/// `dropAfter` > 0 closes each connection after that many frames (to test reconnection).
final class BeastEmitter: @unchecked Sendable {
    let port: Int
    let rate: Double
    let dropAfter: Int
    private let listener: Int32
    private let lock = NSLock()
    private var feed: SyntheticFeed
    private var stopped = false
    private var client: Int32 = -1
    private(set) var connectionsMade = 0
    private(set) var framesSent = 0

    var connections: Int { lock.withLock { connectionsMade } }

    init(feed: SyntheticFeed, rate: Double, dropAfter: Int = 0) throws {
        self.feed = feed; self.rate = rate; self.dropAfter = dropAfter
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard s >= 0 else { throw CLIError("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0, listen(s, 4) == 0 else { close(s); throw CLIError("bind: \(String(cString: strerror(errno)))") }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) }
        }
        port = Int(UInt16(bigEndian: addr.sin_port))
        listener = s
    }

    func start() {
        let t = Thread { [self] in serve() }
        t.name = "beast emitter :\(port)"
        t.start()
    }

    func stop() {
        lock.lock(); stopped = true; let c = client; lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR)); close(listener)
        if c >= 0 { shutdown(c, Int32(SHUT_RDWR)) }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func serve() {
        let t0 = wallClock()
        while !isStopped {
            let c = accept(listener, nil, nil)
            if c < 0 { return }
            var one: Int32 = 1
            setsockopt(c, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            lock.withLock { client = c; connectionsMade += 1 }
            let started = monotonicNs()
            var sent = 0
            var buf: [UInt8] = []
            loop: while !isStopped {
                usleep(5_000)
                let elapsed = Double(monotonicNs() - started) / 1e9
                let due = Int(elapsed * rate)
                buf.removeAll(keepingCapacity: true)
                let now = wallClock() - t0
                let counter = UInt64((now + 1) * 12_000_000)
                while sent < due {
                    let f = lock.withLock { feed.nextFrame(at: now) }
                    buf += BeastDecoder.encode(type: f.count == 7 ? 0x32 : 0x33, counter: counter, signal: 180, payload: f)
                    sent += 1
                    if dropAfter > 0 && sent >= dropAfter { break }
                }
                var off = 0
                while off < buf.count {
                    let n = buf.withUnsafeBytes { send(c, $0.baseAddress! + off, buf.count - off, Int32(MSG_NOSIGNAL)) }
                    if n <= 0 { break loop }
                    off += n
                }
                if dropAfter > 0 && sent >= dropAfter { break }
            }
            lock.withLock { client = -1; framesSent += sent }
            close(c)
        }
    }
}
