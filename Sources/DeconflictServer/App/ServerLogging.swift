import DeconflictCore
import Foundation
import Logging
import DeconflictFormats

/// Structured logs: one JSON object per line on stderr (`--log-format json`), or
/// swift-log's plain text handler.
public enum ServerLogging {
    /// `--log-format`.
    public enum Format: String, CaseIterable, Sendable {
        /// One JSON object per line.
        case json
        /// swift-log's plain text.
        case text
    }

    public static func bootstrap(format: Format, level: Logger.Level) -> Logger {
        LoggingSystem.bootstrap { label in
            var h: any LogHandler = format == .text ? StreamLogHandler.standardError(label: label) : JSONLogHandler(label: label)
            h.logLevel = level
            return h
        }
        var logger = Logger(label: "deconflict")
        logger.logLevel = level
        return logger
    }
}

/// A swift-log handler writing `{"ts":…,"level":…,"label":…,"msg":…,<metadata>}` lines.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    private static let lock = NSLock()

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: String] = [:]
        for (k, v) in metadata { fields[k] = "\(v)" }
        if let m = event.metadata { for (k, v) in m { fields[k] = "\(v)" } }
        fields["ts"] = RFC3339.format(Date().timeIntervalSince1970)
        fields["level"] = event.level.rawValue
        fields["label"] = label
        fields["msg"] = "\(event.message)"
        guard var data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) else { return }
        data.append(10)
        Self.lock.lock(); defer { Self.lock.unlock() }
        FileHandle.standardError.write(data)
    }
}
