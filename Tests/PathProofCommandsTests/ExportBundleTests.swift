/// Tests of `export` and `export verify` on a real archive built by running `verify` three times.

import EvidenceSigning
import Foundation
import Synchronization
import Testing

@testable import TableModel

/// An archive holding three signed reports (VIOLATED, PROVEN, UNPROVEN) and a bundle exported from it.
struct ExportFixture {
    let cli: CLIHarness
    let keyDirectory: String
    let archive: String
    let bundle: String
    let exportResult: CommandResult

    var publicKey: String { keyDirectory + "/signing-key.pub.pem" }

    /// One fixture shared by the tests that only read it (built once, removed when the process exits).
    static let shared: ExportFixture = {
        // Building can only fail when the product is broken; every test using it then fails loudly.
        let fixture = try! ExportFixture()
        sharedRoot.withLock { $0 = fixture.cli.root.path }
        atexit {
            if let root = ExportFixture.sharedRoot.withLock({ $0 }) {
                try? FileManager.default.removeItem(atPath: root)
            }
        }
        return fixture
    }()

    private static let sharedRoot = Mutex<String?>(nil)

    /// A copy of the shared bundle in a fresh scratch directory, for a test that alters it.
    static func copy() throws -> (cli: CLIHarness, bundle: String) {
        let cli = try CLIHarness()
        let bundle = cli.path("bundle")
        try FileManager.default.copyItem(atPath: shared.bundle, toPath: bundle)
        return (cli, bundle)
    }

    /// Builds the archive and exports the whole day with a consistency proof from checkpoint 1.
    init(exportArguments: [String] = ["--since-checkpoint", "1"]) throws {
        cli = try CLIHarness()
        keyDirectory = cli.path("keys")
        archive = cli.path("archive.sqlite")
        bundle = cli.path("bundle")
        let generated = cli.run("keys", "generate", "--out", keyDirectory)
        try #require(generated.status == 0, "\(generated.err)")
        let runs: [(workspace: String, to: String, status: Int32)] = [
            ("Fixtures/demo/contoso-cmk", "2026-11-02T16:00:00Z", 1),
            ("Fixtures/demo/contoso-cmk", "2026-11-02T12:00:00Z", 0),
            ("Fixtures/demo/no-perimeter-column", "2026-11-02T16:00:00Z", 2),
        ]
        for (number, run) in runs.enumerated() {
            let result = cli.run(
                "verify", "--workspace", CLIHarness.repo(run.workspace), "--policy", VerifyCommandTests.policy,
                "--from", "2026-11-02T08:00:00Z", "--to", run.to, "--now", "2026-11-03T00:00:00Z",
                "--key", keyDirectory + "/signing-key.pem", "--archive", archive, "--out", cli.path("run-\(number)"))
            try #require(result.status == run.status, "verify run \(number): \(result.err)")
        }
        exportResult = cli.run(
            [
                "export", "--archive", archive, "--from", "2026-11-02T00:00:00Z", "--to", "2026-11-03T00:00:00Z",
                "--out", bundle, "--key", keyDirectory + "/signing-key.pem",
            ] + exportArguments)
    }

    /// The bytes of a bundle file.
    func read(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: bundle + "/" + relative)))
    }
}

/// The Python interpreter holding the test peers: $PATHPROOF_TEST_PYTHON (set by scripts/test.sh).
func peerPython(needing modules: [String]) throws -> String {
    let python = ProcessInfo.processInfo.environment["PATHPROOF_TEST_PYTHON"] ?? which("python3") ?? "python3"
    let check = try runProcess(python, ["-c", "import " + modules.joined(separator: ", ")])
    let advice =
        "\(python) lacks \(modules.joined(separator: ", ")): run scripts/test.sh, or pip install -r "
        + "scripts/test-peers.txt and set PATHPROOF_TEST_PYTHON (\(check.err))"
    try #require(check.status == 0, "\(advice)")
    return python
}

struct ExportBundleTests {
    let fixture = ExportFixture.shared

    @Test func `export writes the bundle and export verify finds it intact`() throws {
        #expect(fixture.exportResult.status == 0, "\(fixture.exportResult.err)")
        #expect(fixture.exportResult.out.contains("exported 3 report(s) (leaves 0, 1, 2)"))
        for name in [
            "MANIFEST.json", "MANIFEST.dsse.json", "VERIFY.md", "summary.md", "report.html", "findings.ocsf.ndjson",
            "TEST-pathproof.xml", "keys/signing-key.pub.pem", "log/checkpoint.txt", "log/checkpoint.dsse.json",
            "log/consistency.json", "log/since-checkpoint.txt", "reports/leaf-0/report.json",
            "reports/leaf-0/report.dsse.json", "reports/leaf-0/inclusion.json",
            "reports/leaf-0/queries/keyvault-key-access.kql", "reports/leaf-0/results/keyvault-key-access.json",
            "reports/leaf-0/results/keyvault-signs-of-life.json", "tools/check_bundle.py",
        ] {
            #expect(FileManager.default.fileExists(atPath: fixture.bundle + "/" + name), "\(name) is missing")
        }
        // The exported report is the one verify wrote, byte for byte.
        let written = try Data(contentsOf: URL(fileURLWithPath: fixture.cli.path("run-0/report.json")))
        #expect(try fixture.read("reports/leaf-0/report.json") == Array(written))
        #expect(try String(decoding: fixture.read("VERIFY.md"), as: UTF8.self).contains("reports/leaf-N/results/"))

        // So are the raw results, each listed in the manifest with its size and SHA-256.
        let manifest = try JSONParser.parse(bytes: fixture.read("MANIFEST.json"))
        guard case .array(let listed)? = manifest["files"] else {
            Issue.record("MANIFEST.json has no files list")
            return
        }
        for leaf in 0..<3 {
            let written = try FileManager.default.contentsOfDirectory(atPath: fixture.cli.path("run-\(leaf)/results"))
            #expect(!written.isEmpty)
            for name in written {
                let relative = "reports/leaf-\(leaf)/results/\(name)"
                let bytes = try fixture.read(relative)
                let raw = try Data(contentsOf: URL(fileURLWithPath: fixture.cli.path("run-\(leaf)/results/\(name)")))
                #expect(bytes == Array(raw), "\(relative)")
                let entry = listed.first { $0["path"]?.stringValue == relative }
                #expect(entry?["size"] == .long(Int64(bytes.count)), "\(relative)")
                #expect(entry?["sha256"] == .string(sha256Hex(bytes)), "\(relative)")
            }
        }

        let verified = fixture.cli.run("export", "verify", fixture.bundle, "--public-key", fixture.publicKey)
        #expect(verified.status == 0, "\(verified.out)\(verified.err)")
        #expect(verified.out.contains("3 report(s), 6 signatures and 4 proofs verified"))
        #expect(verified.out.hasSuffix("intact\n"))
    }

    @Test func `a window that holds only the afternoon exports only the reports that reach it`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let key = fixture.keyDirectory + "/signing-key.pem"
        let window = ["--from", "2026-11-02T12:00:00Z", "--to", "2026-11-02T13:00:00Z", "--key", key]
        let later = cli.run(["export", "--archive", fixture.archive, "--out", cli.path("afternoon")] + window)
        #expect(later.status == 0, "\(later.err)")
        #expect(later.out.contains("exported 2 report(s) (leaves 0, 2)"))
        #expect(!FileManager.default.fileExists(atPath: cli.path("afternoon/log/consistency.json")))
        let again = cli.run(["export", "--archive", fixture.archive, "--out", cli.path("afternoon")] + window)
        #expect(again.status == 3)
        #expect(
            again.err
                == "Error: cannot export from \(fixture.archive): \(cli.path("afternoon")) is not empty; export into a "
                + "new or empty directory\n")
        let badSince = cli.run(
            ["export", "--archive", fixture.archive, "--out", cli.path("other"), "--since-checkpoint", "9"] + window)
        #expect(badSince.status == 64)
        #expect(badSince.err.contains("--since-checkpoint 9"))
        let noKey = cli.run(
            "export", "--archive", fixture.archive, "--out", cli.path("nokey"), "--from", "2026-11-02T12:00:00Z",
            "--to", "2026-11-02T13:00:00Z")
        #expect(noKey.status == 3)
        #expect(noKey.err.contains("no signing key"))
    }

    @Test(arguments: [
        "reports/leaf-1/report.json", "reports/leaf-0/report.dsse.json", "reports/leaf-2/inclusion.json",
        "log/checkpoint.txt", "log/consistency.json", "report.html", "MANIFEST.json", "MANIFEST.dsse.json",
        "keys/signing-key.pub.pem", "reports/leaf-0/results/keyvault-key-access.json",
    ])
    func `one changed byte in an exported file is named by export verify and by the Python checker`(file: String)
        throws
    {
        let (cli, bundle) = try ExportFixture.copy()
        defer { cli.cleanUp() }
        let url = URL(fileURLWithPath: bundle + "/" + file)
        var bytes = Array(try Data(contentsOf: url))
        let position = bytes.count / 2
        bytes[position] = bytes[position] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        try Data(bytes).write(to: url)

        let verified = cli.run("export", "verify", bundle, "--public-key", fixture.publicKey)
        #expect(verified.status == 3, "\(verified.out)")
        #expect(verified.out.contains("problem: \(file)"), "\(verified.out)")
        #expect(verified.out.contains("NOT INTACT"))

        // The auditor's procedure catches it too: the checker fails, or an openssl check does.
        let python = try peerPython(needing: ["json"])
        let checked = try runProcess(python, [bundle + "/tools/check_bundle.py", bundle, cli.path("check")])
        #expect(checked.status != 0 || !signaturesHold(listedIn: cli.path("check")), "\(checked.out)")
    }

    @Test(arguments: ["payloadType", "keyid", "truncated signature", "payload byte"])
    func `an altered manifest envelope is named by export verify`(change: String) throws {
        let (cli, bundle) = try ExportFixture.copy()
        defer { cli.cleanUp() }
        let path = bundle + "/MANIFEST.dsse.json"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let envelope = try JSONParser.parse(text)
        let payload = try #require(envelope["payload"]?.stringValue)
        guard case .array(let signatures)? = envelope["signatures"],
            let keyid = signatures.first?["keyid"]?.stringValue,
            let sig = signatures.first?["sig"]?.stringValue
        else {
            Issue.record("no signature in \(text)")
            return
        }
        let altered: String
        switch change {
        case "payloadType":
            altered = text.replacingOccurrences(of: "export-manifest+json", with: "export-manifest+jsox")
        case "keyid":
            altered = text.replacingOccurrences(of: keyid, with: String(keyid.reversed()))
        case "truncated signature":
            altered = text.replacingOccurrences(of: sig, with: String(sig.dropLast(8)))
        default:
            var bytes = Array(try #require(Data(base64Encoded: payload)))
            bytes[bytes.count / 2] ^= 0x01
            altered = text.replacingOccurrences(of: payload, with: Data(bytes).base64EncodedString())
        }
        #expect(altered != text)
        try altered.write(toFile: path, atomically: true, encoding: .utf8)
        let verified = cli.run("export", "verify", bundle, "--public-key", fixture.publicKey)
        #expect(verified.status == 3)
        #expect(verified.out.contains("problem: MANIFEST.dsse.json: "), "\(verified.out)")
    }

    @Test func `swapping two exported reports is named`() throws {
        let (cli, bundle) = try ExportFixture.copy()
        defer { cli.cleanUp() }
        let manager = FileManager.default
        try manager.moveItem(atPath: bundle + "/reports/leaf-0", toPath: bundle + "/reports/swap")
        try manager.moveItem(atPath: bundle + "/reports/leaf-1", toPath: bundle + "/reports/leaf-0")
        try manager.moveItem(atPath: bundle + "/reports/swap", toPath: bundle + "/reports/leaf-1")
        let verified = cli.run("export", "verify", bundle, "--public-key", fixture.publicKey)
        #expect(verified.status == 3)
        #expect(verified.out.contains("problem: reports/leaf-0/report.json: size is"), "\(verified.out)")
        #expect(verified.out.contains("problem: reports/leaf-1/inclusion.json: "), "\(verified.out)")
    }

    @Test func `a deleted file, an added file and the wrong trusted key are each named`() throws {
        let (cli, bundle) = try ExportFixture.copy()
        defer { cli.cleanUp() }
        let other = cli.path("other-keys")
        #expect(cli.run("keys", "generate", "--out", other).status == 0)
        let wrongKey = cli.run("export", "verify", bundle, "--public-key", other + "/signing-key.pub.pem")
        #expect(wrongKey.status == 3)
        let signer = try PublicKey.load(pemAt: fixture.publicKey).keyID
        let trusted = try PublicKey.load(pemAt: other + "/signing-key.pub.pem").keyID
        let notTrusted =
            "signed by key \(signer) (as its keyid says), not by the trusted key \(trusted); give the signer's "
            + "public key with --public-key if you trust it"
        #expect(wrongKey.out.contains("problem: MANIFEST.dsse.json: \(notTrusted)\n"), "\(wrongKey.out)")
        #expect(wrongKey.out.contains("problem: log/checkpoint.dsse.json: checkpoint 3: \(notTrusted)\n"))
        #expect(wrongKey.out.contains("problem: reports/leaf-0/report.dsse.json: \(notTrusted)\n"))
        // Only the key differs: no proof is called invalid and no signature is called broken.
        #expect(!wrongKey.out.contains("Merkle proof invalid"), "\(wrongKey.out)")
        #expect(!wrongKey.out.contains("signature check failed"), "\(wrongKey.out)")

        try FileManager.default.removeItem(atPath: bundle + "/reports/leaf-2/report.json")
        try Data("planted".utf8).write(to: URL(fileURLWithPath: bundle + "/extra.txt"))
        let verified = cli.run("export", "verify", bundle, "--public-key", fixture.publicKey)
        #expect(verified.status == 3)
        #expect(verified.out.contains("problem: reports/leaf-2/report.json: cannot be read (missing)"))
        #expect(verified.out.contains("problem: extra.txt: is not listed in MANIFEST.json"))
    }

    @Test func `an archive altered behind PathProof's back is not exported`() throws {
        let sqlite = try #require(which("sqlite3"), "the sqlite3 CLI is needed")
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let archive = cli.path("archive.sqlite")
        try FileManager.default.copyItem(atPath: fixture.archive, toPath: archive)
        let triggers = try runProcess(sqlite, [archive, "SELECT name FROM sqlite_master WHERE type = 'trigger'"])
        let drops = triggers.out.split(separator: "\n").map { "DROP TRIGGER \($0);" }.joined(separator: " ")
        let edit =
            "UPDATE leaves SET envelope = CAST(replace(CAST(envelope AS TEXT), 'payloadType', 'payloadTypf') AS BLOB) "
            + "WHERE idx = 1;"
        let tampered = try runProcess(sqlite, ["-bail", archive, drops + " " + edit])
        #expect(tampered.status == 0, "\(tampered.err)")

        let result = cli.run(
            "export", "--archive", archive, "--from", "2026-11-02T00:00:00Z", "--to", "2026-11-03T00:00:00Z",
            "--out", cli.path("bundle"), "--key", fixture.keyDirectory + "/signing-key.pem")
        #expect(result.status == 3)
        #expect(result.err.contains("does not verify, so it is not exported"), "\(result.err)")
        #expect(result.err.contains("leaf 1"), "\(result.err)")
        #expect(!FileManager.default.fileExists(atPath: cli.path("bundle")))
    }

    @Test func `a raw result edited in the archive is named by archive verify and blocks the export`() throws {
        let sqlite = try #require(which("sqlite3"), "the sqlite3 CLI is needed")
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let archive = cli.path("archive.sqlite")
        try FileManager.default.copyItem(atPath: fixture.archive, toPath: archive)
        let intact = cli.run("archive", "verify", "--archive", archive, "--public-key", fixture.publicKey)
        #expect(intact.status == 0, "\(intact.out)")
        // One digit of leaf 0's key-access rows, with the guard trigger dropped as an attacker could.
        let edit =
            "DROP TRIGGER results_no_update; UPDATE results SET content = CAST(replace(CAST(content AS TEXT), "
            + "'\"HttpStatus\",\"type\":\"long\"', '\"HttpStatus\",\"type\":\"lonh\"') AS BLOB) "
            + "WHERE leaf_idx = 0 AND name = 'results/keyvault-key-access.json';"
        let tampered = try runProcess(sqlite, ["-bail", archive, edit])
        #expect(tampered.status == 0, "\(tampered.err)")

        let verified = cli.run("archive", "verify", "--archive", archive, "--public-key", fixture.publicKey)
        #expect(verified.status == 3)
        #expect(
            verified.out.contains(
                "problem: leaf 0: the raw result results/keyvault-key-access.json was edited: its SHA-256 is not the "
                    + "one the signed Statement names"), "\(verified.out)")
        #expect(verified.out.contains("problem: append-only guard trigger results_no_update was removed"))
        let exported = cli.run(
            "export", "--archive", archive, "--from", "2026-11-02T00:00:00Z", "--to", "2026-11-03T00:00:00Z",
            "--out", cli.path("bundle"), "--key", fixture.keyDirectory + "/signing-key.pem")
        #expect(exported.status == 3)
        #expect(exported.err.contains("results/keyvault-key-access.json was edited"), "\(exported.err)")
    }

    @Test func `the VERIFY.md procedure passes with python and openssl alone`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let python = try peerPython(needing: ["json"])
        let checked = try runProcess(
            python, [fixture.bundle + "/tools/check_bundle.py", fixture.bundle, cli.path("c")])
        #expect(checked.status == 0, "\(checked.out)\(checked.err)")
        #expect(checked.out.contains("digests and proofs: OK"))
        #expect(checked.out.contains("6 signatures to check with openssl"))
        #expect(signaturesHold(listedIn: cli.path("c")))

        // The shell blocks of VERIFY.md themselves, run as an auditor would paste them.
        let guide = String(decoding: try fixture.read("VERIFY.md"), as: UTF8.self)
        let blocks = guide.components(separatedBy: "```sh\n").dropFirst().map {
            $0.components(separatedBy: "\n```")[0]
                .replacingOccurrences(of: "/tmp/pathproof-check", with: cli.path("guide"))
                .replacingOccurrences(of: "python3 ", with: python + " ")
        }
        #expect(blocks.count == 5)
        // Step 6 compares the bundle's since-checkpoint with the one the auditor kept: checkpoint 1.
        let kept = cli.path("kept-checkpoint.txt")
        let read =
            "import sqlite3, sys; sys.stdout.write(sqlite3.connect(sys.argv[1]).execute("
            + "'SELECT body FROM checkpoints WHERE size = ' + sys.argv[2]).fetchone()[0])"
        let keptBody = try runProcess(python, ["-c", read, fixture.archive, "1"])
        try #require(keptBody.status == 0, "\(keptBody.err)")
        try keptBody.out.write(toFile: kept, atomically: true, encoding: .utf8)
        let transcript = try blocks.map { block in
            let block = block.replacingOccurrences(of: "/path/to/kept/checkpoint.txt", with: kept)
            return try runProcess("/bin/sh", ["-c", "cd '\(fixture.bundle)' && \(block)"])
        }
        #expect(transcript.allSatisfy { $0.status == 0 }, "\(transcript.map(\.err))")
        let keyID = try keyID()
        #expect(transcript[0].out.contains("= " + keyID), "\(transcript[0].out)")
        #expect(transcript[1].out.contains("digests and proofs: OK"))
        #expect(transcript[2].out.split(separator: "\n").count == 6)
        #expect(transcript[2].out.split(separator: "\n").allSatisfy { $0.hasPrefix("ok   ") }, "\(transcript[2].out)")
        #expect(
            transcript[3].out.split(separator: "\n") == [
                "report.json: OK", "results/keyvault-key-access.json: OK", "results/keyvault-signs-of-life.json: OK",
                "results/keyvault-vault-configuration.json: OK",
            ], "\(transcript[3].out)")
        #expect(transcript[4].out == "same checkpoint\n", "\(transcript[4].out)")

        // A kept checkpoint the bundle does not start from (here the later checkpoint 2) fails step 6.
        let other = try runProcess(python, ["-c", read, fixture.archive, "2"])
        try other.out.write(toFile: kept, atomically: true, encoding: .utf8)
        let mismatch = try runProcess(
            "/bin/sh",
            [
                "-c",
                "cd '\(fixture.bundle)' && "
                    + blocks[4].replacingOccurrences(of: "/path/to/kept/checkpoint.txt", with: kept),
            ])
        #expect(mismatch.status != 0)
        #expect(!mismatch.out.contains("same checkpoint"))
    }

    @Test func `a changed raw result is named against the manifest, the signed Statement and by sha256sum`() throws {
        let (cli, bundle) = try ExportFixture.copy()
        defer { cli.cleanUp() }
        let file = "reports/leaf-2/results/keyvault-key-access.json"
        let url = URL(fileURLWithPath: bundle + "/" + file)
        var bytes = Array(try Data(contentsOf: url))
        // One digit of a row value, so the file is still well-formed JSON.
        let position = try #require(bytes.lastIndex { (UInt8(ascii: "1")...UInt8(ascii: "8")).contains($0) })
        bytes[position] += 1
        try Data(bytes).write(to: url)

        let verified = cli.run("export", "verify", bundle, "--public-key", fixture.publicKey)
        #expect(verified.status == 3, "\(verified.out)")
        #expect(verified.out.contains("problem: \(file): SHA-256 is"), "\(verified.out)")
        #expect(verified.out.contains("problem: \(file): raw result SHA-256 is"), "\(verified.out)")
        #expect(verified.out.contains("the signed Statement says"), "\(verified.out)")

        let python = try peerPython(needing: ["json"])
        let checked = try runProcess(python, [bundle + "/tools/check_bundle.py", bundle, cli.path("check")])
        #expect(checked.status == 1)
        #expect(checked.out.contains("PROBLEM: \(file): its SHA-256 is not the signed subject's"), "\(checked.out)")

        // The VERIFY.md hand check, on that report, fails on that file only.
        let guide = String(decoding: try Data(contentsOf: URL(fileURLWithPath: bundle + "/VERIFY.md")), as: UTF8.self)
        let block = try #require(
            guide.components(separatedBy: "```sh\n").first { $0.contains("sha256sum -c") }?
                .components(separatedBy: "\n```").first)
        let handCheck = try runProcess(
            "/bin/sh",
            ["-c", "cd '\(bundle)' && " + block.replacingOccurrences(of: "reports/leaf-0", with: "reports/leaf-2")])
        #expect(handCheck.status != 0)
        #expect(handCheck.out.contains("results/keyvault-key-access.json: FAILED"), "\(handCheck.out)")
        #expect(handCheck.out.contains("report.json: OK"))
    }

    func keyID() throws -> String {
        String(decoding: try fixture.read("keys/keyid.txt"), as: UTF8.self).trimmingCharacters(
            in: .whitespacesAndNewlines)
    }

    @Test func `openssl verifies MANIFEST.dsse.json over a PAE rebuilt here`() throws {
        let openssl = try #require(which("openssl"), "the openssl CLI is needed")
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let envelope = try JSONParser.parse(bytes: fixture.read("MANIFEST.dsse.json"))
        let payloadType = try #require(envelope["payloadType"]?.stringValue)
        let payload = try #require(Data(base64Encoded: envelope["payload"]?.stringValue ?? ""))
        #expect(Array(payload) == (try fixture.read("MANIFEST.json")))
        guard case .array(let signatures)? = envelope["signatures"], let first = signatures.first,
            let signature = Data(base64Encoded: first["sig"]?.stringValue ?? "")
        else {
            Issue.record("the manifest envelope has no signature")
            return
        }
        let type = Array(payloadType.utf8)
        let pae = Array("DSSEv1 \(type.count) ".utf8) + type + Array(" \(payload.count) ".utf8) + Array(payload)
        let paePath = cli.path("manifest.pae")
        let signaturePath = cli.path("manifest.sig")
        try signature.write(to: URL(fileURLWithPath: signaturePath))
        let arguments = ["dgst", "-sha256", "-verify", fixture.publicKey, "-signature", signaturePath, paePath]
        try Data(pae).write(to: URL(fileURLWithPath: paePath))
        let good = try runProcess(openssl, arguments)
        #expect(good.status == 0, "\(good.out)\(good.err)")
        try Data(pae.dropLast() + [UInt8(ascii: "!")]).write(to: URL(fileURLWithPath: paePath))
        #expect(try runProcess(openssl, arguments).status != 0)
    }
}

/// Runs the openssl loop of VERIFY.md over the PAE files the Python checker wrote; true when every
/// signature verifies.
func signaturesHold(listedIn directory: String) -> Bool {
    guard let openssl = which("openssl"),
        let list = try? String(contentsOfFile: directory + "/signatures.tsv", encoding: .utf8)
    else { return false }
    var all = true
    for line in list.split(separator: "\n") {
        let fields = line.split(separator: "\t").map(String.init)
        guard fields.count == 5 else { return false }
        let arguments =
            fields[4] == "ed25519"
            ? ["pkeyutl", "-verify", "-pubin", "-inkey", fields[3], "-rawin", "-in", fields[1], "-sigfile", fields[2]]
            : ["dgst", "-sha256", "-verify", fields[3], "-signature", fields[2], fields[1]]
        if (try? runProcess(openssl, arguments))?.status != 0 { all = false }
    }
    return all && !list.isEmpty
}
