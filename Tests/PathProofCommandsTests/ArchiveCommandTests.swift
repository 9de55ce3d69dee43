/// Tests of `archive verify --checkpoint`: an archive cut back or rewritten by someone who can write
/// the file, caught against a checkpoint an auditor kept.

import EvidenceSigning
import Foundation
import Testing

struct ArchiveCommandTests {
    let fixture = ExportFixture.shared

    /// A copy of the shared three-report archive, for a test that alters it.
    func copyArchive(_ cli: CLIHarness) throws -> String {
        let copy = cli.path("archive.sqlite")
        try FileManager.default.copyItem(atPath: fixture.archive, toPath: copy)
        return copy
    }

    /// Runs the sqlite3 CLI on `archive` and requires it to succeed.
    @discardableResult
    func sqlite(_ archive: String, _ sql: String) throws -> String {
        let sqlite3 = try #require(which("sqlite3"), "the sqlite3 CLI is needed: run scripts/test.sh")
        let result = try runProcess(sqlite3, [archive], input: Data(sql.utf8))
        try #require(result.status == 0, "sqlite3: \(result.err)")
        return result.out
    }

    /// Deletes the newest report, its raw results and its checkpoint as an attacker with write access
    /// would: the guard triggers are dropped, then re-created from their own SQL, then the file is vacuumed.
    func cutBackNewest(_ archive: String) throws {
        let triggers = try sqlite(archive, "SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger';")
        let names = try sqlite(archive, "SELECT name FROM sqlite_master WHERE type = 'trigger';")
            .split(separator: "\n")
        try #require(names.contains("leaves_no_delete"), "the archive has its guard triggers: \(names)")
        let drops = names.map { "DROP TRIGGER \($0);" }.joined(separator: "\n")
        try sqlite(
            archive,
            """
            \(drops)
            DELETE FROM results WHERE leaf_idx = (SELECT MAX(idx) FROM leaves);
            DELETE FROM checkpoints WHERE size = (SELECT MAX(size) FROM checkpoints);
            DELETE FROM leaves WHERE idx = (SELECT MAX(idx) FROM leaves);
            \(triggers)
            VACUUM;
            """)
        let restored = try sqlite(archive, "SELECT name FROM sqlite_master WHERE type = 'trigger';")
        #expect(restored.split(separator: "\n").sorted() == names.sorted())
    }

    @Test func `the intact archive is consistent with the checkpoint its export bundle carries`() throws {
        let kept = fixture.bundle + "/log/checkpoint.txt"
        let result = fixture.cli.run(
            "archive", "verify", "--archive", fixture.archive, "--public-key", fixture.publicKey, "--checkpoint", kept)
        #expect(result.status == 0, "\(result.out)\(result.err)")
        #expect(result.out.contains("consistent with the trusted checkpoint of 3 leaves"), "\(result.out)")
        #expect(result.out.hasSuffix("intact\n"))
    }

    @Test func `a cut-back archive passes plain verify but not verify against a kept checkpoint`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let archive = try copyArchive(cli)
        try cutBackNewest(archive)

        // The documented limitation: on its own, the shorter archive is an honest older archive.
        let alone = cli.run("archive", "verify", "--archive", archive, "--public-key", fixture.publicKey)
        #expect(alone.status == 0, "\(alone.out)\(alone.err)")
        #expect(alone.out.contains("2 reports, 2 checkpoints"), "\(alone.out)")
        #expect(alone.out.hasSuffix("intact\n"))

        // Against the checkpoint the auditor kept, in each form the bundle carries it.
        for kept in ["log/checkpoint.txt", "log/checkpoint.dsse.json"] {
            let result = cli.run(
                "archive", "verify", "--archive", archive, "--public-key", fixture.publicKey, "--checkpoint",
                fixture.bundle + "/" + kept)
            #expect(result.status == 3, "\(kept): \(result.out)\(result.err)")
            #expect(
                result.out.contains(
                    "problem: not consistent with the trusted checkpoint: the archive holds 2 leaves but the trusted "
                        + "checkpoint has 3: reports were removed"), "\(kept): \(result.out)")
            #expect(result.out.hasSuffix("NOT INTACT: 1 problem(s)\n"), "\(kept): \(result.out)")
        }
    }

    @Test func `an archive cut back and appended to again is named as rewritten`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let archive = try copyArchive(cli)
        try cutBackNewest(archive)
        // A new, different third report puts the archive back at the size the auditor saw.
        let appended = cli.run(
            "verify", "--workspace", CLIHarness.repo("Fixtures/demo/contoso-cmk"), "--policy",
            VerifyCommandTests.policy, "--from", "2026-11-02T08:00:00Z", "--to", "2026-11-02T10:00:00Z", "--now",
            "2026-11-03T00:00:00Z", "--key", fixture.keyDirectory + "/signing-key.pem", "--archive", archive)
        try #require([0, 1, 2].contains(appended.status), "\(appended.err)")

        let alone = cli.run("archive", "verify", "--archive", archive, "--public-key", fixture.publicKey)
        #expect(alone.status == 0, "\(alone.out)\(alone.err)")
        #expect(alone.out.contains("3 reports, 3 checkpoints"), "\(alone.out)")

        let result = cli.run(
            "archive", "verify", "--archive", archive, "--public-key", fixture.publicKey, "--checkpoint",
            fixture.bundle + "/log/checkpoint.txt")
        #expect(result.status == 3, "\(result.out)\(result.err)")
        #expect(
            result.out.contains(
                "problem: not consistent with the trusted checkpoint: the archive's first 3 leaves are not the ones "
                    + "the trusted checkpoint covers: reports were rewritten"), "\(result.out)")
    }

    @Test func `a kept checkpoint that is unreadable or signed by another key is refused`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let garbled = cli.path("garbled.txt")
        try "pathproof\nthree\nroot\n".write(toFile: garbled, atomically: true, encoding: .utf8)
        let unreadable = cli.run(
            "archive", "verify", "--archive", fixture.archive, "--public-key", fixture.publicKey, "--checkpoint",
            garbled)
        #expect(unreadable.status == 3)
        #expect(unreadable.err.contains("the trusted checkpoint \(garbled) cannot be used"), "\(unreadable.err)")
        #expect(unreadable.err.contains("tree size \"three\""), "\(unreadable.err)")

        let generated = cli.run("keys", "generate", "--out", cli.path("other"))
        try #require(generated.status == 0, "\(generated.err)")
        let wrongKey = cli.run(
            "archive", "verify", "--archive", fixture.archive, "--public-key", cli.path("other/signing-key.pub.pem"),
            "--checkpoint", fixture.bundle + "/log/checkpoint.dsse.json")
        #expect(wrongKey.status == 3)
        let signer = try PublicKey.load(pemAt: fixture.publicKey).keyID
        let trusted = try PublicKey.load(pemAt: cli.path("other/signing-key.pub.pem")).keyID
        #expect(
            wrongKey.err.contains(
                "the kept checkpoint's DSSE envelope: signed by key \(signer) (as its keyid says), not by the trusted "
                    + "key \(trusted)"), "\(wrongKey.err)")
        #expect(!wrongKey.err.contains("Merkle proof invalid"), "\(wrongKey.err)")

        let missing = cli.run(
            "archive", "verify", "--archive", fixture.archive, "--checkpoint", cli.path("absent.txt"))
        #expect(missing.status == 3)
        #expect(missing.err.contains("cannot read the trusted checkpoint"), "\(missing.err)")
    }
}
