import Testing
import Foundation
@testable import DeconflictCLI
import DeconflictCore
import DeconflictFormats

@Suite("CLI: intents check")
struct IntentsCheckCommandTests {
    @Test func parsesArguments() throws {
        let c = try IntentsCheckCommand.parse(["a.geojson", "b.geojson", "--format", "json"])
        #expect(c.files == ["a.geojson", "b.geojson"])
        #expect(c.format == .json)
        #expect(throws: (any Error).self) { try IntentsCheckCommand.parse(["a", "--format", "xml"]) }
    }

    @Test func readRefusesMissingDirectoriesAndOversizedFiles() throws {
        if case let .failure(e) = IntentsCheckCommand.read("/nonexistent/x.geojson") {
            #expect(e.message == "no such file")
        } else { Issue.record("missing file read") }
        if case .failure = IntentsCheckCommand.read(NSTemporaryDirectory()) {} else { Issue.record("directory read") }
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("deconflict-big-\(UUID()).geojson")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let h = try FileHandle(forWritingTo: url)
        try h.truncate(atOffset: UInt64(IntentsFile.maxFileBytes + 1))
        try h.close()
        defer { try? FileManager.default.removeItem(at: url) }
        if case let .failure(e) = IntentsCheckCommand.read(url.path) {
            #expect(e.message.contains("larger than"))
        } else { Issue.record("oversized read") }
    }
}
