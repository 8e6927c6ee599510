import DeconflictCore
import DeconflictFormats
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One decoded state on its way to the service, with the monotonic time its bytes arrived.
struct PendingState: Sendable {
    var state: AssembledState
    var receivedNs: UInt64
}

/// Monotonic nanoseconds.
@inline(__always) func monotonicNs() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

@inline(__always) func wallClock() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// What one source has done so far, read by the status line and the metrics.
struct SourceSnapshot: Sendable {
    var spec: String
    var connected = false
    var finished = false
    var bytes = 0
    var reconnects = 0
    var stats = FeedStats()
    var lastError: String?
}

/// Reads one source on its own thread (blocking sockets or file reads, so the async pool is
/// never blocked), runs its ``FeedPipeline`` and hands every state to `deliver`.
/// TCP sources reconnect with exponential backoff (0.5 s doubling to 30 s); files are read
/// once, paced at `speed` × real time by the states' own times (0 = as fast as possible),
/// with times moved to now.
final class FeedRunner: @unchecked Sendable {
    let spec: FeedSourceSpec
    let receiver: (lat: Double, lon: Double)?
    let speed: Double
    let deliver: @Sendable ([PendingState]) -> Void
    private let lock = NSLock()
    private var snap: SourceSnapshot
    private var stopped = false
    private var fd: Int32 = -1

    init(spec: FeedSourceSpec, receiver: (lat: Double, lon: Double)?, speed: Double,
         deliver: @escaping @Sendable ([PendingState]) -> Void) {
        self.spec = spec; self.receiver = receiver; self.speed = speed; self.deliver = deliver
        snap = SourceSnapshot(spec: spec.text)
    }

    var snapshot: SourceSnapshot { lock.lock(); defer { lock.unlock() }; return snap }
    private func update(_ f: (inout SourceSnapshot) -> Void) { lock.lock(); f(&snap); lock.unlock() }

    func start() {
        let t = Thread { [self] in run() }
        t.name = "feed \(spec.text)"
        t.start()
    }

    func stop() {
        lock.lock(); stopped = true; let f = fd; lock.unlock()
        if f >= 0 { shutdown(f, Int32(SHUT_RDWR)) }
    }
    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    private func run() {
        switch spec.kind {
        case let .tcp(host, port): runTCP(host: host, port: port)
        case let .udp(host, port): runUDP(host: host, port: port)
        case let .file(path): runFile(path: path)
        }
        update { $0.finished = true; $0.connected = false }
    }

    private func makePipeline(file: Bool) -> FeedPipeline {
        FeedPipeline(input: spec.input, receiver: receiver,
                     clock: ReceiverClock(maxDrift: file ? .infinity : 2, speed: 1))
    }

    // MARK: TCP

    private func runTCP(host: String, port: Int) {
        var backoff = 0.5
        var pipeline = makePipeline(file: false)
        let buf = UnsafeMutablePointer<UInt8>.allocate(capacity: 65_536)
        defer { buf.deallocate() }
        var out: [PendingState] = []
        var lastExpire = wallClock()
        while !isStopped {
            guard let s = Self.connectTCP(host: host, port: port) else {
                update { $0.lastError = "connect \(host):\(port): \(String(cString: strerror(errno)))"; $0.reconnects += 1 }
                Thread.sleep(forTimeInterval: backoff)
                backoff = min(30, backoff * 2)
                continue
            }
            lock.lock(); fd = s; lock.unlock()
            update { $0.connected = true; $0.lastError = nil }
            backoff = 0.5
            // A new connection is a new stream: framing restarts, the aircraft are kept.
            let assembler = pipeline.assembler
            pipeline = makePipeline(file: false)
            pipeline.assembler = assembler
            while !isStopped {
                let n = recv(s, buf, 65_536, 0)
                if n <= 0 { break }
                let now = take(&pipeline, buf, n, into: &out, datagram: false)
                if now - lastExpire >= 30 { pipeline.assembler.expire(now: now); lastExpire = now }
            }
            close(s)
            lock.lock(); fd = -1; lock.unlock()
            update { $0.connected = false; $0.reconnects += 1; $0.lastError = "connection closed" }
            if !isStopped { Thread.sleep(forTimeInterval: backoff); backoff = min(30, backoff * 2) }
        }
    }

    /// Decodes `n` bytes just received, hands the states on with their arrival time, and
    /// publishes the counters; returns the wall-clock time used for the bytes.
    private func take(_ pipeline: inout FeedPipeline, _ buf: UnsafeMutablePointer<UInt8>, _ n: Int,
                      into out: inout [PendingState], datagram: Bool) -> Double {
        let now = wallClock(), at = monotonicNs()
        out.removeAll(keepingCapacity: true)
        pipeline.feed(UnsafeBufferPointer(start: buf, count: n), now: now) { out.append(PendingState(state: $0, receivedNs: at)) }
        if datagram { pipeline.finish(now: now) { out.append(PendingState(state: $0, receivedNs: at)) } }
        if !out.isEmpty { deliver(out) }
        let stats = pipeline.stats
        update { $0.bytes += n; $0.stats = stats }
        return now
    }

    static func connectTCP(host: String, port: Int) -> Int32? {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var res: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &res) == 0, let first = res else { return nil }
        defer { freeaddrinfo(res) }
        var p: UnsafeMutablePointer<addrinfo>? = first
        while let ai = p {
            let s = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, ai.pointee.ai_protocol)
            if s >= 0 {
                if connect(s, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 {
                    var one: Int32 = 1
                    setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                    return s
                }
                close(s)
            }
            p = ai.pointee.ai_next
        }
        return nil
    }

    // MARK: UDP

    private func runUDP(host: String, port: Int) {
        var pipeline = makePipeline(file: false)
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var res: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &res) == 0, let ai = res else {
            update { $0.lastError = "cannot resolve \(host)" }; return
        }
        defer { freeaddrinfo(res) }
        let s = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, ai.pointee.ai_protocol)
        guard s >= 0, bind(s, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 else {
            update { $0.lastError = "bind \(host):\(port): \(String(cString: strerror(errno)))" }; return
        }
        lock.lock(); fd = s; lock.unlock()
        update { $0.connected = true }
        let buf = UnsafeMutablePointer<UInt8>.allocate(capacity: 65_536)
        defer { buf.deallocate(); close(s) }
        var out: [PendingState] = []
        while !isStopped {
            let n = recv(s, buf, 65_536, 0)
            if n <= 0 { break }
            // A datagram is whole blocks: a bad one cannot desynchronise the next.
            _ = take(&pipeline, buf, n, into: &out, datagram: true)
        }
    }

    // MARK: Files

    private func runFile(path: String) {
        guard let f = fopen(path, "rb") else {
            update { $0.lastError = "\(path): \(String(cString: strerror(errno)))" }; return
        }
        defer { fclose(f) }
        update { $0.connected = true }
        var pipeline = makePipeline(file: true)
        let startWall = wallClock()
        let startMono = monotonicNs()
        var firstSource: Double?
        let buf = UnsafeMutablePointer<UInt8>.allocate(capacity: 65_536)
        defer { buf.deallocate() }
        var out: [AssembledState] = []
        var eof = false
        while !isStopped && !eof {
            let n = fread(buf, 1, 16_384, f)
            out.removeAll(keepingCapacity: true)
            if n > 0 {
                pipeline.feed(UnsafeBufferPointer(start: buf, count: n), now: startWall) { out.append($0) }
            } else {
                eof = true
                pipeline.finish(now: startWall) { out.append($0) }
            }
            let stats = pipeline.stats
            update { $0.bytes += n; $0.stats = stats }
            var batch: [PendingState] = []
            for var s in out {
                if speed > 0 {
                    let first = firstSource ?? s.state.time
                    firstSource = first
                    let offset = (s.state.time - first) / speed
                    let due = startMono + UInt64(max(0, offset) * 1e9)
                    let now = monotonicNs()
                    if due > now + 2_000_000 {
                        if !batch.isEmpty { deliver(batch); batch.removeAll() }
                        usleep(useconds_t(min(1_000_000, (due - now) / 1000)))
                        if isStopped { return }
                        while monotonicNs() + 1_000_000 < due && !isStopped { usleep(useconds_t(min(1_000_000, (due - monotonicNs()) / 1000))) }
                    }
                    s.state.time = startWall + max(0, offset)
                } else {
                    s.state.time = wallClock()
                }
                batch.append(PendingState(state: s, receivedNs: monotonicNs()))
            }
            if !batch.isEmpty { deliver(batch) }
        }
    }
}
