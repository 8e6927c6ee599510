import DeconflictCore

/// The one JSON value of the project: the strict reader of the offline intents check (the
/// core has no Foundation), problem members in the API, and documents read in tests.
/// Strict RFC 8259 syntax; bounded nesting depth; numbers as Double.
public enum JSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }
    public func hash(into h: inout Hasher) {
        switch self {
        case .null: h.combine(0)
        case let .bool(b): h.combine(b)
        case let .number(n): h.combine(n)
        case let .string(s): h.combine(s)
        case let .array(a): h.combine(a)
        case let .object(o): for (k, v) in o { h.combine(k); h.combine(v) }
        }
    }

    /// True when an object anywhere in the value has the same member twice (RFC 8259 leaves
    /// that to the reader; a strict one refuses it rather than pick one).
    public var hasDuplicateMembers: Bool {
        switch self {
        case let .object(members):
            var seen = Set<String>()
            for (k, child) in members where !seen.insert(k).inserted || child.hasDuplicateMembers { return true }
            return false
        case let .array(items):
            return items.contains { $0.hasDuplicateMembers }
        default:
            return false
        }
    }

    /// The value of a key of an object (the first one if repeated).
    public subscript(key: String) -> JSON? {
        if case let .object(o) = self { return o.first { $0.0 == key }?.1 }
        return nil
    }

    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var offset: Int
        public var line: Int
        public var message: String
        public var description: String { "JSON syntax error at line \(line) (byte \(offset)): \(message)" }
    }

    public static let maxDepth = 64

    /// Parses a complete JSON text. `maxArrayLength` bounds every array: parsing stops at the
    /// first longer one (so a huge polygon ring is refused after reading its first elements).
    public static func parse(_ bytes: [UInt8], maxArrayLength: Int = .max) throws(ParseError) -> JSON {
        var p = Parser(b: bytes, maxArray: maxArrayLength)
        p.skipWS()
        let v = try p.value(depth: 0)
        p.skipWS()
        if p.i < bytes.count { throw p.err("unexpected data after the JSON value") }
        return v
    }

    struct Parser {
        let b: [UInt8]
        let maxArray: Int
        var i = 0

        func err(_ m: String) -> ParseError {
            var line = 1
            for k in 0..<Swift.min(i, b.count) where b[k] == 0x0A { line += 1 }
            return ParseError(offset: i, line: line, message: m)
        }
        mutating func skipWS() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        }
        mutating func expectWord(_ w: String, _ v: JSON) throws(ParseError) -> JSON {
            for c in w.utf8 {
                guard i < b.count, b[i] == c else { throw err("invalid literal") }
                i += 1
            }
            return v
        }
        mutating func value(depth: Int) throws(ParseError) -> JSON {
            guard depth < JSON.maxDepth else { throw err("nesting deeper than \(JSON.maxDepth)") }
            guard i < b.count else { throw err("unexpected end of input") }
            switch b[i] {
            case UInt8(ascii: "{"):
                i += 1
                var o: [(String, JSON)] = []
                skipWS()
                if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
                while true {
                    skipWS()
                    guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw err("expected a string key") }
                    let k = try string()
                    skipWS()
                    guard i < b.count, b[i] == UInt8(ascii: ":") else { throw err("expected ':'") }
                    i += 1
                    skipWS()
                    o.append((k, try value(depth: depth + 1)))
                    skipWS()
                    guard i < b.count else { throw err("unexpected end of input in an object") }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
                    throw err("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                i += 1
                var a: [JSON] = []
                skipWS()
                if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
                while true {
                    skipWS()
                    if a.count == maxArray { throw err("array longer than \(maxArray) elements") }
                    a.append(try value(depth: depth + 1))
                    skipWS()
                    guard i < b.count else { throw err("unexpected end of input in an array") }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
                    throw err("expected ',' or ']'")
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try expectWord("true", .bool(true))
            case UInt8(ascii: "f"): return try expectWord("false", .bool(false))
            case UInt8(ascii: "n"): return try expectWord("null", .null)
            default: return .number(try number())
            }
        }
        mutating func number() throws(ParseError) -> Double {
            let start = i
            func digits(_ p: inout Parser) -> Int {
                let s = p.i
                while p.i < p.b.count, p.b[p.i] >= 0x30 && p.b[p.i] <= 0x39 { p.i += 1 }
                return p.i - s
            }
            if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
            let intStart = i
            let n = digits(&self)
            guard n > 0 else { i = start; throw err("invalid value") }
            if n > 1 && b[intStart] == 0x30 { throw err("leading zero in a number") }
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                guard digits(&self) > 0 else { throw err("digit expected after '.'") }
            }
            if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
                i += 1
                if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
                guard digits(&self) > 0 else { throw err("digit expected in exponent") }
            }
            guard i - start <= 64, let d = Double(String(decoding: b[start..<i], as: UTF8.self)) else {
                throw err("invalid number")
            }
            return d
        }
        mutating func hex4() throws(ParseError) -> UInt32 {
            guard i + 4 <= b.count else { throw err("truncated \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = b[i]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: throw err("bad hex digit in \\u escape")
                }
                v = v * 16 + d
                i += 1
            }
            return v
        }
        mutating func string() throws(ParseError) -> String {
            i += 1 // opening quote
            var out: [UInt8] = []
            while true {
                guard i < b.count else { throw err("unterminated string") }
                let c = b[i]
                if c == UInt8(ascii: "\"") { i += 1; break }
                if c < 0x20 { throw err("control character in a string") }
                if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
                i += 1
                guard i < b.count else { throw err("unterminated escape") }
                let e = b[i]; i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var cp = try hex4()
                    if cp >= 0xD800 && cp < 0xDC00 {
                        guard i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else {
                            throw err("unpaired surrogate")
                        }
                        i += 2
                        let lo = try hex4()
                        guard lo >= 0xDC00 && lo < 0xE000 else { throw err("unpaired surrogate") }
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
                    } else if cp >= 0xDC00 && cp < 0xE000 {
                        throw err("unpaired surrogate")
                    }
                    guard let s = Unicode.Scalar(cp) else { throw err("invalid code point") }
                    out.append(contentsOf: Array(String(Character(s)).utf8))
                default: throw err("invalid escape")
                }
            }
            // RFC 8259 §8.1: text is UTF-8. Invalid bytes are refused, not replaced by U+FFFD
            // (which would make two different byte strings the same text).
            guard let text = String(validating: out, as: UTF8.self) else { throw err("invalid UTF-8 in a string") }
            return text
        }
    }
}

extension JSON {
    /// An object of these members, in key order.
    public init(_ members: [String: JSON]) {
        self = .object(members.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// The members of an object by key (the first of a repeated key), nil for other values.
    public var dictionary: [String: JSON]? {
        guard case let .object(o) = self else { return nil }
        var d: [String: JSON] = [:]
        for (k, v) in o where d[k] == nil { d[k] = v }
        return d
    }
}

extension JSON: Codable {
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        if let c = try? decoder.container(keyedBy: Key.self) {
            self = .object(try c.allKeys.map { ($0.stringValue, try c.decode(JSON.self, forKey: $0)) })
            return
        }
        if var c = try? decoder.unkeyedContainer() {
            var items: [JSON] = []
            while !c.isAtEnd { items.append(try c.decode(JSON.self)) }
            self = .array(items)
            return
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else { self = .string(try c.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .object(let o):
            var c = encoder.container(keyedBy: Key.self)
            for (k, v) in o { try c.encode(v, forKey: Key(stringValue: k)) }
        case .array(let a):
            var c = encoder.unkeyedContainer()
            for v in a { try c.encode(v) }
        case .null: var c = encoder.singleValueContainer(); try c.encodeNil()
        case .bool(let b): var c = encoder.singleValueContainer(); try c.encode(b)
        case .number(let n): var c = encoder.singleValueContainer(); try c.encode(n)
        case .string(let s): var c = encoder.singleValueContainer(); try c.encode(s)
        }
    }
}
