/// Finding the key name and version a request addressed, from its request URI or key id.

import Foundation

/// The key a request addressed.
struct KeyReference: Sendable, Hashable {
    /// The key name, lower case (Key Vault key names are case-insensitive).
    var name: String
    /// The key version, lower case, when the URI names one.
    var version: String?

    private static let actions: Set<String> = [
        "wrapkey", "unwrapkey", "encrypt", "decrypt", "sign", "verify", "rotate", "rotationpolicy", "release",
        "backup", "restore", "import", "create", "versions",
    ]

    /// Reads `…/keys/{name}[/{version}][/{action}]` from a URI or a path; `nil` when absent.
    init?(uri: String) {
        var text = Substring(uri)
        if let query = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = text[..<query] }
        if let scheme = text.range(of: "://") {
            let rest = text[scheme.upperBound...]
            text = rest.firstIndex(of: "/").map { rest[$0...] } ?? ""
        }
        let segments = text.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        guard let keys = segments.firstIndex(where: { $0.lowercased() == "keys" }), keys + 1 < segments.count else {
            return nil
        }
        name = segments[keys + 1].lowercased()
        let next = keys + 2 < segments.count ? segments[keys + 2].lowercased() : nil
        version = next.flatMap { KeyReference.actions.contains($0) ? nil : $0 }
    }

    /// Whether this reference falls inside `scope`.
    func matches(_ scope: KeyScope) -> Bool {
        guard name == scope.name.lowercased() else { return false }
        guard let pinned = scope.version?.lowercased() else { return true }
        return version == pinned
    }
}
