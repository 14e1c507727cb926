// swift-tools-version:6.0
import PackageDescription

// The layers of ../shared/docs/ARCHITECTURE.md, each depending only on those below it.
let package = Package(
    name: "spaceplan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "spaceplan", targets: ["spaceplan"]),
        .library(name: "SpacePlanKit", targets: ["SpacePlanKit"]),
        .library(name: "SpaceGeometry", targets: ["SpaceGeometry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Property-based tests (test target only).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // The workbench's HTTP server (Sources/Workbench) and its in-process router tests.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Passwords as bcrypt hashes (HummingbirdBcrypt only; it needs neither the server nor swift-crypto).
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        // The workbench's job runner is a service that stops with the server.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    ],
    targets: [
        // Layer 1: C libraries from Debian (libgeos-dev 3.11, libproj-dev 9.1).
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        // COIN-OR CBC (coinor-libcbc-dev 2.10, EPL-2.0): the exact solver of the allocation.
        .systemLibrary(name: "CCBC", pkgConfig: "cbc", providers: [.apt(["coinor-libcbc-dev"])]),
        // GDAL (libgdal-dev 3.6): the bureau's Shapefiles, GeoPackages, File Geodatabases and spreadsheets.
        .systemLibrary(name: "CGDAL", pkgConfig: "gdal", providers: [.apt(["libgdal-dev"])]),
        // SQLite (libsqlite3-dev, which libgdal-dev brings): the GeoPackage writer.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // libpq (libpq-dev 15): the shared store in PostGIS. Chosen over postgres-nio: the store is
        // synchronous like the SQLite one, bulk import goes through COPY, and no event loop is needed.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // OpenSSL's libcrypto (libssl-dev, which libpq-dev brings): SHA-256 of session tokens.
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // renameat2(RENAME_EXCHANGE), which Glibc's Swift module does not expose: output sets swap in whole.
        .target(name: "CFileSwap"),
        .target(name: "CHeap"),
        // Layer 2: core values without C: shapes, envelopes, CRS codes, JSON, GeoJSON, text and numbers, parallel helpers.
        .target(name: "SpaceCore"),
        // Layer 3: geometry (GEOS), CRS transforms (PROJ), Chinese web-map offsets and vector files
        // (GDAL). No pointer above it.
        .target(name: "SpaceGeometry", dependencies: ["SpaceCore", "CGEOS", "CPROJ", "CGDAL", "CSQLite", "CLibPQ"]),
        // Mixed-integer programmes solved by CBC (the allocation, the target programme).
        .target(name: "Optimisation", dependencies: ["CCBC"]),
        // Layer 4: the planner's layers: sources, schema, checks, configuration.
        .target(name: "SpaceData", dependencies: ["SpaceGeometry"]),
        // Layer 5: analysis, one module per question; typed results, no rendering, no files.
        .target(name: "SpaceMap", dependencies: ["SpaceData"]),
        .target(name: "Renewal", dependencies: ["SpaceMap"]),
        .target(name: "LandSupply", dependencies: ["Renewal"]),
        .target(name: "Allocation", dependencies: ["Optimisation", "SpaceMap"]),
        // Build-out capacity per parcel, and the programme of projects that reaches the targets.
        // Its FAR caps are development controls (SpaceData), not renewal's, so it stands beside Renewal.
        .target(name: "BuildOut", dependencies: ["Optimisation", "SpaceMap"]),
        // Time: the stock at each period's end from the store's history (StockHistory), and firms
        // moving up the incubation ladder year by year, placed by the allocation (Ladder).
        .target(name: "StockHistory", dependencies: ["SpaceMap"]),
        .target(name: "Ladder", dependencies: ["Allocation"]),
        // Synthetic districts at any scale, for the sample, tests and benchmarks.
        .target(name: "SampleDistrict", dependencies: ["SpaceData"]),
        // Layer 6: presentation. Cartography draws plain scene values (knows neither GEOS nor the analyses);
        // Reports turns each analysis into its files (JSON, CSV, Markdown, maps) and writes output sets.
        .target(name: "Cartography", dependencies: ["SpaceCore"]),
        .target(
            name: "Reports",
            dependencies: ["SpaceMap", "Renewal", "LandSupply", "Allocation", "BuildOut", "StockHistory", "Ladder", "Cartography", "CFileSwap"]),
        // The store (the system of record): the layers, documents and every change, in a GeoPackage
        // file or PostGIS; a source for the workspace and the only place edits are written.
        .target(name: "SpaceStore", dependencies: ["SpaceData"]),
        // Layer 7: the application core every front end shares.
        .target(name: "SpacePlanKit", dependencies: ["Reports", "SampleDistrict", "SpaceStore", "CHeap"]),
        // The platform: people and their roles, sessions, what each may change, firms' applications
        // and the bureau's matching rounds, all kept in the store; no HTTP (the workbench serves it).
        .target(name: "Platform", dependencies: ["SpacePlanKit", "CLibCrypto", .product(name: "HummingbirdBcrypt", package: "hummingbird-auth")]),
        // Layer 8: front ends. The workbench: the HTTP server (OGC API – Features, the JSON API) and its page.
        .target(name: "Workbench", dependencies: ["SpacePlanKit", "Platform", .product(name: "Hummingbird", package: "hummingbird"),
                                         .product(name: "HummingbirdCore", package: "hummingbird"),
                                         .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
                resources: [.copy("Resources/web")]),
        // The command-line tool: argument parsing and printing; `serve` starts the workbench.
        .executableTarget(
            name: "spaceplan",
            dependencies: ["SpacePlanKit", "Platform", "Workbench", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // The allocation benchmark (bench/allocation.sh): heuristic, LP relaxation and exact optimum side by side.
        // A benchmark, not a front end: it times the solvers themselves, below the workspace.
        .executableTarget(name: "allocation-bench", dependencies: ["SpacePlanKit", "Allocation", "SpaceData", "SpaceCore"], path: "Sources/allocation-bench"),
        // The store benchmark (bench/store.sh): opening a workspace from files or a store, and an edit to new figures.
        .executableTarget(name: "store-bench", dependencies: ["SpacePlanKit", "SpaceData", "SpaceCore"], path: "Sources/store-bench"),

        // Tests: one target per module, helpers shared through TestSupport.
        .target(name: "TestSupport", dependencies: ["SpaceMap", "Allocation"], path: "Tests/TestSupport"),
        .testTarget(name: "SpaceCoreTests", dependencies: ["SpaceCore", "TestSupport"]),
        .testTarget(name: "SpaceGeometryTests", dependencies: ["SpaceGeometry", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SpaceDataTests", dependencies: ["SpaceData", "TestSupport"]),
        .testTarget(name: "SpaceMapTests", dependencies: ["SpaceMap", "Reports", "TestSupport",
                                                          .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "RenewalTests", dependencies: ["Renewal", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LandSupplyTests", dependencies: ["LandSupply", "TestSupport",
                                                            .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "OptimisationTests", dependencies: ["Optimisation"]),
        .testTarget(name: "AllocationTests", dependencies: ["Allocation", "SampleDistrict", "TestSupport"], resources: [.copy("Fixtures")]),
        // Renewal for the shipped renewal.json (its FAR caps, the modes that displace firms).
        .testTarget(name: "BuildOutTests", dependencies: ["BuildOut", "Renewal", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LadderTests", dependencies: ["Ladder", "StockHistory", "Allocation", "SpaceData", "SpaceCore", "TestSupport"]),
        .testTarget(name: "SampleDistrictTests", dependencies: ["SampleDistrict", "TestSupport"]),
        // The maps are drawn from scenes that Reports builds from the sample and the Futian layers, as the tool draws them.
        .testTarget(name: "CartographyTests", dependencies: ["Cartography", "Reports", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "TestSupport"]),
        .testTarget(
            name: "SpacePlanKitTests",
            dependencies: ["SpacePlanKit", "TestSupport", "SpaceCore", "SpaceData", "SpaceGeometry", "SpaceMap", "SpaceStore", "Renewal", "LandSupply", "Allocation", "Ladder"]),
        .testTarget(name: "PlatformTests", dependencies: ["Platform", "SpacePlanKit", "TestSupport", "SpaceStore", "SpaceData", "SpaceCore"]),
        .testTarget(name: "spaceplanTests", dependencies: ["SpacePlanKit", "TestSupport", "SpaceCore", "SpaceData", "SpaceGeometry", "SpaceMap"]),
        .testTarget(name: "WorkbenchTests", dependencies: ["Workbench", "Platform", "TestSupport", "SpaceGeometry", "SpaceCore", "SpaceData", "Cartography", "Reports", "BuildOut",
                                                           .product(name: "HummingbirdTesting", package: "hummingbird")]),
    ],
    swiftLanguageModes: [.v6]
)

// Fuzz targets (scripts/fuzz.sh): libFuzzer entry points over the readers, declared only when
// SPACEPLAN_FUZZ is set, built with -sanitize=fuzzer into their own scratch path (.build-fuzz).
if Context.environment["SPACEPLAN_FUZZ"] != nil {
    // No top-level code: each target's entry point (MODULE_main, as SwiftPM links it) runs libFuzzer's driver.
    let library: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]
    package.targets += [
        .target(name: "CFuzzDriver", path: "Fuzz/CFuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzDriver"], path: "Fuzz/FuzzSupport"),
        .executableTarget(name: "fuzz-geojson", dependencies: ["FuzzSupport", "SpaceData"], path: "Fuzz/fuzz-geojson", swiftSettings: library),
        .executableTarget(name: "fuzz-csv", dependencies: ["FuzzSupport", "SpaceData"], path: "Fuzz/fuzz-csv", swiftSettings: library),
        .executableTarget(name: "fuzz-manifest", dependencies: ["FuzzSupport", "SpaceData"], path: "Fuzz/fuzz-manifest", swiftSettings: library),
        .executableTarget(name: "fuzz-config", dependencies: ["FuzzSupport", "LandSupply", "Allocation"], path: "Fuzz/fuzz-config", swiftSettings: library),
        .executableTarget(name: "fuzz-wkb", dependencies: ["FuzzSupport", "SpaceCore"], path: "Fuzz/fuzz-wkb", swiftSettings: library),
    ]
}
