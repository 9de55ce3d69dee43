/// Tests of the evidence archive: appends, checkpoints, proofs, and every kind of tampering named.

import EvidenceSigning
import Foundation
import SQLiteSupport
import Testing

@testable import EvidenceArchive

struct EvidenceArchiveTests {
    @Test(arguments: KeyAlgorithm.allCases)
    func `an honest archive verifies with a signed checkpoint per append`(algorithm: KeyAlgorithm)
        throws
    {
        let fixture = try ArchiveFixture(algorithm: algorithm)
        defer { fixture.cleanUp() }
        let archive = try fixture.populate(7)

        let result = try archive.verify(trustedKeys: [fixture.key.publicKey])
        #expect(result.problems == [])
        #expect(result.leafCount == 7)
        #expect(result.checkpointCount == 7)
        #expect(result.latestVerified?.size == 7)
        #expect(result.keyIDsUsed == [fixture.key.keyID])

        let latest = try #require(try archive.latestCheckpoint())
        #expect(latest.checkpoint.body.hasPrefix(archive.origin + "\n7\n"))
        #expect(try latest.verify(keys: [fixture.key.publicKey]) == fixture.key.keyID)
        // The leaf is the exact envelope: anyone can recompute its hash from the exported file.
        let entry = try archive.entry(at: 3)
        #expect(entry.leafHash == sha256([0] + entry.envelope))
        #expect(entry.metadata.runID == "run-3")
        #expect(entry.report == (try fixture.signedReport(3).report))
    }

    @Test
    func `inclusion and consistency proofs from the archive verify against signed checkpoints`()
        throws
    {
        let fixture = try ArchiveFixture()
        defer { fixture.cleanUp() }
        let archive = try fixture.populate(11)
        let checkpoints = try archive.checkpoints()
        #expect(checkpoints.map(\.checkpoint.size) == Array(1...11))

        for index in 0..<11 {
            let proof = try archive.inclusionProof(index: index)
            #expect(proof.root == checkpoints[10].checkpoint.root)
            try proof.verify()
            var bad = proof
            bad.leafIndex = (index + 1) % 11
            #expect(throws: ArchiveError.self) { try bad.verify() }
        }
        for from in 1...11 {
            let proof = try archive.consistencyProof(from: from)
            #expect(proof.fromRoot == checkpoints[from - 1].checkpoint.root)
            try proof.verify()
        }
        #expect(throws: ArchiveError.self) { try archive.inclusionProof(index: 11) }
        #expect(throws: ArchiveError.self) { try archive.consistencyProof(from: 0) }
    }

    @Test func `the guard triggers refuse updates and deletes from the sqlite3 CLI`() throws {
        let fixture = try ArchiveFixture()
        defer { fixture.cleanUp() }
        try fixture.populate(3)

        for sql in [
            "UPDATE leaves SET envelope = x'00' WHERE idx = 1", "DELETE FROM leaves WHERE idx = 2",
            "DELETE FROM checkpoints WHERE size = 3",
            "UPDATE meta SET value = 'x' WHERE key = 'origin'",
            "INSERT INTO leaves(idx, leaf_hash, envelope, report, kind, appended_at) "
                + "VALUES (9, zeroblob(32), x'00', x'', 'report', 'now')",
        ] {
            let result = try fixture.sqlite(sql)
            #expect(result.status != 0, "\(sql)")
            #expect(result.output.contains("evidence archive:"), "\(result.output)")
        }
        #expect(try fixture.sqlite("PRAGMA integrity_check").output == "ok\n")
        #expect(try fixture.open().verify(trustedKeys: [fixture.key.publicKey]).isValid)
    }

    @Test func `an append whose checkpoint cannot be signed leaves nothing behind`() throws {
        struct BrokenSigner: EvidenceSigner {
            let inner: SigningKey
            var keyID: String { inner.keyID }
            var publicKeyPEM: String { inner.publicKeyPEM }
            var algorithm: KeyAlgorithm { inner.algorithm }
            func sign(_ message: [UInt8]) throws -> [UInt8] {
                throw SigningError.signatureInvalid(reason: "HSM offline")
            }
        }
        let fixture = try ArchiveFixture()
        defer { fixture.cleanUp() }
        let archive = try fixture.populate(2)
        let signed = try fixture.signedReport(2)

        #expect(throws: ArchiveError.self) {
            try archive.append(
                envelope: signed.envelope, report: signed.report, metadata: ArchiveMetadata(),
                signer: BrokenSigner(inner: fixture.key))
        }
        #expect(try archive.count() == 2)
        #expect(try archive.checkpoints().count == 2)
        #expect(try archive.verify(trustedKeys: [fixture.key.publicKey]).isValid)
        try archive.append(
            envelope: signed.envelope, report: signed.report, metadata: ArchiveMetadata(),
            signer: fixture.key)
        #expect(try archive.verify(trustedKeys: [fixture.key.publicKey]).latestVerified?.size == 3)
    }

    @Test func `a report not named by its envelope is refused at append`() throws {
        let fixture = try ArchiveFixture()
        defer { fixture.cleanUp() }
        let archive = try fixture.open()
        let signed = try fixture.signedReport(0)
        #expect(throws: ArchiveError.self) {
            try archive.append(
                envelope: signed.envelope, report: Array("other".utf8), metadata: ArchiveMetadata(),
                signer: fixture.key
            )
        }
        #expect(throws: ArchiveError.self) {
            try archive.append(
                envelope: Array("{}".utf8), report: [], metadata: ArchiveMetadata(),
                signer: fixture.key)
        }
        #expect(try archive.count() == 0)
    }

    @Test func `a SQLite file that is not an archive is refused`() throws {
        let fixture = try ArchiveFixture()
        defer { fixture.cleanUp() }
        #expect(try fixture.sqlite("CREATE TABLE t(x)").status == 0)
        do {
            _ = try fixture.open()
            Issue.record("opened a foreign database")
        } catch {
            #expect("\(error)".contains("is not a PathProof evidence archive"))
        }
    }

    @Test func `reopening keeps the origin and appends continue the same log`() throws {
        let fixture = try ArchiveFixture()
        defer { fixture.cleanUp() }
        let origin = try fixture.populate(2).origin
        let reopened = try fixture.open()
        #expect(reopened.origin == origin)
        let signed = try fixture.signedReport(2)
        try reopened.append(
            envelope: signed.envelope, report: signed.report, metadata: ArchiveMetadata(),
            signer: fixture.key)
        #expect(try reopened.verify(trustedKeys: [fixture.key.publicKey]).problems == [])
    }
}

struct SignedNoteTests {
    @Test func `Ed25519 checkpoints carry a C2SP signed note and ECDSA ones do not`() throws {
        let edwards = try ArchiveFixture(algorithm: .ed25519)
        defer { edwards.cleanUp() }
        let signed = try #require(try edwards.populate(2).latestCheckpoint())
        let note = try #require(signed.note)
        let lines = note.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 6)
        #expect(
            note.hasPrefix(signed.checkpoint.body + "\n\u{2014} " + signed.checkpoint.origin + " "))
        let blob = try #require(Base64.decode(String(lines[4].split(separator: " ")[2])))
        #expect(blob.count == 4 + 64)
        #expect(
            try SignedNote.verify(
                note, name: signed.checkpoint.origin, publicKey: edwards.key.publicKey)
                == signed.checkpoint.body)

        let ecdsa = try ArchiveFixture(algorithm: .ecdsaP256)
        defer { ecdsa.cleanUp() }
        #expect(try ecdsa.populate(1).latestCheckpoint()?.note == nil)
    }

    @Test func `a note signed by another key or over another body is refused`() throws {
        let fixture = try ArchiveFixture(algorithm: .ed25519)
        defer { fixture.cleanUp() }
        let signed = try #require(try fixture.populate(1).latestCheckpoint())
        let note = try #require(signed.note)
        let stranger = try SigningKey.generate(.ed25519)
        #expect(throws: ArchiveError.self) {
            try SignedNote.verify(
                note, name: signed.checkpoint.origin, publicKey: stranger.publicKey)
        }
        let edited = note.replacingOccurrences(of: "\n1\n", with: "\n2\n")
        #expect(throws: ArchiveError.self) {
            try SignedNote.verify(
                edited, name: signed.checkpoint.origin, publicKey: fixture.key.publicKey)
        }

        try fixture.dropGuards()
        try fixture.tamper(
            "UPDATE checkpoints SET note = replace(note, char(10) || '1' || char(10), "
                + "char(10) || '2' || char(10))")
        let problems = try fixture.open().verify(trustedKeys: [fixture.key.publicKey]).problems
        #expect(
            problems.contains {
                if case .checkpointInvalid(size: 1, _) = $0 { true } else { false }
            })
    }
}

struct ArchiveConcurrencyTests {
    @Test func `a new archive file is readable by its owner only`() throws {
        let fixture = try ArchiveFixture()
        defer { fixture.cleanUp() }
        try fixture.populate(1)
        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func `several first runs opening a new archive at once agree on one log`() throws {
        let fixture = try ArchiveFixture()
        defer { fixture.cleanUp() }
        let origins = FailureList()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                origins.add(try fixture.open().origin)
            } catch {
                origins.add("failed: \(error)")
            }
        }
        #expect(origins.items.count == 4)
        #expect(Set(origins.items).count == 1, "\(origins.items)")
        #expect(origins.items.first?.hasPrefix("pathproof.local/archive/") == true)
    }

    @Test func `writers on separate connections append without losing or duplicating leaves`()
        throws
    {
        let fixture = try ArchiveFixture()
        defer { fixture.cleanUp() }
        try fixture.populate(1)
        let envelopes = try (1...16).map { try fixture.signedReport($0) }
        let failures = FailureList()
        DispatchQueue.concurrentPerform(iterations: 4) { writer in
            do {
                let archive = try fixture.open()
                for number in stride(from: writer, to: 16, by: 4) {
                    try archive.append(
                        envelope: envelopes[number].envelope, report: envelopes[number].report,
                        metadata: ArchiveMetadata(runID: "writer-\(writer)"), signer: fixture.key)
                }
            } catch {
                failures.add("\(error)")
            }
        }
        #expect(failures.items == [])
        let result = try fixture.open().verify(trustedKeys: [fixture.key.publicKey])
        #expect(result.problems == [])
        #expect(result.leafCount == 17)
        #expect(result.checkpointCount == 17)
    }
}

/// Errors collected from concurrent writers.
private final class FailureList: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    func add(_ failure: String) { lock.withLock { stored.append(failure) } }
    var items: [String] { lock.withLock { stored } }
}
