@testable import DeconflictCLI
import DeconflictFormats
import Foundation
import Testing

/// `deconflict intents import|export` against a real server over HTTP.
@Suite("deconflict intents import and export")
struct IntentsImportExportTests {
    static func feature(_ id: String, party: String, lon: Double) -> String {
        let ring = [[lon, 47.40], [lon + 0.02, 47.40], [lon + 0.02, 47.42], [lon, 47.42], [lon, 47.40]]
        let coords = ring.map { "[\($0[0]),\($0[1])]" }.joined(separator: ",")
        let t0 = IntentBody.t0
        return #"{"type":"Feature","id":"\#(id)","geometry":{"type":"Polygon","coordinates":[[\#(coords)]]},"properties":{"party":"\#(party)","start":"\#(RFC3339.format(t0))","end":"\#(RFC3339.format(t0 + 3600))","alt_lower_ft":0,"alt_upper_ft":400}}"#
    }

    @Test("GeoJSON import (key read on the way), export, F3548 export and re-import")
    func importExport() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ie-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try await TestServer.with { s in
            let url = "http://127.0.0.1:\(s.port)"
            let blue = try await s.token("blue"), red = try await s.token("red")
            let blueFile = dir.appendingPathComponent("blue.geojson").path
            try #"{"type":"FeatureCollection","features":[\#(Self.feature("b1", party: "blue", lon: 8.50)),\#(Self.feature("b2", party: "blue", lon: 9.0))]}"#
                .write(toFile: blueFile, atomically: true, encoding: .utf8)
            try await IntentsImportCommand.parse([blueFile, "--url", url, "--token", blue]).run()
            // Red's overlaps b1: the importer reads b1 (the 409 named it), then files with its OVN.
            let redFile = dir.appendingPathComponent("red.geojson").path
            try Self.feature("r1", party: "red", lon: 8.51).write(toFile: redFile, atomically: true, encoding: .utf8)
            try await IntentsImportCommand.parse([redFile, "--url", url, "--token", red]).run()
            let http = s.http()
            #expect(try await http.get("/v1/intents/r1", token: red).object["owner"] as? String == "red")
            // Importing the same file again updates (the current OVN read first).
            try await IntentsImportCommand.parse([blueFile, "--url", url, "--token", blue]).run()
            #expect(try await http.get("/v1/intents/b1", token: blue).object["version"] as? Int == 2)

            // Export as GeoJSON: a FeatureCollection `intents check` reads, same geometry.
            let out = dir.appendingPathComponent("out.geojson").path
            try await IntentsExportCommand.parse(["b1", "b2", "--url", url, "--token", blue, "-o", out]).run()
            let parsed = try IntentsFile.parse(Array(try Data(contentsOf: URL(fileURLWithPath: out))), file: out)
            #expect(parsed.errors.isEmpty && parsed.features.map(\.id) == ["b1", "b2"] && parsed.features.allSatisfy { $0.party == "blue" })
            let original = try IntentsFile.parse(Array(try Data(contentsOf: URL(fileURLWithPath: blueFile))), file: blueFile)
            #expect(parsed.features.map(\.volume) == original.features.map(\.volume))

            // F3548 export, then import under a new id: the same volumes.
            let f = dir.appendingPathComponent("b2.f3548.json").path
            try await IntentsExportCommand.parse(["b2", "--format", "f3548", "--url", url, "--token", blue, "-o", f]).run()
            try await IntentsImportCommand.parse([f, "--id", "b3", "--url", url, "--token", blue]).run()
            // (F3548 lists a polygon's vertices without GeoJSON's closing one: compared in F3548.)
            let b2 = try await http.get("/v1/intents/b2?format=f3548", token: blue), b3 = try await http.get("/v1/intents/b3?format=f3548", token: blue)
            #expect(b3.status == 200)
            func volumes(_ r: HTTP.Reply) -> [Any] { ((r.object["operational_intent"] as? [String: Any])?["details"] as? [String: Any])?["volumes"] as? [Any] ?? [] }
            #expect(!volumes(b2).isEmpty && NSArray(array: volumes(b2)).isEqual(to: volumes(b3)))

            // A bad file: every error named, nothing sent.
            let bad = dir.appendingPathComponent("bad.geojson").path
            try Self.feature("x1", party: "blue", lon: 8.5).replacingOccurrences(of: #""alt_upper_ft":400"#, with: #""alt_upper_ft":"x""#)
                .write(toFile: bad, atomically: true, encoding: .utf8)
            await #expect(throws: CLIError.self) { try await IntentsImportCommand.parse([bad, "--url", url, "--token", blue]).run() }
            #expect(try await http.get("/v1/intents/x1", token: blue).status == 404)
        }
    }
}
