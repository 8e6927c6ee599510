import DeconflictCore

/// A problem in a traffic input, located by line and field so the user can fix it.
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var field: String?
    public var message: String
    /// The file, filled in by the adapter that knows it.
    public var file: String?

    public init(line: Int, field: String? = nil, message: String, file: String? = nil) {
        self.line = line; self.field = field; self.message = message; self.file = file
    }

    public var description: String {
        var s = file.map { "\($0):" } ?? ""
        s += "\(line): "
        if let field { s += "field '\(field)': " }
        return s + message
    }
}
