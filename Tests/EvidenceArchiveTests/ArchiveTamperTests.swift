/// Tampering with an archive through the sqlite3 CLI, and checking that verify names what was done.

import EvidenceSigning
import Foundation
import Testing

@testable import EvidenceArchive

struct ArchiveTamperTests {
    /// Builds a 5-leaf archive, lets `tamper` change the file with the guards dropped, and verifies it.
    private func verifyAfter(
        _ tamper: (ArchiveFixture) throws -> Void, trusted: Checkpoint? = nil
    ) throws -> [ArchiveProblem] {
        let fixture = try ArchiveFixture()
        defer { fixture.cleanUp() }
        try fixture.populate(5)
        try fixture.dropGuards()
        try tamper(fixture)
        let result = try fixture.open().verify(
            trustedKeys: [fixture.key.publicKey], trustedCheckpoint: trusted)
        return result.problems.filter { if case .guardRemoved = $0 { false } else { true } }
    }

    @Test func `removing the guard triggers is itself reported`() throws {
        let fixture = try ArchiveFixture()
        defer { fixture.cleanUp() }
        try fixture.populate(2)
        try fixture.dropGuards()
        let problems = try fixture.open().verify(trustedKeys: [fixture.key.publicKey]).problems
        #expect(problems.count == ArchiveSchema.guardTriggers.count)
        #expect(problems.contains(.guardRemoved(trigger: "leaves_no_update")))
    }

    @Test func `one edited envelope byte is named as an edited leaf`() throws {
        let problems = try verifyAfter { fixture in
            // Flip the byte after `{"payload":"` (a base64 character) in leaf 2.
            try fixture.tamper(
                "UPDATE leaves SET envelope = CAST(substr(envelope, 1, 12) || (CASE substr(envelope, 13, 1) "
                    + "WHEN 'A' THEN 'B' ELSE 'A' END) || substr(envelope, 14) AS BLOB) WHERE idx = 2"
            )
        }
        #expect(problems.contains(.leafEdited(index: 2)))
        #expect(
            problems.contains {
                if case .leafSignatureInvalid(index: 2, _) = $0 { true } else { false }
            })
        #expect(problems.contains(.checkpointMismatch(size: 3)))
    }

    @Test func `a leaf replaced with its hash recomputed is caught by the signed checkpoints`()
        throws
    {
        let problems = try verifyAfter { fixture in
            let other = try fixture.signedReport(99)
            let hash = sha256([0] + other.envelope)
            try fixture.tamper(
                "UPDATE leaves SET envelope = x'\(hexString(other.envelope))', leaf_hash = x'\(hexString(hash))', "
                    + "report = x'\(hexString(other.report))' WHERE idx = 1")
        }
        #expect(problems.first == .checkpointMismatch(size: 2))
        #expect(problems.contains(.leafReplaced(index: 1)))
        #expect(!problems.contains(.leafEdited(index: 1)))
    }

    @Test func `a deleted leaf is named whether or not later leaves were renumbered`() throws {
        let gap = try verifyAfter { fixture in
            try fixture.tamper("DELETE FROM leaves WHERE idx = 2")
        }
        #expect(gap.contains(.leafDeleted(index: 2)))
        #expect(!gap.contains { if case .leafReplaced = $0 { true } else { false } })

        let renumbered = try verifyAfter { fixture in
            try fixture.tamper(
                "DELETE FROM leaves WHERE idx = 2; UPDATE leaves SET idx = idx - 1 WHERE idx > 2;")
        }
        #expect(renumbered.contains(.leafDeleted(index: 2)))
        #expect(renumbered.contains(.checkpointMismatch(size: 3)))
    }

    @Test func `the tail cut off with its checkpoints is caught against an auditor's checkpoint`()
        throws
    {
        let fixture = try ArchiveFixture()
        defer { fixture.cleanUp() }
        let archive = try fixture.populate(5)
        let kept = try #require(try archive.latestCheckpoint()).checkpoint
        try fixture.dropGuards()
        try fixture.tamper(
            "DELETE FROM leaves WHERE idx >= 3; DELETE FROM checkpoints WHERE size > 3;")
        let reopened = try fixture.open()

        // On its own, a cleanly truncated log looks honest: that is why checkpoints must leave the machine.
        let alone = try reopened.verify(trustedKeys: [fixture.key.publicKey]).problems
        #expect(alone.allSatisfy { if case .guardRemoved = $0 { true } else { false } })
        let against = try reopened.verify(
            trustedKeys: [fixture.key.publicKey], trustedCheckpoint: kept
        ).problems
        #expect(
            against.contains(
                .trustedCheckpointMismatch(
                    "the archive holds 3 leaves but the trusted checkpoint has 5: reports were removed")))
    }

    @Test(arguments: KeyAlgorithm.allCases)
    func `a kept checkpoint is read as text, as a signed note or as its DSSE envelope`(algorithm: KeyAlgorithm)
        throws
    {
        let fixture = try ArchiveFixture(algorithm: algorithm)
        defer { fixture.cleanUp() }
        let signed = try #require(try fixture.populate(2).latestCheckpoint())
        let keys = [fixture.key.publicKey]
        let other = try SigningKey.generate(algorithm).publicKey

        #expect(try Checkpoint(kept: Array(signed.checkpoint.body.utf8), keys: []) == signed.checkpoint)
        #expect(try Checkpoint(kept: signed.envelope, keys: keys) == signed.checkpoint)
        #expect(throws: ArchiveError.self) { try Checkpoint(kept: signed.envelope, keys: [other]) }
        var forged = signed.envelope
        forged[forged.count / 2] ^= 0x01
        #expect(throws: ArchiveError.self) { try Checkpoint(kept: forged, keys: keys) }

        // PathProof writes signed notes for Ed25519 keys only.
        #expect((signed.note != nil) == (algorithm == .ed25519))
        if let note = signed.note {
            #expect(try Checkpoint(kept: Array(note.utf8), keys: keys) == signed.checkpoint)
            #expect(throws: ArchiveError.self) { try Checkpoint(kept: Array(note.utf8), keys: [other]) }
            // A different size under the original signature line.
            let altered = note.replacingOccurrences(of: "\n2\n", with: "\n1\n")
            #expect(altered != note)
            #expect(throws: ArchiveError.self) { try Checkpoint(kept: Array(altered.utf8), keys: keys) }
        }
    }

    @Test func `only the leaf count of a kept checkpoint is not enough to hide a rewrite`() throws {
        let fixture = try ArchiveFixture()
        defer { fixture.cleanUp() }
        let archive = try fixture.populate(3)
        let kept = try #require(try archive.latestCheckpoint()).checkpoint
        // Rewrite history: a new archive with the same origin and different leaves, re-signed.
        try FileManager.default.removeItem(atPath: fixture.path)
        let forged = try EvidenceArchive(path: fixture.path, origin: archive.origin)
        for number in [0, 7, 2, 3] {
            let signed = try fixture.signedReport(number)
            try forged.append(
                envelope: signed.envelope, report: signed.report, metadata: .init(),
                signer: fixture.key)
        }
        let problems = try forged.verify(
            trustedKeys: [fixture.key.publicKey], trustedCheckpoint: kept
        ).problems
        #expect(problems.count == 1)
        #expect("\(problems)".contains("the archive's first 3 leaves are not the ones the trusted checkpoint covers"))
    }

    @Test func `swapped leaves are named as reordered`() throws {
        let problems = try verifyAfter { fixture in
            try fixture.tamper(
                "UPDATE leaves SET idx = -1 WHERE idx = 1; UPDATE leaves SET idx = 1 WHERE idx = 3; "
                    + "UPDATE leaves SET idx = 3 WHERE idx = -1;")
        }
        #expect(problems.contains(.leafReordered(index: 3, belongsAt: 1)))
        #expect(!problems.contains { if case .leafEdited = $0 { true } else { false } })
    }

    @Test func `a leaf inserted in the middle is named`() throws {
        let problems = try verifyAfter { fixture in
            let extra = try fixture.signedReport(42)
            try fixture.tamper(
                "UPDATE leaves SET idx = -idx - 1 WHERE idx >= 2; UPDATE leaves SET idx = -idx WHERE idx < 0; "
                    + "INSERT INTO leaves(idx, leaf_hash, envelope, report, kind, appended_at) VALUES (2, "
                    + "x'\(hexString(sha256([0] + extra.envelope)))', x'\(hexString(extra.envelope))', "
                    + "x'\(hexString(extra.report))', 'report', 'now')")
        }
        #expect(problems.contains(.leafInserted(index: 2)))
        #expect(problems.contains(.leafWithoutCheckpoint(index: 5)))
    }

    @Test func `a leaf appended without a checkpoint is named`() throws {
        let problems = try verifyAfter { fixture in
            let extra = try fixture.signedReport(5)
            try fixture.tamper(
                "INSERT INTO leaves(idx, leaf_hash, envelope, report, kind, appended_at) VALUES (5, "
                    + "x'\(hexString(sha256([0] + extra.envelope)))', x'\(hexString(extra.envelope))', "
                    + "x'\(hexString(extra.report))', 'report', 'now')")
        }
        #expect(problems == [.leafWithoutCheckpoint(index: 5)])
    }

    @Test func `an edited report, checkpoint or deleted checkpoint is named`() throws {
        let report = try verifyAfter { fixture in
            try fixture.tamper(
                "UPDATE leaves SET report = CAST('{\"verdict\":\"PROVEN\"}' AS BLOB) WHERE idx = 4")
        }
        #expect(report == [.reportMismatch(index: 4)])

        let checkpoint = try verifyAfter { fixture in
            try fixture.tamper(
                "UPDATE checkpoints SET body = replace(body, char(10) || '4' || char(10), "
                    + "char(10) || '5' || char(10)) WHERE size = 4")
        }
        #expect(
            checkpoint.contains {
                if case .checkpointInvalid(size: 5, _) = $0 { true } else { false }
            })

        let missing = try verifyAfter { fixture in
            try fixture.tamper("DELETE FROM checkpoints WHERE size = 2")
        }
        #expect(missing == [.checkpointMissing(size: 2)])
    }

    @Test func `a different key verifies nothing`() throws {
        let fixture = try ArchiveFixture()
        defer { fixture.cleanUp() }
        let archive = try fixture.populate(2)
        let stranger = try SigningKey.generate(.ed25519)
        let result = try archive.verify(trustedKeys: [stranger.publicKey])
        #expect(result.latestVerified == nil)
        #expect(
            result.problems.filter { if case .leafSignatureInvalid = $0 { true } else { false } }
                .count == 2)
        // Signed by another key is not a broken proof, and the leaves were not added behind PathProof's back.
        let untrusted = result.problems.filter { if case .checkpointUntrusted = $0 { true } else { false } }
        #expect(untrusted.count == 2)
        #expect(
            untrusted.first?.description
                == "checkpoint 1: signed by key \(fixture.key.publicKey.keyID) (as its keyid says), not by the "
                + "trusted key \(stranger.publicKey.keyID); give the signer's public key with --public-key if you "
                + "trust it")
        #expect(!result.problems.contains { if case .checkpointInvalid = $0 { true } else { false } })
        #expect(!result.problems.contains { if case .leafWithoutCheckpoint = $0 { true } else { false } })
        #expect(!result.problems.map(\.description).joined().contains("Merkle proof invalid"))
    }
}

struct ArchiveColumnTamperTests {
    @Test func `unsigned columns that contradict the signed data are named`() throws {
        let fixture = try ArchiveFixture()
        defer { fixture.cleanUp() }
        try fixture.populate(3)
        try fixture.dropGuards()
        try fixture.tamper("UPDATE leaves SET verdict = 'VIOLATED' WHERE idx = 1")
        try fixture.tamper("UPDATE checkpoints SET root = zeroblob(32) WHERE size = 2")
        try fixture.tamper("UPDATE checkpoints SET body = 'garbage' WHERE size = 3")

        let problems = try fixture.open().verify(trustedKeys: [fixture.key.publicKey]).problems
        #expect(
            problems.contains(
                .metadataMismatch(index: 1, field: "verdict", stored: "VIOLATED", signed: "PROVEN")))
        #expect(problems.contains(.checkpointInvalid(size: 2, reason: "its size, root and body columns disagree")))
        #expect(problems.contains(.checkpointInvalid(size: 3, reason: "its size, root and body columns disagree")))
    }
}
