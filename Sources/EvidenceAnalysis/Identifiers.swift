/// Normalizing the identifiers the analyzer compares: ARM resource ids, GUIDs and vault names.

import Foundation

/// Comparison forms of Azure identifiers.
///
/// ARM ids are case-insensitive (the `xms_mirid` claim writes `resourcegroups` in lower case,
/// ARM elsewhere writes `resourceGroups`), and Log Analytics re-formats GUIDs, so every
/// comparison goes through these forms.
public enum Identifiers {
    /// An ARM id in comparison form: trimmed, lower case, one leading slash, no trailing slash,
    /// no empty segments.
    public static func normalizedResourceID(_ text: String) -> String {
        let segments = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            .split(separator: "/", omittingEmptySubsequences: true)
        return "/" + segments.joined(separator: "/")
    }

    /// Whether `text` has the shape of a Power Platform enterprise policy ARM id:
    /// `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.PowerPlatform/enterprisePolicies/{name}`.
    public static func isEnterprisePolicyID(_ text: String) -> Bool {
        let segments = normalizedResourceID(text).split(separator: "/").map(String.init)
        return segments.count == 8 && segments[0] == "subscriptions" && segments[2] == "resourcegroups"
            && segments[4] == "providers" && segments[5] == "microsoft.powerplatform"
            && segments[6] == "enterprisepolicies"
    }

    /// A GUID in comparison form (lower case, dashed), or `nil` when `text` is not a GUID.
    ///
    /// Braces and surrounding space are tolerated; 32 hex digits without dashes are accepted,
    /// since Log Analytics re-formats GUID-looking strings.
    public static func normalizedGUID(_ text: String) -> String? {
        var core = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if core.hasPrefix("{") && core.hasSuffix("}") { core = String(core.dropFirst().dropLast()) }
        if core.count == 32, core.allSatisfy(\.isHexDigit) {
            let chars = Array(core)
            core = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(chars[$0]) }.joined(separator: "-")
        }
        guard let uuid = UUID(uuidString: core) else { return nil }
        return uuid.uuidString.lowercased()
    }

    /// A vault name in comparison form (lower case, trimmed).
    public static func normalizedVault(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// The vault name at the end of a vault ARM id (`…/VAULTS/NAME` or `…/MANAGEDHSMS/NAME`).
    public static func vaultName(fromResourceID text: String) -> String? {
        let segments = text.split(separator: "/").map(String.init)
        guard segments.count >= 2 else { return nil }
        let kind = segments[segments.count - 2].lowercased()
        guard kind == "vaults" || kind == "managedhsms" else { return nil }
        return segments[segments.count - 1]
    }

    /// The vault name in a Key Vault or Managed HSM URI's host
    /// (`https://kv-cmk.vault.azure.net:443/keys/…` → `kv-cmk`), in any Azure cloud.
    public static func vaultName(fromURI text: String) -> String? {
        guard let scheme = text.range(of: "://") else { return nil }
        let rest = text[scheme.upperBound...]
        let host = rest.prefix { $0 != "/" && $0 != ":" && $0 != "?" }.lowercased()
        let labels = host.split(separator: ".")
        guard labels.count >= 3, labels[1] == "vault" || labels[1] == "managedhsm" else { return nil }
        return String(labels[0])
    }
}
