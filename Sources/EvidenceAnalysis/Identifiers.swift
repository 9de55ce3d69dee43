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
        let segments = asciiFolded(text.trimmed).split(separator: "/", omittingEmptySubsequences: true)
        return "/" + segments.joined(separator: "/")
    }

    /// `text` with ASCII letters lower-cased and every other character written as `\u{hex}`, so two
    /// forms are equal only for the same scalars: a look-alike such as the Kelvin sign (U+212A),
    /// which Swift's `lowercased()` and `==` treat as `k`, stays a different name.
    static func asciiFolded(_ text: String) -> String {
        var folded = ""
        folded.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                folded.unicodeScalars.append(
                    ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32)! : scalar)
            } else {
                folded += "\\u{\(String(scalar.value, radix: 16))}"
            }
        }
        return folded
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
        var hex: [UInt8] = []
        hex.reserveCapacity(32)
        var core = Array(text.trimmed.utf8)
        if core.first == UInt8(ascii: "{") && core.last == UInt8(ascii: "}") {
            core = Array(core.dropFirst().dropLast())
        }
        let dashed = core.count == 36
        guard dashed || core.count == 32 else { return nil }
        for (index, byte) in core.enumerated() {
            if dashed && [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): hex.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): hex.append(byte + 32)
            default: return nil
            }
        }
        for position in [20, 16, 12, 8] { hex.insert(UInt8(ascii: "-"), at: position) }
        return String(decoding: hex, as: UTF8.self)
    }

    /// A vault name in comparison form (lower case, trimmed).
    public static func normalizedVault(_ text: String) -> String {
        asciiFolded(text.trimmed)
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

    /// The tenant id in a token issuer (`https://sts.windows.net/{tid}/`,
    /// `https://login.microsoftonline.com/{tid}/v2.0`, any cloud): the first path segment that is a
    /// GUID, in comparison form; `nil` when the issuer names no tenant id.
    public static func tenant(fromIssuer text: String) -> String? {
        tenants(fromIssuer: text).first
    }

    /// Every GUID an issuer names, host labels included, in comparison form, in order: an issuer
    /// names one tenant, so a second one (or a GUID host) is a reason for doubt, not to ignore.
    public static func tenants(fromIssuer text: String) -> [String] {
        let afterScheme = text.range(of: "://").map { text[$0.upperBound...] } ?? text[...]
        return afterScheme.split(whereSeparator: { "/.:".contains($0) }).compactMap { normalizedGUID(String($0)) }
    }
}
