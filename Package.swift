// swift-tools-version: 6.1
import PackageDescription

// The targets are the architecture (README, "Development"):
//
//   C modules ─ thin wrappers that own every C pointer ─ adapters ─▶ core ◀─ the executable wires them
//
// The core (checks, snapshots, reports, comparison, verdicts, the workflows and the ports they
// talk through) imports no C module; each adapter implements some of its ports.
let package = Package(
    name: "taster",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "taster", targets: ["taster"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // HMAC/SHA-256 for our own AWS Signature V4 and the fingerprint check.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // MARK: C modules

        // libmongoc + libbson, used directly.
        .systemLibrary(
            name: "TasterCMongoC",
            pkgConfig: "libmongoc-1.0",
            providers: [.apt(["libmongoc-dev", "libbson-dev"])]
        ),
        // libpq: PostgreSQL, used directly.
        .systemLibrary(
            name: "TasterCPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // libcurl: the Kubernetes API, S3 and notifications.
        .systemLibrary(
            name: "TasterCCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // libyaml: checks files and kubeconfigs (a Foundation-free YAML reader keeps the image small).
        .systemLibrary(
            name: "TasterCYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // Typed, non-variadic wrappers for curl_easy_setopt / curl_easy_getinfo.
        .target(
            name: "TasterCurlShims",
            dependencies: ["TasterCCurl"]
        ),
        // SIGTERM/SIGINT: a signal-safe handler that writes each signal to a pipe.
        .target(name: "TasterSignalShims"),

        // MARK: Support and the HTTP client

        // Durations, deadlines, blocking calls, signals, secrets and their scrubbing, logging,
        // YAML reading, reading settings from the environment.
        .target(
            name: "TasterSupport",
            dependencies: [
                "TasterSignalShims",
                "TasterCYAML",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A libcurl HTTP client: retries, TLS, streaming.
        .target(
            name: "TasterHTTP",
            dependencies: [
                "TasterSupport",
                "TasterCCurl",
                "TasterCurlShims",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Core

        // Checks, snapshots, reports, comparison, verdicts, the workflows, and the ports through
        // which they reach the outside. Imports no C module.
        .target(
            name: "TasterCore",
            dependencies: [
                "TasterSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                // PBKDF2 of the evidence key (BoringSSL's, fast in debug builds too).
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),

        // MARK: Adapters: each implements ports of the core and owns its C handles

        // MongoDB through libmongoc/libbson: connecting, waiting, measuring checks.
        .target(
            name: "TasterMongo",
            dependencies: [
                "TasterCore",
                "TasterSupport",
                "TasterCMongoC",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // PostgreSQL through libpq: connecting, one read-only transaction per snapshot, the checks in SQL.
        .target(
            name: "TasterPostgres",
            dependencies: [
                "TasterCore",
                "TasterSupport",
                "TasterCPQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // S3-compatible storage: our own SigV4, the report store.
        .target(
            name: "TasterS3",
            dependencies: [
                "TasterCore",
                "TasterSupport",
                "TasterHTTP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The Kubernetes API: kubeconfig and in-cluster access, scaling, readiness, Jobs, Events.
        .target(
            name: "TasterKubernetes",
            dependencies: [
                "TasterCore",
                "TasterSupport",
                "TasterHTTP",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Notifications: the verdict posted to a webhook.
        .target(
            name: "TasterNotify",
            dependencies: [
                "TasterCore",
                "TasterSupport",
                "TasterHTTP",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Metrics: a run's families pushed to a Prometheus Pushgateway.
        .target(
            name: "TasterMetrics",
            dependencies: [
                "TasterCore",
                "TasterSupport",
                "TasterHTTP",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Settings and the executable

        // Every setting from the environment and flags, validated at once; `--show-settings` and
        // `taster help settings`.
        .target(
            name: "TasterSettings",
            dependencies: [
                "TasterCore",
                "TasterSupport",
                "TasterHTTP",
                "TasterMongo",
                "TasterPostgres",
                "TasterS3",
                "TasterKubernetes",
                "TasterNotify",
                "TasterMetrics",
            ]
        ),
        // The commands, and the one place that wires adapters into workflows (Wiring/).
        .executableTarget(
            name: "taster",
            dependencies: [
                "TasterCore",
                "TasterSupport",
                "TasterHTTP",
                "TasterMongo",
                "TasterPostgres",
                "TasterS3",
                "TasterKubernetes",
                "TasterNotify",
                "TasterMetrics",
                "TasterSettings",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "TasterCoreTests",
            dependencies: [
                "TasterCore",
                "TasterSupport",
                "TasterHTTP",
                "TasterMongo",
                "TasterPostgres",
                "TasterS3",
                "TasterKubernetes",
                "TasterNotify",
                "TasterMetrics",
                "TasterSettings",
                "TasterPostgres",
                "TasterCMongoC",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
