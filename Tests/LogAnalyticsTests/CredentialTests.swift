/// Every credential kind against the loopback token endpoints, a fake `az`, and OpenSSL checking signatures.

import Foundation
import LogAnalytics
import Testing

struct CredentialTests {
    private let scope = "https://api.loganalytics.io/.default"

    private func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pp-cred-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func `token-env reads PATHPROOF_ACCESS_TOKEN and names the variable when it is missing`() async throws {
        let credential = try LogAnalyticsClient.makeCredential(
            kind: .tokenEnv,
            environment: ["PATHPROOF_ACCESS_TOKEN": "abc\n", "PATHPROOF_ACCESS_TOKEN_EXPIRES_ON": "4102444800"])
        let token = try await credential.token(for: scope)
        #expect(token.token == "abc")
        #expect(token.expiresOn == Date(timeIntervalSince1970: 4_102_444_800))
        #expect(token.source == "token-env")
        #expect(throws: LogAnalyticsError.self) {
            try LogAnalyticsClient.makeCredential(kind: .tokenEnv, environment: [:])
        }
        do {
            _ = try LogAnalyticsClient.makeCredential(kind: .tokenEnv, environment: [:])
        } catch {
            #expect("\(error)".contains("PATHPROOF_ACCESS_TOKEN is not set"))
        }
    }

    @Test func `a token is never printed, dumped or reflected`() {
        let token = AccessToken(token: "SECRET-TOKEN-TEXT", expiresOn: Date(), source: "token-env")
        var dumped = ""
        dump(token, to: &dumped)
        for text in [String(describing: token), String(reflecting: token), dumped, "\(token)"] {
            #expect(!text.contains("SECRET-TOKEN-TEXT"))
        }
    }

    @Test func `client secret posts the client-credentials form to the tenant's v2 endpoint`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let environment = [
            "AZURE_TENANT_ID": "tenant-1", "AZURE_CLIENT_ID": "client-1", "AZURE_CLIENT_SECRET": "s3cret&=+",
            "AZURE_AUTHORITY_HOST": server.base("token", "ok").absoluteString,
        ]
        let token = try await LogAnalyticsClient.makeCredential(kind: .clientSecret, environment: environment)
            .token(for: scope)
        #expect(token.source == "client-secret")
        #expect(token.audienceClaim == "https://api.loganalytics.io")
        #expect(token.expiresOn.timeIntervalSinceNow > 3000)
        let request = try #require(try await server.requests().first)
        #expect(request.path.hasSuffix("/tenant-1/oauth2/v2.0/token"))
        #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(
            request.form == [
                "client_id": "client-1", "scope": scope, "grant_type": "client_credentials",
                "client_secret": "s3cret&=+",
            ])
    }

    @Test func `a refused client secret reports Entra's own error`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let environment = [
            "AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c", "AZURE_CLIENT_SECRET": "wrong",
            "AZURE_AUTHORITY_HOST": server.base("token", "fail").absoluteString,
        ]
        let credential = try LogAnalyticsClient.makeCredential(kind: .clientSecret, environment: environment)
        await #expect {
            _ = try await credential.token(for: scope)
        } throws: { error in
            let text = "\(error)"
            return text.contains("HTTP 401 invalid_client") && text.contains("AADSTS7000215") && !text.contains("wrong")
        }
    }

    @Test func `workload identity re-reads the federated token file for every token`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("token")
        try "first-assertion\n".write(to: file, atomically: true, encoding: .utf8)
        let environment = [
            "AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c", "AZURE_FEDERATED_TOKEN_FILE": file.path,
            "AZURE_AUTHORITY_HOST": server.base("token", "ok").absoluteString,
        ]
        let credential = try LogAnalyticsClient.makeCredential(kind: .workloadIdentity, environment: environment)
        _ = try await credential.token(for: scope)
        try "second-assertion".write(to: file, atomically: true, encoding: .utf8)
        _ = try await credential.token(for: scope)
        let forms = try await server.requests().map(\.form)
        #expect(forms.map { $0["client_assertion"] } == ["first-assertion", "second-assertion"])
        #expect(forms.first?["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
    }

    @Test func `a client certificate signs an RS256 assertion that OpenSSL verifies`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = directory.appendingPathComponent("key.pem").path
        let certificate = directory.appendingPathComponent("cert.pem").path
        try openssl([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "2",
            "-subj", "/CN=pathproof-test",
        ])
        let combined = directory.appendingPathComponent("combined.pem")
        try (String(contentsOfFile: key, encoding: .utf8) + String(contentsOfFile: certificate, encoding: .utf8))
            .write(to: combined, atomically: true, encoding: .utf8)
        let environment = [
            "AZURE_TENANT_ID": "tenant-9", "AZURE_CLIENT_ID": "client-9",
            "AZURE_CLIENT_CERTIFICATE_PATH": combined.path,
            "AZURE_AUTHORITY_HOST": server.base("token", "ok").absoluteString,
        ]
        // A private key every user can read is refused, with the remedy.
        chmod(combined.path, 0o644)
        await #expect {
            _ = try await LogAnalyticsClient.makeCredential(kind: .clientCertificate, environment: environment)
                .token(for: scope)
        } throws: { error in
            "\(error)".contains("every user can read it (mode 644)") && "\(error)".contains("chmod 600")
        }
        #expect(try await server.requests().isEmpty, "nothing was sent with a refused key")
        chmod(combined.path, 0o600)
        _ = try await LogAnalyticsClient.makeCredential(kind: .clientCertificate, environment: environment)
            .token(for: scope)
        let form = try #require(try await server.requests().first?.form)
        let assertion = try #require(form["client_assertion"])
        let parts = assertion.split(separator: ".").map(String.init)
        #expect(parts.count == 3)

        // The signature verifies with the certificate's public key.
        let input = directory.appendingPathComponent("input")
        let signature = directory.appendingPathComponent("signature")
        let publicKey = directory.appendingPathComponent("public.pem").path
        try Data((parts[0] + "." + parts[1]).utf8).write(to: input)
        try base64URL(parts[2]).write(to: signature)
        try openssl(["x509", "-in", certificate, "-pubkey", "-noout", "-out", publicKey])
        let verified = try openssl([
            "dgst", "-sha256", "-verify", publicKey, "-signature", signature.path, input.path,
        ])
        #expect(verified.contains("Verified OK"))

        // The header names the certificate by its SHA-256 thumbprint; the claims fit Entra's rules.
        let header = try JSONSerialization.jsonObject(with: base64URL(parts[0])) as? [String: Any]
        let claims = try JSONSerialization.jsonObject(with: base64URL(parts[1])) as? [String: Any]
        let der = directory.appendingPathComponent("cert.der").path
        try openssl(["x509", "-in", certificate, "-outform", "DER", "-out", der])
        let digest = try opensslData(["dgst", "-sha256", "-binary", der])
        #expect(header?["alg"] as? String == "RS256")
        #expect(base64URL(header?["x5t#S256"] as? String ?? "") == digest)
        #expect(claims?["aud"] as? String == server.base("token", "ok").absoluteString + "/tenant-9/oauth2/v2.0/token")
        #expect(claims?["iss"] as? String == "client-9")
        #expect(claims?["sub"] as? String == "client-9")
        let issued = (claims?["nbf"] as? NSNumber)?.intValue ?? 0
        #expect((claims?["exp"] as? NSNumber)?.intValue == issued + 600)
    }

    @Test func `managed identity asks IMDS with the Metadata header and retries while it updates`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let environment = [
            "PATHPROOF_IMDS_ENDPOINT": server.base("imds", "s410,ok").absoluteString,
            "PATHPROOF_MANAGED_IDENTITY_CLIENT_ID": "mi-client",
        ]
        let token = try await LogAnalyticsClient.makeCredential(kind: .managedIdentity, environment: environment)
            .token(for: scope)
        #expect(token.source == "managed-identity (IMDS)")
        #expect(token.audienceClaim == "https://api.loganalytics.io")
        let requests = try await server.requests()
        #expect(requests.count == 2)
        let query = URLComponents(string: requests[1].path)?.queryItems ?? []
        #expect(requests[1].header("Metadata") == "true")
        #expect(query.contains(URLQueryItem(name: "resource", value: "https://api.loganalytics.io")))
        #expect(query.contains(URLQueryItem(name: "client_id", value: "mi-client")))
        #expect(query.contains(URLQueryItem(name: "api-version", value: "2018-02-01")))
    }

    @Test func `App Service identity sends its header and reads the dated expires_on`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let environment = [
            "IDENTITY_ENDPOINT": server.base("appsvc", "ok").absoluteString, "IDENTITY_HEADER": "secret-header",
        ]
        let token = try await LogAnalyticsClient.makeCredential(kind: .managedIdentity, environment: environment)
            .token(for: scope)
        #expect(token.token == "appsvc-token")
        #expect(token.expiresOn == Date(timeIntervalSince1970: 1_920_122_311))
    }

    @Test func `azure-cli runs az with the Log Analytics resource and reads expires_on`() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = directory.appendingPathComponent("arguments")
        let fake = try script(
            in: directory,
            """
            echo "$@" > '\(arguments.path)'
            echo '{"accessToken":"cli-token","expiresOn":"2030-01-01 00:00:00.000000",'
            echo '"expires_on":1893456000,"tokenType":"Bearer"}'
            """)
        let token = try await LogAnalyticsClient.makeCredential(kind: .azureCLI, environment: ["PATHPROOF_AZ": fake])
            .token(for: scope)
        #expect(token.token == "cli-token")
        #expect(token.expiresOn == Date(timeIntervalSince1970: 1_893_456_000))
        let sent = try String(contentsOf: arguments, encoding: .utf8)
        #expect(sent == "account get-access-token --resource https://api.loganalytics.io --output json\n")
    }

    @Test func `azure-cli that is not signed in says so`() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fake = try script(in: directory, "echo \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1")
        let credential = try LogAnalyticsClient.makeCredential(kind: .azureCLI, environment: ["PATHPROOF_AZ": fake])
        await #expect {
            _ = try await credential.token(for: scope)
        } throws: { error in
            guard case LogAnalyticsError.credentialUnavailable(.azureCLI, let reason) = error else { return false }
            return reason.contains("az login")
        }
    }

    @Test func `auto skips an absent managed identity and uses the Azure CLI`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fake = try script(in: directory, "echo '{\"accessToken\":\"cli\",\"expires_on\":1893456000}'")
        let environment = ["PATHPROOF_IMDS_ENDPOINT": server.base("imds", "s500").absoluteString, "PATHPROOF_AZ": fake]
        let token = try await LogAnalyticsClient.makeCredential(kind: .auto, environment: environment).token(for: scope)
        #expect(token.token == "cli")
        #expect(token.source == "auto → azure-cli")
    }

    @Test func `auto prefers a client secret in the environment`() async throws {
        let server = try LoopbackServer()
        defer { server.stop() }
        let environment = [
            "AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c", "AZURE_CLIENT_SECRET": "s",
            "AZURE_AUTHORITY_HOST": server.base("token", "ok").absoluteString,
            "PATHPROOF_IMDS_ENDPOINT": server.base("imds", "ok").absoluteString, "PATHPROOF_AZ": "/nonexistent/az",
        ]
        let token = try await LogAnalyticsClient.makeCredential(kind: .auto, environment: environment).token(for: scope)
        #expect(token.source == "auto → client-secret")
        #expect(try await server.requests().count == 1)
    }

    // MARK: - Helpers

    private func script(in directory: URL, _ body: String) throws -> String {
        let path = directory.appendingPathComponent("az").path
        try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    @discardableResult
    private func openssl(_ arguments: [String]) throws -> String {
        try String(decoding: opensslData(arguments), as: UTF8.self)
    }

    private func opensslData(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ServerFailure(message: "openssl \(arguments.joined(separator: " ")) failed")
        }
        return data
    }

    private func base64URL(_ text: String) -> Data {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64) ?? Data()
    }
}
