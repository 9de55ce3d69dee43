/// Raw query results stored with their leaf: bound to the signed Statement, guarded, and checked by verify.

import EvidenceSigning
import Foundation
import Testing

@testable import EvidenceArchive

struct ArchiveResultsTests {
    @Test func `results are stored with their leaf and read back byte for byte`() throws {
        let fixture = try ArchiveFixture()
        defer { fixture.cleanUp() }
        let archive = try fixture.populateWithResults(3)
        #expect(try archive.results(at: 1) == fixture.rawResults(1).sorted { $0.name < $1.name })
        #expect(try archive.results(at: 7).isEmpty)
        let verification = try archive.verify(trustedKeys: [fixture.key.publicKey])
        #expect(verification.isValid, "\(verification.problems)")
        let stored = try fixture.sqlite("SELECT leaf_idx, name, sha256 FROM results ORDER BY leaf_idx, name")
        let digest = sha256Hex(fixture.rawResults(2)[0].content)
        #expect(stored.output.contains("2|results/keyvault-key-access.json|\(digest)"), "\(stored.output)")
    }

    @Test func `an append whose results the Statement does not name writes nothing`() throws {
        let fixture = try ArchiveFixture()
        defer { fixture.cleanUp() }
        let archive = try fixture.populateWithResults(1)
        let signed = try fixture.signedReport(1, results: fixture.rawResults(1))
        var edited = signed.results
        edited[0].content[edited[0].content.count - 5] = UInt8(ascii: "9")
        let attempts: [(results: [ArchivedResult], says: String)] = [
            (edited, "is not a subject"),
            (Array(signed.results.dropLast()), "was not given"),
            (signed.results + [ArchivedResult(name: "results/../escape.json", content: [])], "is not a unique"),
        ]
        for attempt in attempts {
            #expect {
                try archive.append(
                    envelope: signed.envelope, report: signed.report, results: attempt.results,
                    metadata: ArchiveMetadata(), signer: fixture.key)
            } throws: { error in
                "\(error)".contains(attempt.says)
            }
        }
        #expect(try archive.count() == 1)
        #expect(try fixture.sqlite("SELECT count(*) FROM results").output == "2\n")
    }

    @Test func `the guards refuse changing results or adding them to an earlier leaf`() throws {
        let fixture = try ArchiveFixture()
        defer { fixture.cleanUp() }
        try fixture.populateWithResults(2)
        let update = try fixture.sqlite("UPDATE results SET content = x'00' WHERE leaf_idx = 0")
        #expect(update.status != 0)
        #expect(update.output.contains("results cannot be changed"))
        let delete = try fixture.sqlite("DELETE FROM results WHERE leaf_idx = 1")
        #expect(delete.output.contains("results cannot be deleted"))
        let insert = try fixture.sqlite(
            "INSERT INTO results(leaf_idx, name, sha256, content) VALUES (0, 'results/late.json', 'x', x'00')")
        #expect(insert.output.contains("results are stored with their leaf only"))
    }

    /// Builds a 3-leaf archive with results, drops the guards, applies `sql` and verifies.
    private func problems(after sql: String) throws -> [ArchiveProblem] {
        let fixture = try ArchiveFixture()
        defer { fixture.cleanUp() }
        try fixture.populateWithResults(3)
        try fixture.dropGuards()
        try fixture.tamper(sql)
        let verification = try fixture.open().verify(trustedKeys: [fixture.key.publicKey])
        return verification.problems.filter { if case .guardRemoved = $0 { false } else { true } }
    }

    @Test func `one edited byte of a stored result is named with its leaf and file`() throws {
        let edited = try problems(
            after: "UPDATE results SET content = CAST(replace(CAST(content AS TEXT), '[[1]]', '[[7]]') AS BLOB) "
                + "WHERE leaf_idx = 1 AND name = 'results/keyvault-key-access.json'")
        #expect(edited == [.resultEdited(index: 1, name: "results/keyvault-key-access.json")])
        #expect("\(edited[0])".contains("leaf 1: the raw result results/keyvault-key-access.json was edited"))

        // Recomputing the stored digest column does not help: the signed subject decides.
        let recomputed = try problems(
            after: "UPDATE results SET content = CAST('{\"tables\":[1]}' AS BLOB), "
                + "sha256 = '\(sha256Hex(Array(#"{"tables":[1]}"#.utf8)))' WHERE leaf_idx = 2 AND name = "
                + "'results/nsp-access.json'")
        #expect(recomputed == [.resultEdited(index: 2, name: "results/nsp-access.json")])
    }

    @Test func `a deleted, an added and a moved result are each named`() throws {
        #expect(
            try problems(after: "DELETE FROM results WHERE leaf_idx = 0 AND name = 'results/nsp-access.json'")
                == [.resultMissing(index: 0, name: "results/nsp-access.json")])
        #expect(
            try problems(
                after: "INSERT INTO results(leaf_idx, name, sha256, content) VALUES (1, 'results/extra.json', "
                    + "'\(sha256Hex([0]))', x'00')")
                == [.resultUnsigned(index: 1, name: "results/extra.json")])
        // Leaf 2's key-access rows put in place of leaf 0's: leaf 0's is edited, leaf 2 keeps its own.
        #expect(
            try problems(
                after: "UPDATE results SET content = (SELECT content FROM results WHERE leaf_idx = 2 AND name = "
                    + "'results/keyvault-key-access.json') WHERE leaf_idx = 0 AND name = "
                    + "'results/keyvault-key-access.json'")
                == [.resultEdited(index: 0, name: "results/keyvault-key-access.json")])
        // Dropping the whole table (and claiming version 1) leaves every signed result missing.
        let dropped = try problems(after: "DROP TABLE results; PRAGMA user_version = 1")
        #expect(dropped.count == 6)
        #expect(dropped.contains(.resultMissing(index: 2, name: "results/keyvault-key-access.json")))
    }

    @Test func `an archive written before results were kept is read, verified and upgraded on append`() throws {
        let fixture = try ArchiveFixture()
        defer { fixture.cleanUp() }
        try fixture.populate(2)
        // Version 1 had no results table and no guards for it.
        let drops = ArchiveSchema.resultGuardTriggers.map { "DROP TRIGGER \($0);" }.joined(separator: " ")
        try fixture.tamper(drops + " DROP TABLE results; PRAGMA user_version = 1")

        let old = try fixture.open()
        #expect(try old.results(at: 0).isEmpty)
        #expect(try old.verify(trustedKeys: [fixture.key.publicKey]).isValid)

        let signed = try fixture.signedReport(2, results: fixture.rawResults(2))
        try old.append(
            envelope: signed.envelope, report: signed.report, results: signed.results,
            metadata: ArchiveMetadata(), signer: fixture.key)
        #expect(try fixture.sqlite("PRAGMA user_version").output == "2\n")
        let reopened = try fixture.open()
        #expect(try reopened.results(at: 2).count == 2)
        let verification = try reopened.verify(trustedKeys: [fixture.key.publicKey])
        #expect(verification.isValid, "\(verification.problems)")
        #expect(verification.leafCount == 3)
    }
}

/// The same binding checked by Python's sqlite3 and hashlib alone, sharing no code with PathProof.
struct ArchiveResultsPeerTests {
    static let peer = """
        import base64, hashlib, json, sqlite3, sys
        db = sqlite3.connect(sys.argv[1])
        for idx, envelope in db.execute("SELECT idx, envelope FROM leaves ORDER BY idx"):
            statement = json.loads(base64.b64decode(json.loads(envelope)["payload"]))
            signed = {s["name"]: s["digest"]["sha256"] for s in statement["subject"]
                      if s["name"].startswith("results/")}
            stored = {name: hashlib.sha256(content).hexdigest() for name, content in
                      db.execute("SELECT name, content FROM results WHERE leaf_idx = ?", (idx,))}
            print(idx, "ok" if signed == stored else "MISMATCH", len(stored))
        """

    @Test func `python's sqlite3 finds each stored result under its signed digest, and an edit`() throws {
        let fixture = try ArchiveFixture()
        defer { fixture.cleanUp() }
        try fixture.populateWithResults(2)
        let honest = try runTool([testPython, "-c", Self.peer, fixture.path])
        #expect(honest.output == "0 ok 2\n1 ok 2\n", "\(honest.output)")
        try fixture.dropGuards()
        try fixture.tamper(
            "UPDATE results SET content = x'7b7d' WHERE leaf_idx = 1 AND name = 'results/nsp-access.json'")
        let tampered = try runTool([testPython, "-c", Self.peer, fixture.path])
        #expect(tampered.output == "0 ok 2\n1 MISMATCH 2\n", "\(tampered.output)")
    }
}
