/// A token from the signed-in Azure CLI: `az account get-access-token --resource …`.

import Foundation

/// Runs `az account get-access-token` and reads its JSON (`accessToken`, `expires_on`, or the older
/// local-time `expiresOn`).
public struct AzureCLICredential: AccessTokenProvider {
    let executable: String
    let timeout: TimeInterval

    /// Creates the credential; `executable` is `az` looked up on PATH unless given.
    public init(executable: String = "az", timeout: TimeInterval = 30) {
        self.executable = executable
        self.timeout = timeout
    }

    public func token(for scope: String) async throws -> AccessToken {
        let resource = scope.hasSuffix("/.default") ? String(scope.dropLast("/.default".count)) : scope
        guard resource.allSatisfy({ $0.isLetter || $0.isNumber || "-.:/_".contains($0) }) else {
            throw LogAnalyticsError.credentialUnavailable(kind: .azureCLI, reason: "unexpected resource '\(resource)'")
        }
        let output = try await run(["account", "get-access-token", "--resource", resource, "--output", "json"])
        guard output.status == 0 else {
            let message = SecretRedaction.scrub(output.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
            let hint = message.contains("az login") ? "" : " (run 'az login' first)"
            throw LogAnalyticsError.credentialUnavailable(
                kind: .azureCLI, reason: "'az account get-access-token' failed: \(message.prefix(300))\(hint)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any],
            let token = object["accessToken"] as? String
        else {
            throw LogAnalyticsError.credentialUnavailable(kind: .azureCLI, reason: "'az' printed no accessToken")
        }
        if let expiresOn = TokenEndpoint.expiry(object["expires_on"]) {
            return AccessToken(token: token, expiresOn: expiresOn, source: "azure-cli")
        }
        // Older CLIs only print expiresOn, a local time without zone: read it as local time.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSSSSS"
        let expiresOn =
            (object["expiresOn"] as? String).flatMap(formatter.date(from:)) ?? Date().addingTimeInterval(300)
        return AccessToken(token: token, expiresOn: expiresOn, source: "azure-cli")
    }

    private func run(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw LogAnalyticsError.credentialUnavailable(
                kind: .azureCLI,
                reason: "cannot run '\(executable)': \(error.localizedDescription); install the Azure CLI")
        }
        let limit = timeout
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let timer = DispatchWorkItem { if process.isRunning { process.terminate() } }
                DispatchQueue.global().asyncAfter(deadline: .now() + limit, execute: timer)
                let out = stdout.fileHandleForReading.readDataToEndOfFile()
                let err = stderr.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                timer.cancel()
                var status = process.terminationStatus
                var errText = String(decoding: err, as: UTF8.self)
                if process.terminationReason == .uncaughtSignal {
                    status = -1
                    errText = "timed out after \(Int(limit)) s. " + errText
                }
                if status == 127 {
                    errText = "'\(executable)' was not found on PATH; install the Azure CLI. " + errText
                }
                continuation.resume(returning: (status, String(decoding: out, as: UTF8.self), errText))
            }
        }
    }
}
