/// Secrets never leak: canary tokens, client secrets, federated tokens and private keys are absent
/// from every command's output, reports, archives and files, on success and on error paths.

import EvidenceSigning
import Foundation
import Testing

struct SecretCanaryTests {
    static let token = "canary-access-token-5f1e0c3a9b7d"
    static let clientSecret = "canary-client-secret-8d2b4e6f0a1c"
    static let federated = "canary-federated-eyJhbGciOiJSUzI1NiJ9.c2VjcmV0"

    /// The canaries, plus a distinctive slice of the private key's PEM body.
    static func canaries(privateKeyPEM: String) -> [String] {
        let body = privateKeyPEM.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let start = body.index(body.startIndex, offsetBy: body.count / 3)
        return [token, clientSecret, federated, String(body[start...].prefix(24))]
    }

    @Test func `no canary appears in any output, report, archive or file of any command`() throws {
        let scratch = try Scratch("canary")
        defer { scratch.cleanUp() }
        let federatedFile = scratch.path("federated-token")
        try Self.federated.write(toFile: federatedFile, atomically: true, encoding: .utf8)
        let environment = scratch.environment([
            "PATHPROOF_ACCESS_TOKEN": Self.token, "AZURE_CLIENT_SECRET": Self.clientSecret,
            "AZURE_FEDERATED_TOKEN_FILE": federatedFile, "AZURE_CLIENT_ID": "00000000-0000-0000-0000-000000000001",
            "AZURE_TENANT_ID": "00000000-0000-0000-0000-000000000002",
        ])
        let keys = scratch.path("keys")
        let key = "\(keys)/signing-key.pem"
        let demo = Scratch.repo("Fixtures/demo/contoso-cmk")
        let policy = Scratch.repo("Fixtures/demo/policy.json")
        let workspace = scratch.path("ws.sqlite")
        let archive = scratch.path("archive.sqlite")
        let records = Scratch.sharedFixtures.appendingPathComponent("keyvault-records").path
        let secretInRecord = scratch.path("secret-record.json")
        try "{\"records\":[{\"operationName\":\"KeyGet\",\"token\":\"\(Self.token)\"".write(
            toFile: secretInRecord, atomically: true, encoding: .utf8)
        let window = [
            "--from", "2026-11-02T08:00:00Z", "--to", "2026-11-02T12:00:00Z", "--now", "2026-11-03T00:00:00Z",
        ]

        var runs: [[String]] = [
            [], ["--help"], ["--version"], ["bogus"],
            ["keys", "generate", "--out", keys], ["keys", "generate", "--out", keys], ["keys", "rotate"],
            ["ingest", "--workspace", workspace, records], ["ingest", "--workspace", workspace, federatedFile],
            ["ingest", "--workspace", workspace, secretInRecord], ["ingest", "--workspace", workspace, key],
            ["ingest", "--workspace", workspace, scratch.path("absent.json")], ["ingest"],
            ["query", "--workspace", workspace, "AzureDiagnostics | take 3", "--format", "json"],
            ["query", "print x = 1 +"], ["query", "--file", federatedFile], ["query", "--workspace", key, "T"],
            ["parse", "AzureDiagnostics | where x == 1"], ["parse", "| |"], ["parse", "--file", key],
        ]
        for format in ["text", "json"] {
            runs.append(
                [
                    "verify", "--workspace", demo, "--policy", policy, "--key", key, "--archive", archive, "--out",
                    scratch.path("out-\(format)"), "--format", format,
                ] + window)
        }
        runs += [
            ["verify", "--workspace", demo, "--policy", policy] + window,
            ["verify", "--workspace", demo, "--policy", federatedFile, "--key", key, "--archive", archive],
            ["verify", "--workspace", demo, "--policy", policy, "--key", federatedFile, "--archive", archive],
            ["verify", "--workspace", federatedFile, "--policy", policy, "--key", key],
            ["verify", "--workspace", demo, "--policy", key],
            ["verify", "--workspace", demo],
            ["archive", "verify", "--archive", archive, "--public-key", "\(keys)/signing-key.pub.pem"],
            ["archive", "verify", "--archive", archive],
            ["archive", "verify", "--archive", archive, "--public-key", key],
            ["archive", "verify", "--archive", archive, "--public-key", federatedFile],
            ["archive", "verify", "--archive", federatedFile], ["archive", "verify", "--archive", key],
            ["archive", "verify"], ["archive", "list"],
        ]
        // The commands that read what verify wrote: history, export and its check, diff, watch.
        let bundle = scratch.path("bundle")
        let span = ["--from", "2026-11-01T00:00:00Z", "--to", "2026-11-04T00:00:00Z"]
        let reports = [scratch.path("out-text/report.json"), scratch.path("out-json/report.json")]
        let watch = ["watch", "--every", "1s", "--runs", "1", "--workspace", demo]
        runs += [
            ["archive", "history", "--archive", archive], ["archive", "history", "--archive", federatedFile],
            ["export", "--archive", archive, "--out", bundle, "--key", key] + span,
            ["export", "verify", bundle, "--public-key", "\(keys)/signing-key.pub.pem"],
            ["export", "verify", bundle, "--public-key", federatedFile], ["export", "verify", federatedFile],
            ["export", "--archive", archive, "--out", scratch.path("bundle-2"), "--key", federatedFile] + span,
            ["diff"] + reports, ["diff", federatedFile, reports[1]], ["diff", key, reports[1]],
            watch + [
                "--policy", policy, "--key", key, "--archive", scratch.path("watch.sqlite"), "--from",
                "2026-11-02T08:00:00Z",
            ],
            watch + ["--policy", federatedFile, "--key", key, "--archive", scratch.path("watch.sqlite")],
        ]
        var outcomes: [CommandOutcome] = []
        for arguments in runs { outcomes.append(scratch.run(arguments, environment: environment)) }

        let privateKeyPEM = try String(contentsOfFile: key, encoding: .utf8)
        let canaries = Self.canaries(privateKeyPEM: privateKeyPEM)
        #expect(outcomes.contains { $0.status == 0 && $0.arguments.first == "verify" })
        #expect(outcomes.contains { $0.status == 0 && $0.arguments.first == "archive" })
        for command in ["export", "diff", "watch"] {
            #expect(outcomes.contains { $0.status <= 2 && $0.arguments.first == command }, "\(command) never ran")
        }
        #expect(outcomes.contains { $0.status == 3 })
        // The archive names vaults, identities and addresses: private to its owner, like the key.
        #expect(try Self.mode(archive) == 0o600)
        for outcome in outcomes {
            for canary in canaries {
                #expect(!outcome.out.contains(canary), "stdout of \(outcome.arguments) holds a secret")
                #expect(!outcome.err.contains(canary), "stderr of \(outcome.arguments) holds a secret")
            }
        }
        let placed: Set<String> = [federatedFile, key, secretInRecord]
        for file in scratch.allFiles() where !placed.contains(file.path) {
            for canary in canaries {
                #expect(!file.bytes.contains(bytes: Array(canary.utf8)), "\(file.path) holds a secret")
            }
        }
    }

    @Test func `generated private keys are mode 0600 and a world-readable key is refused`() throws {
        let scratch = try Scratch("keymode")
        defer { scratch.cleanUp() }
        let environment = scratch.environment()
        let keys = scratch.path("keys")
        #expect(scratch.run(["keys", "generate", "--out", keys], environment: environment).status == 0)
        let key = "\(keys)/signing-key.pem"
        #expect(try Self.mode(key) == 0o600)

        // The key created on first use in the PathProof home is private too.
        let verify = scratch.run(
            [
                "verify", "--workspace", Scratch.repo("Fixtures/demo/contoso-cmk"), "--policy",
                Scratch.repo("Fixtures/demo/policy.json"), "--now", "2026-11-03T00:00:00Z",
            ],
            environment: environment)
        #expect([0, 1, 2].contains(verify.status), "\(verify.err)")
        #expect(try Self.mode(scratch.path("home/signing-key.pem")) == 0o600)

        for loose: mode_t in [0o644, 0o604, 0o640] {
            chmod(key, loose)
            #expect(throws: SigningError.self) { _ = try SigningKey.load(privateKeyPEMAt: key) }
            let refused = scratch.run(
                [
                    "verify", "--workspace", Scratch.repo("Fixtures/demo/contoso-cmk"), "--policy",
                    Scratch.repo("Fixtures/demo/policy.json"), "--key", key, "--archive", scratch.path("a.sqlite"),
                ],
                environment: environment)
            #expect(refused.status == 3)
            #expect(refused.err.contains(key), "\(refused.err)")
        }
        chmod(key, 0o600)
        #expect(throws: Never.self) { _ = try SigningKey.load(privateKeyPEMAt: key) }
    }

    static func mode(_ path: String) throws -> mode_t {
        var status = stat()
        guard stat(path, &status) == 0 else { throw CocoaError(.fileNoSuchFile) }
        return status.st_mode & 0o777
    }
}
