// swift-tools-version:6.0
// PathProof: prove that Key Vault key access took the private path, from the logs.
// The targets follow the pipeline: logs → workspace → KQL → rows → evidence analysis → signed archive.

import PackageDescription

let package = Package(
    name: "PathProof",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pathproof", targets: ["pathproof"])
    ],
    targets: [
        // C libraries from Debian (libsqlite3-dev, libssl-dev).
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        // Shared vocabulary: KQL types, values, tables, JSON.
        .target(name: "TableModel"),
        // A small, safe wrapper over SQLite used by the workspace and the archive.
        .target(name: "SQLiteSupport", dependencies: ["CSQLite"]),
        // Stage 1: decoding Log Analytics query responses row by row.
        .target(name: "RowDecoding", dependencies: ["TableModel"]),
        // Stage 2: exported Key Vault logs into a Log Analytics-shaped SQLite workspace.
        .target(name: "Workspace", dependencies: ["TableModel", "SQLiteSupport", "RowDecoding"]),
        // Stage 3: the embedded KQL engine.
        .target(name: "KQLEngine", dependencies: ["TableModel"]),
        // Stage 3 (remote): the Log Analytics query API client.
        .target(name: "LogAnalytics", dependencies: ["TableModel", "RowDecoding", "CCrypto"]),
        // Stage 4: the evidence analyzer and proof policy.
        .target(name: "EvidenceAnalysis", dependencies: ["TableModel"]),
        // Stage 5: signing (DSSE, in-toto) and the tamper-evident archive.
        .target(name: "EvidenceSigning", dependencies: ["CCrypto", "TableModel"]),
        .target(name: "EvidenceArchive", dependencies: ["EvidenceSigning", "SQLiteSupport", "TableModel"]),
        // Stage 6: the auditor's export bundle (manifest, HTML, OCSF, JUnit) and report diffs.
        .target(
            name: "EvidenceExport",
            dependencies: ["EvidenceArchive", "EvidenceSigning", "EvidenceAnalysis", "TableModel"]
        ),
        // The commands, as a library so tests can drive them; the executable is a thin shell.
        .target(
            name: "PathProofCommands",
            dependencies: [
                "TableModel", "Workspace", "KQLEngine", "LogAnalytics", "EvidenceAnalysis",
                "EvidenceSigning", "EvidenceArchive", "RowDecoding", "EvidenceExport",
            ]
        ),
        .executableTarget(name: "pathproof", dependencies: ["PathProofCommands"]),
        // Seeded mutation fuzzing of every parser that reads untrusted input (see scripts/fuzz.sh).
        .executableTarget(
            name: "pathproof-fuzz",
            dependencies: [
                "TableModel", "KQLEngine", "RowDecoding", "Workspace", "EvidenceArchive", "EvidenceSigning",
            ]
        ),

        .testTarget(name: "TableModelTests", dependencies: ["TableModel"]),
        .testTarget(name: "SQLiteSupportTests", dependencies: ["SQLiteSupport"]),
        .testTarget(name: "RowDecodingTests", dependencies: ["RowDecoding", "TableModel"]),
        .testTarget(
            name: "WorkspaceTests", dependencies: ["Workspace", "TableModel", "SQLiteSupport", "KQLEngine"]),
        .testTarget(
            name: "KQLEngineTests", dependencies: ["KQLEngine", "TableModel"],
            // Corpora and locked case lists, read by path from the tests.
            exclude: ["Conformance"]
        ),
        .testTarget(name: "LogAnalyticsTests", dependencies: ["LogAnalytics", "TableModel", "RowDecoding"]),
        .testTarget(name: "EvidenceAnalysisTests", dependencies: ["EvidenceAnalysis", "TableModel"]),
        .testTarget(name: "EvidenceSigningTests", dependencies: ["EvidenceSigning"]),
        .testTarget(name: "EvidenceArchiveTests", dependencies: ["EvidenceArchive", "EvidenceSigning"]),
        .testTarget(
            name: "EvidenceExportTests",
            dependencies: ["EvidenceExport", "EvidenceArchive", "EvidenceSigning", "TableModel"]
        ),
        .testTarget(
            name: "RobustnessTests",
            dependencies: [
                "PathProofCommands", "TableModel", "KQLEngine", "RowDecoding", "Workspace", "EvidenceArchive",
                "EvidenceSigning",
            ]
        ),
        .testTarget(
            name: "PathProofCommandsTests",
            dependencies: ["PathProofCommands", "TableModel", "Workspace", "EvidenceSigning", "EvidenceArchive"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
