/// Independent checks of the archive file: a Python auditor script and the sqlite3 CLI.

import EvidenceSigning
import Foundation
import TableModel
import Testing

@testable import EvidenceArchive

struct ArchiveInteropTests {
    @Test(arguments: KeyAlgorithm.allCases)
    func `a Python auditor recomputes roots, signatures and proofs without PathProof`(
        algorithm: KeyAlgorithm
    ) throws {
        try requirePeerModule("cryptography")
        let fixture = try ArchiveFixture(algorithm: algorithm)
        defer { fixture.cleanUp() }
        let archive = try fixture.populate(6)
        try fixture.key.publicKeyPEM.write(
            toFile: fixture.directory + "/pub.pem", atomically: true, encoding: .utf8)
        let proofs = Dynamic.object([
            "inclusion": .array(
                try (0..<6).map { try archive.inclusionProof(index: $0).jsonValue }),
            "consistency": .array(
                try (1...6).map { try archive.consistencyProof(from: $0).jsonValue }),
        ])
        let proofsPath = fixture.directory + "/proofs.json"
        try Data(try CanonicalJSON.encode(proofs)).write(to: URL(fileURLWithPath: proofsPath))
        let peer = scriptPath("signing-archive-peer.py")

        let honest = try runTool([
            testPython, peer, fixture.path, fixture.directory + "/pub.pem", proofsPath,
        ])
        #expect(honest.status == 0, "\(honest.output)")
        let notes = algorithm == .ed25519 ? 6 : 0
        #expect(honest.output == "ok 6 leaves, 6 signed checkpoints, \(notes) signed notes\n")

        try fixture.dropGuards()
        try fixture.tamper(
            "UPDATE leaves SET envelope = CAST(replace(CAST(envelope AS TEXT), 'a', 'b') AS BLOB) WHERE idx = 4"
        )
        let tampered = try runTool([testPython, peer, fixture.path, fixture.directory + "/pub.pem"])
        #expect(tampered.status == 1)
        #expect(tampered.output.contains("leaf 4: stored hash differs"))
        #expect(tampered.output.contains("checkpoint 5: root does not match"))
    }

    @Test func `the sqlite3 CLI and verify both report a damaged file`() throws {
        let fixture = try ArchiveFixture()
        defer { fixture.cleanUp() }
        try fixture.populate(40)
        #expect(
            try fixture.sqlite("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA integrity_check;").output
                .hasSuffix("ok\n"))
        let number = { (sql: String) throws -> Int in
            Int(try fixture.sqlite(sql).output.trimmingCharacters(in: .whitespacesAndNewlines))!
        }
        let pageSize = try number("PRAGMA page_size")
        let rootPage = try number("SELECT rootpage FROM sqlite_master WHERE name = 'leaves'")

        // Overwrite the b-tree page header of the leaves table's root page with garbage.
        let handle = try #require(FileHandle(forUpdatingAtPath: fixture.path))
        try handle.seek(toOffset: UInt64(pageSize * (rootPage - 1)))
        handle.write(Data(repeating: 0xA5, count: 12))
        try handle.close()

        let cli = try fixture.sqlite("PRAGMA integrity_check")
        #expect(cli.output != "ok\n")
        let result = try fixture.open().verify(trustedKeys: [fixture.key.publicKey])
        #expect(!result.isValid)
        #expect(result.problems.contains { if case .databaseCorrupt = $0 { true } else { false } })
        #expect(result.latestVerified == nil)
    }
}
