import Foundation

/// The local stack's addresses and credentials, from the environment `scripts/with-stack.sh`
/// exports (testenv/.run/stack.env). Tests that need a server fail, never skip, when it is missing:
/// a green run must mean the servers were really there.
enum TestStack {
    struct NotRunning: Error, CustomStringConvertible {
        let variable: String
        var description: String {
            "\(variable) is not set: the local stack is not running. Run `make test`, or `make stack-up` and "
                + "`set -a; . testenv/.run/stack.env; set +a` before `swift test`."
        }
    }

    static func value(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { throw NotRunning(variable: name) }
        return value
    }

    /// The read-only `taster` user's connection string.
    static var mongoURI: String { get throws { try value("MONGODB_URI") } }
    /// A `root` user's connection string, for seeding data.
    static var mongoAdminURI: String { get throws { try value("TESTENV_MONGO_ADMIN_URI") } }
    static var database: String { get throws { try value("TASTER_DATABASE") } }

    /// A program in the stack's venv (secantusd-py, weed, kubectl, python).
    static func bin(_ name: String) throws -> String { try value("TESTENV_BIN") + "/" + name }

    /// The stack's test CA (PEM) and its key, for issuing certificates in TLS tests.
    static var caFile: String { get throws { try value("TESTENV_CA") } }

    /// A name no other test uses, for collections, keys and namespaces (tests run in parallel).
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}
