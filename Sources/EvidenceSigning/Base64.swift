/// Base64 as DSSE uses it: standard alphabet on output, standard or URL-safe accepted on input.

import Foundation

/// Base64 encoding and the lenient decoding DSSE verifiers must do.
public enum Base64 {
    /// Standard base64 (RFC 4648 §4) with padding.
    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    /// Decodes standard or URL-safe base64, with or without padding; `nil` when `text` is neither.
    public static func decode(_ text: String) -> [UInt8]? {
        var standard = String(text.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        guard !standard.contains("=") || standard.count % 4 == 0 else { return nil }
        if standard.count % 4 == 1 { return nil }
        while standard.count % 4 != 0 { standard.append("=") }
        return Data(base64Encoded: standard).map { [UInt8]($0) }
    }
}
