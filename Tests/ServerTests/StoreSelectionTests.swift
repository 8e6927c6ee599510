import DeconflictServer
import DeconflictStore
import Foundation
import Testing

/// `--store` as the service reads it: StoreLocation's parser, errors worded for the flag.
@Suite("Store selection")
struct StoreSelectionTests {
    let data = URL(fileURLWithPath: "/srv/deconflict-data")

    @Test("sqlite is the data directory; sqlite:DIR and postgres URLs parse as StoreLocation does")
    func locations() throws {
        #expect(try StoreSelection.location("sqlite", dataDirectory: data, environment: [:]) == .sqlite(directory: data.path))
        #expect(try StoreSelection.location("sqlite:/tmp/elsewhere", dataDirectory: data, environment: [:])
            == .sqlite(directory: "/tmp/elsewhere"))
        let pg = try StoreSelection.location("postgres://u:pw@h:5433/db", dataDirectory: data, environment: [:])
        #expect(pg == .postgres(PostgresSettings(host: "h", port: 5433, user: "u", password: "pw", database: "db")))
        #expect("\(pg)" == "postgres://u:***@h:5433/db")
    }

    @Test("Unknown values list the choices; malformed ones give the reason, password masked")
    func errors() throws {
        do {
            _ = try StoreSelection.location("mysql", dataDirectory: data, environment: [:])
            Issue.record("mysql accepted")
        } catch let e as StoreSelectionError {
            #expect(e.reason == nil)
            #expect(e.description.hasPrefix("--store must be 'sqlite' (the data directory)"))
            #expect(e.description.hasSuffix("not 'mysql'"))
        }
        do {
            _ = try StoreSelection.location("postgres", dataDirectory: data, environment: [:])
            Issue.record("postgres accepted without an environment")
        } catch let e as StoreSelectionError {
            #expect(e.description.hasPrefix("cannot open the intent store postgres: store configuration: postgres: set DECONFLICT_PG_URL"))
        }
        do {
            _ = try StoreSelection.location("postgres://u:secret@h/db?schema=a;b", dataDirectory: data, environment: [:])
            Issue.record("bad schema accepted")
        } catch let e as StoreSelectionError {
            #expect(e.store == "postgres://u:***@h/db?schema=a;b" && e.reason?.contains("plain identifier") == true)
            #expect(!e.description.contains("secret"))
        }
    }

    @Test("The service refuses an unknown --store at start")
    func serviceRefusesUnknownStore() async throws {
        var config = ServerConfig(dataDirectory: TestServer.tempDir())
        config.store = "oracle"
        defer { try? FileManager.default.removeItem(at: config.dataDirectory) }
        await #expect(throws: StoreSelectionError.self) { _ = try await DeconflictService(config: config) }
    }
}
