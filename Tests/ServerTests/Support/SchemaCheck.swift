import DeconflictServer
import Foundation

/// Just enough of OpenAPI 3.1 / JSON Schema to hold real responses to the document:
/// `$ref`, `type`, `required`, `properties`, `additionalProperties: false`, `items`,
/// `enum`, `oneOf`, `minimum`/`maximum`.
struct OpenAPISpec {
    let root: JSONValue

    init(text: String) throws { root = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    func at(_ pointer: String) -> JSONValue? {
        var cur = root
        for part in pointer.dropFirst(2).split(separator: "/") {
            guard case .object(let o) = cur, let next = o[String(part)] else { return nil }
            cur = next
        }
        return cur
    }

    func resolve(_ v: JSONValue) -> JSONValue {
        if case .object(let o) = v, case .string(let ref)? = o["$ref"], let target = at(ref) { return resolve(target) }
        return v
    }

    /// The documented response for an operation and status, or nil when undocumented.
    func response(_ path: String, _ method: String, _ status: Int) -> [String: JSONValue]? {
        guard case .object(let paths)? = root.member("paths"), case .object(let op)? = paths[path]?.member(method),
              case .object(let responses)? = op["responses"], let r = responses[String(status)],
              case .object(let resolved) = resolve(r) else { return nil }
        return resolved
    }

    /// Problems with `value` against `schema` (empty when it conforms).
    func check(_ value: JSONValue, _ schema: JSONValue, at where_: String = "$") -> [String] {
        guard case .object(let s) = resolve(schema) else { return [] }
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
        if case .object(let o) = value {
            if case .array(let req)? = s["required"] {
                for case .string(let k) in req where o[k] == nil { errors.append("\(where_): missing required \(k)") }
            }
            let props: [String: JSONValue]
            if case .object(let p)? = s["properties"] { props = p } else { props = [:] }
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

    static func isType(_ v: JSONValue, _ t: String) -> Bool {
        switch (t, v) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null), ("number", .number): true
        case ("integer", .number(let x)): x.rounded() == x
        default: false
        }
    }
}

extension JSONValue {
    func member(_ k: String) -> JSONValue? {
        if case .object(let o) = self { return o[k] }
        return nil
    }
}
