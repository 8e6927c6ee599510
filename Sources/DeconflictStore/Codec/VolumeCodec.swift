import DeconflictCore

/// The stored form of an intent's volumes: a compact little-endian binary blob, decoded on
/// every key check (so it must be cheap: no JSON on the hot path).
///
/// Layout v1: u8 format(=1), u32 volume count, then per volume:
/// u8 kind (0 circle, 1 polygon), u32 point count, point count × (f64 lat, f64 lon),
/// [f64 radius if circle], f64 altitudeLower, f64 altitudeUpper, f64 timeStart, f64 timeEnd.
enum VolumeCodec {
    static let format: UInt8 = 1

    static func encode(_ volumes: [Volume4D]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(5 + volumes.count * 80)
        out.append(format)
        put(UInt32(volumes.count), &out)
        for v in volumes {
            switch v.volume.outline {
            case let .circle(c, r):
                out.append(0); put(UInt32(1), &out); put(c.lat, &out); put(c.lon, &out); put(r, &out)
            case let .polygon(ps):
                out.append(1); put(UInt32(ps.count), &out)
                for p in ps { put(p.lat, &out); put(p.lon, &out) }
            }
            put(v.volume.altitudeLower, &out); put(v.volume.altitudeUpper, &out)
            put(v.timeStart, &out); put(v.timeEnd, &out)
        }
        return out
    }

    static func decode(_ bytes: some Collection<UInt8>) throws -> [Volume4D] {
        var r = Reader(bytes: Array(bytes))
        guard try r.u8() == format else { throw CodecError.malformed("unknown volume format") }
        let n = Int(try r.u32())
        guard n <= 100_000 else { throw CodecError.malformed("volume count \(n)") }
        var out: [Volume4D] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
            let kind = try r.u8()
            let np = Int(try r.u32())
            guard np <= 1_000_000, np * 16 <= r.remaining else { throw CodecError.malformed("point count \(np)") }
            var pts: [LatLon] = []
            pts.reserveCapacity(np)
            for _ in 0..<np { pts.append(LatLon(lat: try r.f64(), lon: try r.f64())) }
            let outline: Outline
            switch kind {
            case 0:
                guard np == 1 else { throw CodecError.malformed("circle with \(np) centres") }
                outline = .circle(center: pts[0], radius: try r.f64())
            case 1: outline = .polygon(pts)
            default: throw CodecError.malformed("outline kind \(kind)")
            }
            let lo = try r.f64(), hi = try r.f64(), t0 = try r.f64(), t1 = try r.f64()
            out.append(Volume4D(volume: Volume3D(outline: outline, altitudeLower: lo, altitudeUpper: hi),
                                timeStart: t0, timeEnd: t1))
        }
        guard r.remaining == 0 else { throw CodecError.malformed("\(r.remaining) trailing bytes") }
        return out
    }

    private static func put(_ v: UInt32, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }
    private static func put(_ v: Double, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) }
    }

    private struct Reader {
        let bytes: [UInt8]
        var pos = 0
        var remaining: Int { bytes.count - pos }
        mutating func u8() throws -> UInt8 {
            guard remaining >= 1 else { throw CodecError.malformed("truncated") }
            defer { pos += 1 }
            return bytes[pos]
        }
        mutating func u32() throws -> UInt32 {
            guard remaining >= 4 else { throw CodecError.malformed("truncated") }
            var v: UInt32 = 0
            for i in 0..<4 { v |= UInt32(bytes[pos + i]) << (8 * UInt32(i)) }
            pos += 4
            return v
        }
        mutating func f64() throws -> Double {
            guard remaining >= 8 else { throw CodecError.malformed("truncated") }
            var v: UInt64 = 0
            for i in 0..<8 { v |= UInt64(bytes[pos + i]) << (8 * UInt64(i)) }
            pos += 8
            return Double(bitPattern: v)
        }
    }
}

enum CodecError: Error, CustomStringConvertible {
    case malformed(String)
    var description: String { if case let .malformed(s) = self { return s }; return "" }
}
