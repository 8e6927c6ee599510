#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a text file line by line (memory stays one line, whatever the file size),
/// counting bytes so long reads can show progress.
final class LineReader {
    let path: String
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: UnsafeMutablePointer<CChar>? = nil
    private var capacity = 0
    private(set) var lineNumber = 0
    private(set) var bytesRead = 0
    let totalBytes: Int

    init(path: String) throws {
        self.path = path
        var st = stat()
        if stat(path, &st) != 0 { throw CLIError("\(path): \(String(cString: strerror(errno)))") }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw CLIError("\(path): is a directory, not a traffic file") }
        guard let f = fopen(path, "r") else { throw CLIError("\(path): \(String(cString: strerror(errno)))") }
        file = f
        totalBytes = Int(st.st_size)
    }

    deinit { free(buffer); fclose(file) }

    /// The next line without its newline, or nil at the end of the file.
    func next() -> Substring? {
        let n = getline(&buffer, &capacity, file)
        if n < 0 { return nil }
        lineNumber += 1
        bytesRead += n
        guard let buffer else { return "" }
        var len = n
        if len > 0 && buffer[len - 1] == 10 { len -= 1 }
        let s = buffer.withMemoryRebound(to: UInt8.self, capacity: len) {
            String(decoding: UnsafeBufferPointer(start: $0, count: len), as: UTF8.self)
        }
        return Substring(s)
    }
}

/// An error for the user: printed as it is, exit status 1 (2 for usage errors).
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
