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

    /// The stack's CA key, for issuing certificates (`testenv/tlsgen.py`).
    static var caKeyFile: String { get throws { try value("TESTENV_CA_KEY") } }

    /// The venv's Python and the testenv folder, for the stack's helper scripts.
    static var python: String { get throws { try value("TESTENV_PYTHON") } }
    static var testenvDirectory: String { get throws { try value("TESTENV_DIR") } }

    /// The stack's SeaweedFS S3 endpoint, its read-write identity and bucket.
    static var s3Endpoint: String { get throws { try value("AWS_ENDPOINT_URL") } }
    static var s3AccessKeyID: String { get throws { try value("AWS_ACCESS_KEY_ID") } }
    static var s3SecretAccessKey: String { get throws { try value("AWS_SECRET_ACCESS_KEY") } }
    static var s3Bucket: String { get throws { try value("TASTER_BUCKET") } }
    /// An identity with only the Read and List actions.
    static var s3ReadOnlyAccessKeyID: String { get throws { try value("TESTENV_S3_READ_ACCESS_KEY_ID") } }
    static var s3ReadOnlySecretAccessKey: String { get throws { try value("TESTENV_S3_READ_SECRET_ACCESS_KEY") } }

    /// The Kubernetes API emulator (HTTPS, signed by `caFile`) and its bearer token.
    static var kubeURL: String { get throws { try value("TESTENV_KUBE_URL") } }
    static var kubeTokenFile: String { get throws { try value("TESTENV_KUBE_TOKEN_FILE") } }

    /// A name no other test uses, for collections, keys and namespaces (tests run in parallel).
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}
