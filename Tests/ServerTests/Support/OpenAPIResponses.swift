import DeconflictCore
import DeconflictServer
import Foundation
import DeconflictFormats

/// Which responses the document declares (path, method, status → response object). Whether
/// a body conforms to its schema is checked by a validator we did not write:
/// `scripts/contract/validate_exchanges.py` (openapi-schema-validator) over every response and
/// stream message the tests saw (`ContractLog`).
struct OpenAPISpec {
    let root: JSON

    init(text: String) throws { root = try JSONDecoder().decode(JSON.self, from: Data(text.utf8)) }

    func at(_ pointer: String) -> JSON? {
        var cur = root
        for part in pointer.dropFirst(2).split(separator: "/") {
            guard let o = cur.dictionary, let next = o[String(part)] else { return nil }
            cur = next
        }
        return cur
    }

    func resolve(_ v: JSON) -> JSON {
        if let o = v.dictionary, case .string(let ref)? = o["$ref"], let target = at(ref) { return resolve(target) }
        return v
    }

    /// The documented response for an operation and status, or nil when undocumented.
    func response(_ path: String, _ method: String, _ status: Int) -> [String: JSON]? {
        guard let paths = root.member("paths")?.dictionary, let op = paths[path]?.member(method)?.dictionary,
              let responses = op["responses"]?.dictionary, let r = responses[String(status)],
              let resolved = resolve(r).dictionary else { return nil }
        return resolved
    }
}

extension JSON {
    func member(_ k: String) -> JSON? {
        dictionary?[k]
    }
}
