import Foundation

enum Fixture {
    static func text(_ relativePath: String) throws -> String {
        guard let base = Bundle.module.resourceURL else { throw CocoaError(.fileNoSuchFile) }
        let url = base.appendingPathComponent("Fixtures").appendingPathComponent(relativePath)
        return try String(contentsOf: url, encoding: .utf8)
    }
}
