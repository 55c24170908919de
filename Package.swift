// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "taster",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "taster", targets: ["taster"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // HMAC/SHA-256 for our own AWS Signature V4 and the fingerprint check.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // libmongoc + libbson, used directly.
        .systemLibrary(
            name: "TasterCMongoC",
            pkgConfig: "libmongoc-1.0",
            providers: [.apt(["libmongoc-dev", "libbson-dev"])]
        ),
        // libcurl: the Kubernetes API and S3.
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
        .target(
            name: "TasterCore",
            dependencies: [
                "TasterCMongoC",
                "TasterCCurl",
                "TasterCurlShims",
                "TasterSignalShims",
                "TasterCYAML",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "taster",
            dependencies: [
                "TasterCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "TasterCoreTests",
            dependencies: [
                "TasterCore",
                "TasterCMongoC",
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
