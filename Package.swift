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
        // Property-based tests (test target only).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // Layer 1: C libraries from Debian (libgeos-dev 3.11, libproj-dev 9.1).
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        // COIN-OR CBC (coinor-libcbc-dev 2.10, EPL-2.0): the exact solver of the allocation.
        .systemLibrary(name: "CCBC", pkgConfig: "cbc", providers: [.apt(["coinor-libcbc-dev"])]),
        // Layer 2: geometry, GeoJSON/WKT/WKB, CRS and Chinese web-map offsets.
        .target(name: "SpaceGeometry", dependencies: ["CGEOS", "CPROJ"]),
        // Layer 3: the planner's layers, their schema, loaders and checks.
        .target(name: "SpaceData", dependencies: ["SpaceGeometry"]),
        // Layer 4: analysis, one module per question. The space map: joins and aggregates.
        .target(name: "SpaceMap", dependencies: ["SpaceData", "SpaceGeometry"]),
        // Renewal proposals: what each unit touches, changes and displaces, its compliance and rank.
        .target(name: "Renewal", dependencies: ["SpaceMap", "SpaceData", "SpaceGeometry", "Cartography"]),
        // Flexible land supply: scenarios year by year against the targets, and firms' land cost.
        .target(name: "LandSupply", dependencies: ["Renewal", "SpaceMap", "SpaceData", "SpaceGeometry", "Cartography"]),
        // Incoming firms placed in vacant tech-cultivation space: an exact MIP and a fast heuristic.
        .target(name: "Allocation", dependencies: ["CCBC", "SpaceMap", "SpaceData", "SpaceGeometry"]),
        // Layer 5: SVG maps and charts; draws plain shapes, knows nothing of GEOS.
        .target(name: "Cartography", dependencies: ["SpaceMap", "SpaceData", "SpaceGeometry"]),
        // Synthetic districts at any scale, for the sample, tests and benchmarks.
        .target(name: "SampleDistrict", dependencies: ["SpaceData", "SpaceGeometry"]),
        // Layer 6: the command-line tool.
        .executableTarget(
            name: "spaceplan",
            dependencies: [
                "SpaceGeometry",
                "SpaceData",
                "SpaceMap",
                "Cartography",
                "SampleDistrict",
                "Renewal",
                "LandSupply",
                "Allocation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The allocation benchmark (bench/allocation.sh): heuristic, LP relaxation and exact optimum side by side.
        .executableTarget(name: "allocation-bench", dependencies: ["Allocation", "SpaceMap", "SpaceData", "SpaceGeometry"], path: "Sources/allocation-bench"),
        .testTarget(
            name: "SpaceGeometryTests",
            dependencies: ["SpaceGeometry"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "AllocationTests",
            dependencies: ["Allocation", "SpaceMap", "SpaceData", "SpaceGeometry", "SampleDistrict"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "CartographyTests",
            dependencies: ["Cartography", "SpaceMap", "SpaceData", "SpaceGeometry"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SpaceMapTests",
            dependencies: ["SpaceMap", "SpaceData", "SpaceGeometry", "SampleDistrict", "Renewal", "LandSupply",
                           .product(name: "PropertyBased", package: "swift-property-based")],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v5]
)
