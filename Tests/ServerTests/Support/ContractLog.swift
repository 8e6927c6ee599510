import Foundation

/// Every HTTP response and stream message the tests see, appended as JSON lines to
/// `$DECONFLICT_CONTRACT_LOG/exchanges.jsonl` when that variable is set: `scripts/test.sh` then
/// validates them all against docs/openapi.yaml with a validator we did not write
/// (`scripts/contract/validate_exchanges.py`, openapi-schema-validator).
enum ContractLog {
    private static let lock = NSLock()
    private static let handle: FileHandle? = {
        guard let dir = ProcessInfo.processInfo.environment["DECONFLICT_CONTRACT_LOG"], !dir.isEmpty else { return nil }
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/exchanges.jsonl"
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        let h = FileHandle(forWritingAtPath: path)
        h?.seekToEndOfFile()
        return h
    }()

    /// The API's paths (the display's static files and deliberately unknown routes are not in the
    /// contract).
    static let apiPrefixes = ["/v1/", "/health", "/metrics", "/openapi.", "/.well-known/"]

    static func response(method: String, path: String, status: Int, contentType: String, body: String) {
        guard apiPrefixes.contains(where: path.hasPrefix) else { return }
        write(["method": method.lowercased(), "path": path, "status": status, "content_type": contentType, "body": body])
    }

    static func stream(_ text: String) { write(["stream": true, "body": text]) }

    private static func write(_ o: [String: Any]) {
        guard let handle, let data = try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]) else { return }
        lock.withLock { handle.write(data + Data("\n".utf8)) }
    }
}
