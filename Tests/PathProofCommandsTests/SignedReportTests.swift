/// Tests that `verify --out` writes a report whose DSSE signature the openssl CLI accepts.

import Foundation
import Testing

@testable import TableModel

struct SignedReportTests {
    /// DSSE's pre-authentication encoding, rebuilt here independently of the product code.
    func pae(payloadType: String, payload: [UInt8]) -> [UInt8] {
        let type = Array(payloadType.utf8)
        return Array("DSSEv1 \(type.count) ".utf8) + type + Array(" \(payload.count) ".utf8) + payload
    }

    /// Checks `signature` over the file `message` with the openssl CLI: `pkeyutl -rawin` for Ed25519,
    /// `dgst -sha256` for ECDSA.
    func opensslVerify(_ openssl: String, algorithm: String, publicKey: String, message: String, signature: String)
        throws -> CommandResult
    {
        if algorithm == "ed25519" {
            return try runProcess(
                openssl,
                ["pkeyutl", "-verify", "-pubin", "-inkey", publicKey, "-rawin", "-in", message, "-sigfile", signature])
        }
        return try runProcess(openssl, ["dgst", "-sha256", "-verify", publicKey, "-signature", signature, message])
    }

    func verifyWithOpenSSL(algorithm: String) throws {
        let openssl = try #require(which("openssl"), "the openssl CLI is needed")
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let keys = cli.path("keys")
        let generated = cli.run("keys", "generate", "--out", keys, "--algorithm", algorithm)
        #expect(generated.status == 0, "\(generated.err)")
        let attributes = try FileManager.default.attributesOfItem(atPath: keys + "/signing-key.pem")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        let out = cli.path("out")
        let result = cli.run(
            "verify", "--workspace", VerifyCommandTests.demo, "--policy", VerifyCommandTests.policy, "--from",
            "2026-11-02T08:00:00Z", "--to", "2026-11-02T12:00:00Z", "--out", out, "--key", keys + "/signing-key.pem",
            "--archive", cli.path("archive.sqlite"), "--now", "2026-11-03T00:00:00Z")
        #expect(result.status == 0, "\(result.err)")

        let reportBytes = try Array(Data(contentsOf: URL(fileURLWithPath: out + "/report.json")))
        let envelope = try JSONParser.parse(
            bytes: Array(Data(contentsOf: URL(fileURLWithPath: out + "/report.dsse.json"))))
        let payloadType = try #require(envelope["payloadType"]?.stringValue)
        #expect(payloadType == "application/vnd.in-toto+json")
        let payloadText = try #require(envelope["payload"]?.stringValue)
        let payload = try #require(Data(base64Encoded: payloadText))
        guard case .array(let signatures)? = envelope["signatures"], let first = signatures.first,
            let signatureText = first["sig"]?.stringValue, let signature = Data(base64Encoded: signatureText)
        else {
            Issue.record("envelope has no signature")
            return
        }

        // The statement's subject is report.json with its SHA-256.
        let statement = try JSONParser.parse(bytes: Array(payload))
        #expect(statement["_type"] == .string("https://in-toto.io/Statement/v1"))
        let digest = try runProcess(openssl, ["dgst", "-sha256", "-r", out + "/report.json"])
        let hex = String(digest.out.prefix(64))
        #expect(statement.jsonText.contains(#""name":"report.json""#))
        #expect(statement.jsonText.contains(hex))
        #expect(reportBytes.count > 0)

        let paePath = cli.path("pae.bin")
        let signaturePath = cli.path("sig.bin")
        try Data(pae(payloadType: payloadType, payload: Array(payload))).write(to: URL(fileURLWithPath: paePath))
        try signature.write(to: URL(fileURLWithPath: signaturePath))
        let publicKey = keys + "/signing-key.pub.pem"
        let check = try opensslVerify(
            openssl, algorithm: algorithm, publicKey: publicKey, message: paePath, signature: signaturePath)
        #expect(check.status == 0, "openssl: \(check.out) \(check.err)")

        // One changed byte of the PAE must fail.
        var tampered = pae(payloadType: payloadType, payload: Array(payload))
        tampered[tampered.count - 2] ^= 0x01
        try Data(tampered).write(to: URL(fileURLWithPath: paePath))
        let bad = try opensslVerify(
            openssl, algorithm: algorithm, publicKey: publicKey, message: paePath, signature: signaturePath)
        #expect(bad.status != 0)
    }

    @Test func `openssl verifies an ECDSA P-256 signed report`() throws {
        try verifyWithOpenSSL(algorithm: "ecdsa-p256")
    }

    @Test func `openssl verifies an Ed25519 signed report`() throws {
        try verifyWithOpenSSL(algorithm: "ed25519")
    }

    @Test func `the signed subjects are the report, each raw result file and the policy, as on disk`() throws {
        let openssl = try #require(which("openssl"), "the openssl CLI is needed")
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let out = cli.path("out")
        let result = cli.run(
            "verify", "--workspace", VerifyCommandTests.demo, "--policy", VerifyCommandTests.policy, "--from",
            "2026-11-02T08:00:00Z", "--to", "2026-11-02T16:00:00Z", "--out", out, "--archive",
            cli.path("archive.sqlite"), "--now", "2026-11-03T00:00:00Z")
        #expect(result.status == 1, "\(result.err)")

        // The Statement, read by Python from the envelope, against digests openssl takes of the files.
        let python = try peerPython(needing: ["json"])
        let script = """
            import base64, json, sys
            envelope = json.load(open(sys.argv[1]))
            for subject in json.loads(base64.b64decode(envelope["payload"]))["subject"]:
                print(subject["name"], subject["digest"]["sha256"])
            """
        let listed = try runProcess(python, ["-c", script, out + "/report.dsse.json"])
        #expect(listed.status == 0, "\(listed.err)")
        let subjects = listed.out.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        let names = subjects.map { $0[0] }
        #expect(
            names == [
                "report.json", "results/keyvault-key-access.json", "results/keyvault-signs-of-life.json",
                "results/keyvault-vault-configuration.json", "policy.json",
            ])
        for subject in subjects {
            let file = subject[0] == "policy.json" ? VerifyCommandTests.policy : out + "/" + subject[0]
            let digest = try runProcess(openssl, ["dgst", "-sha256", "-r", file])
            #expect(String(digest.out.prefix(64)) == subject[1], "\(subject[0])")
        }
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: out + "/results").sorted()
        #expect(
            onDisk == ["keyvault-key-access.json", "keyvault-signs-of-life.json", "keyvault-vault-configuration.json"])

        // Each raw result is a query API response whose rows the report counts, file by file.
        let report = try JSONParser.parse(bytes: Array(Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))))
        guard case .array(let queries)? = report["queries"] else {
            Issue.record("the report has no queries")
            return
        }
        var referenced: [String] = []
        for query in queries {
            guard case .array(let files)? = query["results"] else {
                Issue.record("query \(query["file"]?.stringValue ?? "?") has no results list")
                continue
            }
            #expect(files.isEmpty == (query["rows"] == .null))
            for file in files {
                let name = try #require(file["file"]?.stringValue)
                referenced.append(name)
                let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: out + "/" + name)))
                #expect(file["sha256"]?.stringValue == subjects.first { $0[0] == name }?[1])
                #expect(file["size"] == .long(Int64(bytes.count)))
                let counted = try runProcess(
                    python,
                    [
                        "-c",
                        "import json,sys; print(sum(len(t['rows']) for t in json.load(open(sys.argv[1]))"
                            + "['tables']))", out + "/" + name,
                    ])
                #expect(file["rows"] == .long(Int64(counted.out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1))
                #expect(file["rows"] == query["rows"])
            }
        }
        #expect(referenced == Array(names.dropFirst().dropLast()))
    }

    @Test func `the first verify creates a home key and says so once`() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let arguments = [
            "verify", "--workspace", VerifyCommandTests.demo, "--policy", VerifyCommandTests.policy, "--from",
            "2026-11-02T08:00:00Z", "--to", "2026-11-02T09:00:00Z", "--now", "2026-11-03T00:00:00Z",
        ]
        let first = cli.run(arguments)
        #expect(first.err.contains("created signing key"))
        #expect(first.err.contains("fingerprint"))
        let second = cli.run(arguments)
        #expect(!second.err.contains("created signing key"))
        #expect(first.status == second.status)
        let archive = cli.run("archive", "verify")
        #expect(archive.status == 0, "\(archive.out)\(archive.err)")
    }
}
