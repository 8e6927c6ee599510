import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The server's data directory: key material (mode 0600), the party registry and the
/// track snapshot. Writes are atomic (temporary file, fsync, rename).
public struct DataDirectory: Sendable {
    public let url: URL

    public init(_ url: URL) throws {
        self.url = url
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    public func read(_ name: String) -> Data? { try? Data(contentsOf: file(name)) }

    /// Writes `data` atomically, readable by the owner only when `secret`.
    public func write(_ name: String, _ data: Data, secret: Bool = false) throws {
        let target = file(name)
        let tmp = file(".\(name).\(UInt32.random(in: 0 ... .max)).tmp")
        let mode: mode_t = secret ? 0o600 : 0o644
        let fd = open(tmp.path, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard fd >= 0 else { throw DataDirectoryError.cannotWrite(tmp.path, errno) }
        var ok = true
        data.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + off, raw.count - off)
                if n <= 0 { ok = false; break }
                off += n
            }
        }
        if fsync(fd) != 0 { ok = false }
        close(fd)
        guard ok, rename(tmp.path, target.path) == 0 else {
            unlink(tmp.path)
            throw DataDirectoryError.cannotWrite(target.path, errno)
        }
        chmod(target.path, mode)
    }

    /// The file's permission bits (for checks and tests).
    public func mode(_ name: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: file(name).path)[.posixPermissions]) as? Int
    }

    /// Modification time, to notice changes made by another process (the CLI).
    public func modified(_ name: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: file(name).path)[.modificationDate]) as? Date
    }
}

public enum DataDirectoryError: Error, CustomStringConvertible {
    case cannotWrite(String, Int32)
    public var description: String {
        switch self { case .cannotWrite(let p, let e): "cannot write \(p) (errno \(e))" }
    }
}
