#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a text file line by line, in 1 MiB reads: memory stays one read buffer
/// whatever the file size. Lines end in LF or CRLF; a UTF-8 byte order mark at the start
/// of the file is dropped; a line longer than `maxLine` bytes (a binary or sparse file, not
/// text) is an error naming the line instead of being read into memory.
final class LineReader {
    let path: String
    let maxLine: Int
    private let file: UnsafeMutablePointer<FILE>
    private var buf: [UInt8]
    private var start = 0, end = 0
    private var eof = false
    private(set) var lineNumber = 0
    private(set) var bytesRead = 0
    let totalBytes: Int

    init(path: String, maxLine: Int = 1 << 20) throws {
        self.path = path
        self.maxLine = maxLine
        var st = stat()
        if stat(path, &st) != 0 { throw CLIError("\(path): \(String(cString: strerror(errno)))") }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw CLIError("\(path): is a directory, not a traffic file") }
        guard let f = fopen(path, "r") else { throw CLIError("\(path): \(String(cString: strerror(errno)))") }
        file = f
        totalBytes = Int(st.st_size)
        buf = [UInt8](repeating: 0, count: max(maxLine, 1 << 16) * 2)
    }

    deinit { fclose(file) }

    /// Moves what is left to the front and reads more; false at the end of the file.
    private func fill() -> Bool {
        if eof { return false }
        if start > 0 {
            let n = end - start
            buf.withUnsafeMutableBufferPointer { b in
                _ = memmove(b.baseAddress!, b.baseAddress! + start, n)
            }
            start = 0; end = n
        }
        let got = buf.withUnsafeMutableBufferPointer { b in fread(b.baseAddress! + end, 1, b.count - end, file) }
        if got == 0 { eof = true; return false }
        if bytesRead == 0 && end == 0 && got >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF {
            start = 3                                          // the BOM
        }
        end += got
        bytesRead += got
        return true
    }

    /// The next line without its line end, or nil at the end of the file.
    func next() throws -> Substring? {
        while true {
            if let nl = buf[start..<end].firstIndex(of: 10) {
                lineNumber += 1
                var len = nl - start
                if len > maxLine { throw overlong() }
                if len > 0 && buf[start + len - 1] == 13 { len -= 1 }
                let line = buf.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<(start + len)]), as: UTF8.self) }
                start = nl + 1
                return Substring(line)
            }
            if end - start > maxLine { lineNumber += 1; throw overlong() }
            if !fill() {
                if start == end { return nil }
                lineNumber += 1
                var len = end - start
                if buf[start + len - 1] == 13 { len -= 1 }
                let line = buf.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<(start + len)]), as: UTF8.self) }
                start = end
                return Substring(line)
            }
        }
    }

    private func overlong() -> CLIError {
        CLIError("\(path): line \(lineNumber) is longer than \(maxLine) bytes: not a text traffic file")
    }
}

/// An error for the user: printed as it is, exit status 1 (2 for usage errors).
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
