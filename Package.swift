// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "promptgate",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "promptgate", targets: ["promptgate"]),
    .executable(name: "promptgate-bench", targets: ["promptgate-bench"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
  ],
  targets: [
    .systemLibrary(
      name: "Clibgit2",
      pkgConfig: "libgit2",
      providers: [.apt(["libgit2-dev"])]
    ),
    .systemLibrary(
      name: "CYAML",
      pkgConfig: "yaml-0.1",
      providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
    ),
    // GSSAPI for libgit2's Negotiate auth, loaded when a server first asks for it.
    .target(name: "CGSSAPI"),
    .target(name: "Git", dependencies: ["Clibgit2", "CGSSAPI"]),
    .target(
      name: "PromptgateCore",
      dependencies: [
        "Git", "CYAML", .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "_CryptoExtras", package: "swift-crypto"),
      ]
    ),
    .executableTarget(
      name: "promptgate",
      dependencies: [
        "PromptgateCore", "Git",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(
      name: "promptgate-bench",
      dependencies: ["PromptgateCore", "TestSupport"],
      path: "Benchmarks"
    ),
    .target(name: "TestSupport", dependencies: ["PromptgateCore"], path: "Tests/TestSupport"),
    .testTarget(name: "GitTests", dependencies: ["Git", "CGSSAPI", "TestSupport"]),
    // Yams only as the oracle of YAMLReaderTests, until the reader has replaced it for a while.
    .testTarget(
      name: "PromptgateCoreTests",
      dependencies: ["PromptgateCore", "Git", "TestSupport", .product(name: "Yams", package: "Yams")],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "PromptgateCLITests", dependencies: ["promptgate", "PromptgateCore", "Git", "TestSupport"],
      exclude: ["Golden", "Fixtures"]),
  ],
  swiftLanguageModes: [.v6]
)
