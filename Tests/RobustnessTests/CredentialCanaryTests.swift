/// Log Analytics credentials never leak: client secrets, certificate private keys, federated tokens,
/// PATHPROOF_ACCESS_TOKEN, identity headers and the tokens endpoints issue stay out of every output,
/// when the query succeeds and when the token endpoint or the query API fails, echoes the request,
/// answers with the wrong audience, cut-off JSON, a dropped connection or not at all.

import Foundation
import Testing

struct CredentialCanaryTests {
    static let accessToken = "canary-access-token-5f1e0c3a9b7d"
    static let clientSecret = "canary-client-secret-8d2b4e6f0a1c"
    static let federated = "canary-federated-eyJhbGciOiJSUzI1NiJ9.c2VjcmV0"
    static let identityHeader = "canary-identity-header-3e7a4c"
    static let cliToken = "canary-azure-cli-token-7c4d1e9b"
    static let workspaceID = "00000000-0000-0000-0000-00000000abcd"

    /// One command run against the canary server.
    struct Case {
        let label: String
        let credential: String
        let environment: [String: String]
        let queryMode: String
    }

    /// Every credential kind with every failure its token endpoint can show, then the query API's.
    static func cases(_ server: CanaryServer, certificate: String, brokenCertificate: String, federatedFile: String)
        -> [Case]
    {
        let tokenModes = ["ok", "echo", "echotext", "wrongaud", "malformed", "drop"]
        var cases: [Case] = []
        let entra: [(String, [String: String])] = [
            ("client-secret", ["AZURE_CLIENT_SECRET": clientSecret]),
            ("client-certificate", ["AZURE_CLIENT_CERTIFICATE_PATH": certificate]),
            ("workload-identity", ["AZURE_FEDERATED_TOKEN_FILE": federatedFile]),
        ]
        for (kind, secret) in entra {
            for mode in tokenModes {
                cases.append(
                    Case(
                        label: "\(kind) token \(mode)", credential: kind,
                        environment: secret.merging(["AZURE_AUTHORITY_HOST": server.url("token", mode)]) { $1 },
                        queryMode: "ok"))
            }
        }
        cases.append(
            Case(
                label: "client-certificate with a cut certificate", credential: "client-certificate",
                environment: [
                    "AZURE_CLIENT_CERTIFICATE_PATH": brokenCertificate,
                    "AZURE_AUTHORITY_HOST": server.url("token", "ok"),
                ], queryMode: "ok"))
        for mode in ["ok", "echo", "echotext", "wrongaud", "malformed", "drop"] {
            cases.append(
                Case(
                    label: "managed identity (IMDS) \(mode)", credential: "managed-identity",
                    environment: ["PATHPROOF_IMDS_ENDPOINT": server.url("imds", mode)], queryMode: "ok"))
            cases.append(
                Case(
                    label: "managed identity (App Service) \(mode)", credential: "managed-identity",
                    environment: ["IDENTITY_ENDPOINT": server.url("appsvc", mode), "IDENTITY_HEADER": identityHeader],
                    queryMode: "ok"))
        }
        // IMDS that never answers: the auto chain gives it one second.
        cases.append(
            Case(
                label: "auto with a silent IMDS", credential: "auto",
                environment: ["PATHPROOF_IMDS_ENDPOINT": server.url("imds", "hang")], queryMode: "ok"))
        for queryMode in ["ok", "echo401", "echo403", "echo400", "notables"] {
            cases.append(
                Case(
                    label: "token-env, query API \(queryMode)", credential: "token-env",
                    environment: ["PATHPROOF_ACCESS_TOKEN": accessToken], queryMode: queryMode))
            cases.append(
                Case(
                    label: "client-secret, query API \(queryMode)", credential: "client-secret",
                    environment: [
                        "AZURE_CLIENT_SECRET": clientSecret, "AZURE_AUTHORITY_HOST": server.url("token", "ok"),
                    ], queryMode: queryMode))
            cases.append(
                Case(
                    label: "App Service identity, query API \(queryMode)", credential: "managed-identity",
                    environment: ["IDENTITY_ENDPOINT": server.url("appsvc", "ok"), "IDENTITY_HEADER": identityHeader],
                    queryMode: queryMode))
        }
        return cases
    }

    @Test func `no credential secret or issued token appears in any output, on success or on failure`() throws {
        let server = try CanaryServer()
        defer { server.stop() }
        let scratch = try Scratch("credential-canary")
        defer { scratch.cleanUp() }
        let (certificate, brokenCertificate, privateKey) = try Self.makeCertificate(in: scratch)
        let federatedFile = scratch.path("federated-token")
        try (Self.federated + "\n").write(toFile: federatedFile, atomically: true, encoding: .utf8)
        var cases = Self.cases(
            server, certificate: certificate, brokenCertificate: brokenCertificate, federatedFile: federatedFile)
        // The Azure CLI: a token, a failure that prints it to stderr, cut-off JSON that holds it.
        let expires = Int(Date().timeIntervalSince1970) + 3600
        let azScripts = [
            ("ok", "echo '{\"accessToken\":\"\(Self.cliToken)\",\"expires_on\":\(expires),\"tokenType\":\"Bearer\"}'"),
            (
                "fails",
                "echo 'ERROR: unexpected answer {\"accessToken\": \"\(Self.cliToken)\", "
                    + "\"tokenType\": \"Bearer\"}' >&2; exit 1"
            ),
            ("malformed", "echo '{\"accessToken\":\"\(Self.cliToken)\",\"expires_on\":'"),
        ]
        for (mode, body) in azScripts {
            let script = scratch.path("az-\(mode)")
            try "#!/bin/sh\n\(body)\n".write(toFile: script, atomically: true, encoding: .utf8)
            chmod(script, 0o755)
            cases.append(
                Case(
                    label: "azure-cli \(mode)\(mode == "ok" ? "" : ", query API ok")", credential: "azure-cli",
                    environment: ["PATHPROOF_AZ": script], queryMode: "ok"))
        }
        let policy = Scratch.repo("Fixtures/demo/policy.json")
        let window = [
            "--from", "2026-11-02T08:00:00Z", "--to", "2026-11-02T12:00:00Z", "--now", "2026-11-03T00:00:00Z",
        ]

        var outcomes: [CommandOutcome] = []
        for (number, item) in cases.enumerated() {
            let environment = scratch.environment(
                [
                    "AZURE_TENANT_ID": "00000000-0000-0000-0000-000000000002",
                    "AZURE_CLIENT_ID": "00000000-0000-0000-0000-000000000001", "PATHPROOF_AZ": scratch.path("no-az"),
                    "GITHUB_STEP_SUMMARY": scratch.path("summary-\(number).md"),
                ].merging(item.environment) { $1 })
            let remote = [
                "--log-analytics", Self.workspaceID, "--endpoint", server.url("la", item.queryMode), "--credential",
                item.credential,
            ]
            outcomes.append(
                scratch.run(["query"] + remote + window.prefix(4) + ["print x = 1"], environment: environment))
            if item.label.hasSuffix(" ok") || item.label.contains("query API") {
                outcomes.append(
                    scratch.run(
                        ["verify"] + remote + window + [
                            "--policy", policy, "--out", scratch.path("out-\(number)"), "--archive",
                            scratch.path("archive.sqlite"), "--junit", scratch.path("junit-\(number).xml"), "--ci",
                            "github", "--format", number % 2 == 0 ? "json" : "text", "--verbose",
                        ],
                        environment: environment))
            }
        }

        // The runs did reach every path: tokens were issued and used, and refusals were reported.
        #expect(outcomes.contains { $0.arguments.first == "query" && $0.status == 0 })
        #expect(outcomes.contains { $0.arguments.first == "verify" && [0, 1, 2].contains($0.status) })
        #expect(outcomes.filter { $0.status == 3 }.count > 20)
        #expect(outcomes.contains { $0.err.contains("AADSTS7000215") })
        #expect(outcomes.contains { $0.err.contains("InvalidAuthenticationTokenAudience") })
        let cli = outcomes.filter { $0.arguments.contains("azure-cli") }
        #expect(cli.contains { $0.status == 0 } && cli.contains { $0.status == 3 }, "the Azure CLI paths all ran")
        #expect(FileManager.default.fileExists(atPath: scratch.path("archive.sqlite")))

        let canaries =
            [Self.accessToken, Self.clientSecret, Self.federated, Self.identityHeader, Self.cliToken, privateKey]
            + CanaryServer.issuedTokenCanaries
        for outcome in outcomes {
            for canary in canaries {
                #expect(!outcome.out.contains(canary), "stdout of \(outcome.arguments) holds \(canary)")
                #expect(!outcome.err.contains(canary), "stderr of \(outcome.arguments) holds \(canary)")
            }
        }
        // Reports, JUnit files, step summaries and the archive were written, so they were searched too.
        let files = scratch.allFiles().map(\.path)
        #expect(files.contains { $0.hasSuffix("/report.json") })
        #expect(files.contains { $0.hasSuffix("/report.dsse.json") })
        #expect(files.contains { $0.hasSuffix(".xml") })
        #expect(files.contains { $0.contains("summary-") })
        let placed: Set<String> = [
            federatedFile, certificate, brokenCertificate, scratch.path("key.pem"), scratch.path("az-ok"),
            scratch.path("az-fails"), scratch.path("az-malformed"),
        ]
        var checked = 0
        for file in scratch.allFiles() where !placed.contains(file.path) {
            checked += 1
            for canary in canaries {
                #expect(!file.bytes.contains(bytes: Array(canary.utf8)), "\(file.path) holds \(canary)")
            }
        }
        #expect(checked > 5)
    }

    /// A PEM with an RSA private key and its certificate, one whose certificate is cut, and a slice of
    /// the private key's base64 body to look for.
    static func makeCertificate(in scratch: Scratch) throws -> (String, String, String) {
        let key = scratch.path("key.pem")
        let certificate = scratch.path("certificate.pem")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
            "-days", "2", "-subj", "/CN=pathproof-canary",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let keyPEM = try String(contentsOfFile: key, encoding: .utf8)
        let certificatePEM = try String(contentsOfFile: certificate, encoding: .utf8)
        let combined = scratch.path("combined.pem")
        try (keyPEM + certificatePEM).write(toFile: combined, atomically: true, encoding: .utf8)
        let broken = scratch.path("broken.pem")
        try (keyPEM + certificatePEM.prefix(certificatePEM.count / 2)).write(
            toFile: broken, atomically: true, encoding: .utf8)
        for path in [key, combined, broken] { chmod(path, 0o600) }
        let body = keyPEM.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let start = body.index(body.startIndex, offsetBy: body.count / 3)
        return (combined, broken, String(body[start...].prefix(24)))
    }
}
