/// How Log Analytics names the columns of flattened fields: sanitized paths and type suffixes.

import Foundation
import TableModel

/// The naming rules of `AzureDiagnostics` columns made from record fields.
enum ColumnNaming {
    /// The suffix Log Analytics appends for a column of `type` (`_s`, `_d`, `_b`, `_g`, `_t`), if any.
    static func suffix(for type: ColumnType) -> String? {
        switch type {
        case .string: return "_s"
        case .real: return "_d"
        case .bool: return "_b"
        case .guid: return "_g"
        case .datetime: return "_t"
        default: return nil
        }
    }

    /// The type a suffix stands for, when `name` ends with one and has something before it.
    static func suffixType(of name: String) -> ColumnType? {
        guard name.utf8.count > 2 else { return nil }
        switch name.suffix(2) {
        case "_s": return .string
        case "_d": return .real
        case "_b": return .bool
        case "_g": return .guid
        case "_t": return .datetime
        default: return nil
        }
    }

    /// The field name of a suffixed column (`httpStatusCode_d` → `httpStatusCode`), when its suffix
    /// matches its type.
    static func base(of column: Column) -> String? {
        guard let type = suffixType(of: column.name), type == column.type else { return nil }
        return String(column.name.dropLast(2))
    }

    /// One path segment as a column-name part: every run of characters other than ASCII letters,
    /// digits and `_` becomes one `_` (`http://schemas.microsoft.com/x` → `http_schemas_microsoft_com_x`).
    static func sanitize(_ segment: String) -> String {
        let isClean = segment.utf8.allSatisfy { byte in
            (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57) || byte == 95
        }
        if isClean { return segment }
        var output = ""
        var inRun = false
        for scalar in segment.unicodeScalars {
            let isWordCharacter =
                (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
                || (scalar >= "0" && scalar <= "9") || scalar == "_"
            if isWordCharacter {
                output.unicodeScalars.append(scalar)
                inRun = false
            } else if !inRun {
                output += "_"
                inRun = true
            }
        }
        return output
    }

    /// The type Log Analytics gives a leaf value: GUID- and datetime-looking strings get `guid` and
    /// `datetime`, other strings, arrays and objects `string`, numbers `real`, booleans `bool`.
    /// `nil` for JSON null (null-valued fields make no column).
    static func naturalType(of value: Dynamic) -> ColumnType? {
        switch value {
        case .null: return nil
        case .bool: return .bool
        case .long, .real: return .real
        case .string(let text):
            if guid(from: text) != nil { return .guid }
            if datetime(from: text) != nil { return .datetime }
            return .string
        case .array, .object: return .string
        }
    }

    /// A GUID from `8-4-4-4-12` hex, 32 bare hex digits, or either in braces; `nil` otherwise.
    static func guid(from text: String) -> UUID? {
        let count = text.utf8.count
        guard count == 32 || count == 36 || count == 34 || count == 38 else { return nil }
        var bytes = Array(text.utf8)
        if bytes.first == UInt8(ascii: "{") && bytes.last == UInt8(ascii: "}") {
            bytes = Array(bytes[1..<bytes.count - 1])
        }
        let dashed = bytes.count == 36
        guard dashed || bytes.count == 32 else { return nil }
        var value: [UInt8] = []
        value.reserveCapacity(16)
        var high: UInt8?
        for (index, byte) in bytes.enumerated() {
            if dashed && (index == 8 || index == 13 || index == 18 || index == 23) {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard let nibble = hexValue(byte) else { return nil }
            if let first = high {
                value.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        guard value.count == 16 else { return nil }
        return UUID(
            uuid: (
                value[0], value[1], value[2], value[3], value[4], value[5], value[6], value[7], value[8], value[9],
                value[10], value[11], value[12], value[13], value[14], value[15]
            ))
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 65...70: return byte - 55
        case 97...102: return byte - 87
        default: return nil
        }
    }

    /// A datetime from an ISO 8601 date and time (`YYYY-MM-DDThh:mm…`); a bare date is not one.
    static func datetime(from text: String) -> DateTime? {
        let bytes = text.utf8
        guard bytes.count >= 16, bytes.count <= 40 else { return nil }
        let separator = bytes[bytes.index(bytes.startIndex, offsetBy: 10)]
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") else { return nil }
        return DateTime(iso8601: text)
    }

    /// Property names of Key Vault records, spelled as Log Analytics spells their columns, so that a
    /// record written with other casing (`httpstatuscode`) fills the same column.
    static let canonicalPropertyNames: [String: String] = Dictionary(
        uniqueKeysWithValues: [
            "httpStatusCode", "requestUri", "clientInfo", "id", "addrAuthType", "subnetId", "privateEndpointId",
            "isAddressAuthorized", "trustedService", "tlsVersion", "isRbacAuthorized", "isAccessPolicyMatch",
            "appliedAssignmentId", "keyProperties", "secretProperties", "certificateProperties",
            "certificatePolicyProperties", "networkAcls", "properties",
        ].map { ($0.lowercased(), $0) })

    /// Claim names as tokens spell them (lower case), for records that wrote them otherwise.
    static let canonicalClaimNames: [String: String] = Dictionary(
        uniqueKeysWithValues: [
            "xms_mirid", "xms_az_nwperimid", "oid", "appid", "appidacr", "idtyp", "iss", "upn", "unique_name",
            "ipaddr", "scp", "amr", "home_oid", "tid",
        ].map { ($0, $0) })
}
