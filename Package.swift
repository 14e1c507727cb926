// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "spaceplan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "spaceplan", targets: ["spaceplan"]),
        .library(name: "SpaceGeometry", targets: ["SpaceGeometry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Layer 1: C libraries from Debian (libgeos-dev 3.11, libproj-dev 9.1).
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        // Layer 2: geometry, GeoJSON/WKT/WKB, CRS and Chinese web-map offsets.
        .target(name: "SpaceGeometry", dependencies: ["CGEOS", "CPROJ"]),
        // Layer 6: the command-line tool.
        .executableTarget(
            name: "spaceplan",
            dependencies: [
                "SpaceGeometry",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "SpaceGeometryTests",
            dependencies: ["SpaceGeometry"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v5]
)
