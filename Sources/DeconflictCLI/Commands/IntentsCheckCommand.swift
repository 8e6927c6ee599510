import ArgumentParser
import DeconflictCore
import Foundation
import DeconflictFormats

/// `deconflict intents check FILE.geojson…`: validates intents offline and lists the conflicts
/// between different parties. Exit status: 0 no conflicts, 1 conflicts found, 2 invalid input.
public struct IntentsCheckCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate GeoJSON intents and list conflicts between parties.",
        discussion: """
        Each GeoJSON Feature is one intent volume: a Polygon (one ring of [lon, lat], open or \
        closed, ≤ 1000 vertices, edges are great-circle arcs) or a Point with `radius_m`. \
        Properties: `party`, `start`/`end` (ISO 8601 with a time zone, or epoch seconds), \
        `alt_lower_ft`/`alt_upper_ft` (or `_m`), optional `priority` and `id`. Touching volumes \
        do not conflict. Files over 16 MiB are refused unread.

        Exit status: 0 no conflicts, 1 conflicts found, 2 invalid input (errors on stderr; the \
        valid features are still cross-checked and reported).
        """
    )

    public enum Format: String, ExpressibleByArgument, CaseIterable, Sendable { case table, json }

    @Argument(help: "GeoJSON files (FeatureCollection or Feature).")
    public var files: [String]

    @Option(help: "Output format: table or json.")
    public var format: Format = .table

    public init() {}

    public func run() async throws {
        var inputs: [(file: String, bytes: [UInt8])] = []
        var readErrors: [IntentsFileError] = []
        for path in files {
            switch Self.read(path) {
            case let .success(bytes): inputs.append((path, bytes))
            case let .failure(e): readErrors.append(e)
            }
        }
        var report = IntentsCheck.run(inputs)
        report.errors = readErrors + report.errors
        report.files = files
        for line in report.errorLines { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        let out = format == .json ? report.json() : report.table()
        FileHandle.standardOutput.write(Data(out.utf8))
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }

    /// Reads at most the size limit + 1 bytes: an oversized file (or endless pipe) is refused
    /// without being loaded.
    static func read(_ path: String) -> Result<[UInt8], IntentsFileError> {
        let limit = IntentsFile.maxFileBytes
        if let attrs = try? FileManager.default.attributesOfItem(atPath: path),
           attrs[.type] as? FileAttributeType == .typeRegular,
           let size = (attrs[.size] as? NSNumber)?.intValue, size > limit {
            return .failure(IntentsFileError(file: path, message: "file is \(size) bytes, larger than the \(limit)-byte limit"))
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            return .failure(IntentsFileError(file: path, message: "no such file"))
        }
        if isDir.boolValue { return .failure(IntentsFileError(file: path, message: "is a directory")) }
        guard let h = FileHandle(forReadingAtPath: path) else {
            return .failure(IntentsFileError(file: path, message: "cannot be read"))
        }
        defer { try? h.close() }
        do {
            var data = Data()
            while data.count <= limit {
                guard let chunk = try h.read(upToCount: 1 << 20), !chunk.isEmpty else { break }
                data.append(chunk)
            }
            if data.count > limit {
                return .failure(IntentsFileError(file: path, message: "file is larger than the \(limit)-byte limit"))
            }
            return .success([UInt8](data))
        } catch {
            return .failure(IntentsFileError(file: path, message: "read failed: \(error)"))
        }
    }
}
