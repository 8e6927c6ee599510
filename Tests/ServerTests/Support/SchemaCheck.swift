import DeconflictCore
import DeconflictServer
import Foundation
import DeconflictFormats

/// Just enough of OpenAPI 3.1 / JSON Schema to hold real responses to the document:
/// `$ref`, `type`, `required`, `properties`, `additionalProperties: false`, `items`,
/// `enum`, `oneOf`, `minimum`/`maximum`.
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

    /// Problems with `value` against `schema` (empty when it conforms).
    func check(_ value: JSON, _ schema: JSON, at where_: String = "$") -> [String] {
        guard let s = resolve(schema).dictionary else { return [] }
        var errors: [String] = []
        if case .array(let options)? = s["oneOf"] {
            if !options.contains(where: { check(value, $0, at: where_).isEmpty }) { errors.append("\(where_): matches no oneOf") }
            return errors
        }
        if case .string(let t)? = s["type"], !Self.isType(value, t) { return ["\(where_): expected \(t), got \(value)"] }
        if case .array(let allowed)? = s["enum"], !allowed.contains(value) { errors.append("\(where_): \(value) not in enum") }
        if case .number(let x) = value {
            if case .number(let lo)? = s["minimum"], x < lo { errors.append("\(where_): below minimum") }
            if case .number(let hi)? = s["maximum"], x > hi { errors.append("\(where_): above maximum") }
        }
        if let o = value.dictionary {
            if case .array(let req)? = s["required"] {
                for case .string(let k) in req where o[k] == nil { errors.append("\(where_): missing required \(k)") }
            }
            let props: [String: JSON]
            if let p = s["properties"]?.dictionary { props = p } else { props = [:] }
            for (k, v) in o {
                if let ps = props[k] { errors += check(v, ps, at: "\(where_).\(k)") }
                else if case .bool(false)? = s["additionalProperties"] { errors.append("\(where_): undocumented property \(k)") }
            }
        }
        if case .array(let items) = value, let itemSchema = s["items"] {
            for (i, v) in items.enumerated() { errors += check(v, itemSchema, at: "\(where_)[\(i)]") }
        }
        return errors
    }

    static func isType(_ v: JSON, _ t: String) -> Bool {
        switch (t, v) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null), ("number", .number): true
        case ("integer", .number(let x)): x.rounded() == x
        default: false
        }
    }
}

extension JSON {
    func member(_ k: String) -> JSON? {
        dictionary?[k]
    }
}
