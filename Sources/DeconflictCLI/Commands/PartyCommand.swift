import ArgumentParser
import DeconflictServer
import Foundation

/// `deconflict party add|revoke|list`: the parties allowed on the channel.
struct PartyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "party",
        abstract: "Register parties, mint their tokens, revoke them.",
        subcommands: [Add.self, Revoke.self, List.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a party (or re-enable it) and print a new token on stdout.")
        @Argument(help: "Party name: 1–64 of letters, digits, - _ .") var name: String
        @OptionGroup var data: DataOptions
        @Option(help: "Space-separated scopes (\(Scope.allCases.map(\.rawValue).joined(separator: " "))).")
        var scopes: String = Scope.defaultGrant.map(\.rawValue).joined(separator: " ")
        @Option(help: "Token lifetime, seconds.") var ttl: Double = 12 * 3600

        func validate() throws {
            guard PartyName.isValid(name) else { throw ValidationError("invalid party name '\(name)'") }
            guard ttl > 0, ttl <= 366 * 86400 else { throw ValidationError("--ttl must be 1 s … 1 year") }
            _ = try Scope.parse(scopes)
        }

        func run() async throws {
            let token = try await PartyTokens.issue(data.url, audience: data.audience, party: name,
                                                    scopes: try Scope.parse(scopes), ttl: ttl)
            FileHandle.standardError.write(Data("party \(name) registered in \(data.url.path); token (expires in \(Int(ttl)) s):\n".utf8))
            print(token)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Refuse a party's tokens (by name), or one token (--jti). A running server sees it at once.")
        @Argument(help: "Party name.") var name: String?
        @Option(help: "Revoke one token by its jti.") var jti: String?
        @OptionGroup var data: DataOptions

        func validate() throws {
            guard (name == nil) != (jti == nil) else { throw ValidationError("give a party name or --jti, not both") }
        }

        func run() async throws {
            let registry = try FilePartyRegistry(try DataDirectory(data.url))
            if let jti {
                try registry.revoke(jti: jti)
                print("revoked token \(jti)")
            } else if let name {
                guard try registry.revoke(party: name) else { throw ValidationError("no party named '\(name)'") }
                print("revoked party \(name) and all its tokens")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List parties.")
        @OptionGroup var data: DataOptions

        func run() async throws {
            let registry = try FilePartyRegistry(try DataDirectory(data.url))
            for p in registry.parties() {
                print("\(p.name)\t\(p.revoked ? "revoked" : "active")\t\(p.scopes.joined(separator: " "))")
            }
        }
    }
}
