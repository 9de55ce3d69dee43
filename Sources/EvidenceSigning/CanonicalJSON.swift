/// RFC 8785 JSON Canonicalization Scheme (JCS) writer over `Dynamic`.

import TableModel

/// Writes `Dynamic` values as RFC 8785 canonical JSON: the bytes every signed or hashed JSON file uses.
///
/// Rules applied: no whitespace; object members sorted by the UTF-16 code units of their names;
/// strings escaped as ECMAScript `JSON.stringify` does (only `"`, `\` and U+0000–U+001F, short
/// forms where they exist, otherwise lowercase `\u00xx`); numbers formatted as ECMAScript's
/// Number-to-String (shortest round trip, exponent form from 1e21 and below 1e-6, `-0` as `0`).
/// Refused: NaN and infinities (JSON cannot hold them) and integers beyond ±(2^53 − 1), which an
/// IEEE double, and so every JCS verifier, would silently round. Duplicate member names and
/// lone surrogates cannot occur in `Dynamic`.
public enum CanonicalJSON {
    /// The largest integer magnitude written exactly: 2^53 − 1.
    public static let maxSafeInteger: Int64 = 9_007_199_254_740_991

    /// The canonical UTF-8 bytes of `value`.
    public static func encode(_ value: Dynamic) throws(SigningError) -> [UInt8] {
        var output: [UInt8] = []
        try write(value, path: "$", to: &output)
        return output
    }

    /// The canonical text of `value`.
    public static func string(_ value: Dynamic) throws(SigningError) -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }

    private static func write(_ value: Dynamic, path: String, to output: inout [UInt8])
        throws(SigningError)
    {
        switch value {
        case .null: output += Array("null".utf8)
        case .bool(let flag): output += Array((flag ? "true" : "false").utf8)
        case .long(let number):
            guard number >= -maxSafeInteger, number <= maxSafeInteger else {
                throw .notCanonicalizable(
                    path: path,
                    reason: "integer \(number) is beyond ±(2^53 − 1); write it as a string")
            }
            output += Array(String(number).utf8)
        case .real(let number):
            guard number.isFinite else {
                throw .notCanonicalizable(path: path, reason: "\(number) is not a finite number")
            }
            output += Array(ecmaScriptNumber(number).utf8)
        case .string(let text): appendString(text, to: &output)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                try write(item, path: "\(path)[\(index)]", to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            let names = members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            for (index, name) in names.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                appendString(name, to: &output)
                output.append(UInt8(ascii: ":"))
                try write(members[name]!, path: "\(path).\(name)", to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func appendString(_ text: String, to output: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output += [0x5C, 0x22]
            case UInt8(ascii: "\\"): output += [0x5C, 0x5C]
            case 0x08: output += [0x5C, UInt8(ascii: "b")]
            case 0x09: output += [0x5C, UInt8(ascii: "t")]
            case 0x0A: output += [0x5C, UInt8(ascii: "n")]
            case 0x0C: output += [0x5C, UInt8(ascii: "f")]
            case 0x0D: output += [0x5C, UInt8(ascii: "r")]
            case 0x00..<0x20:
                output += Array("\\u00".utf8)
                output += [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// ECMAScript Number::toString for a finite double (ECMA-262 §6.1.6.1.20, radix 10).
    ///
    /// Swift's `description` already yields the shortest digit string that round-trips (the
    /// same digits ECMAScript requires); this lays those digits out the ECMAScript way.
    static func ecmaScriptNumber(_ number: Double) -> String {
        if number == 0 { return "0" }
        if number < 0 { return "-" + ecmaScriptNumber(-number) }
        let (digits, exponent) = shortestDigits(number)
        let k = digits.count
        let n = exponent
        if k <= n && n <= 21 {
            return digits + String(repeating: "0", count: n - k)
        }
        if 0 < n && n <= 21 {
            return String(digits.prefix(n)) + "." + String(digits.dropFirst(n))
        }
        if -6 < n && n <= 0 {
            return "0." + String(repeating: "0", count: -n) + digits
        }
        let e = n - 1
        let sign = e < 0 ? "-" : "+"
        let mantissa = k == 1 ? digits : String(digits.prefix(1)) + "." + String(digits.dropFirst())
        return mantissa + "e" + sign + String(abs(e))
    }

    /// The decimal digits `d1…dk` (no leading or trailing zeros) and `n` with value = 0.d1…dk × 10^n.
    private static func shortestDigits(_ number: Double) -> (digits: String, exponent: Int) {
        let text = number.description  // e.g. "123.45", "1e-07", "1.2345e+30", "5e-324"
        var mantissa = Substring(text)
        var exponent = 0
        if let mark = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<mark]
            exponent = Int(text[text.index(after: mark)...])!
        }
        var integerPart = mantissa
        var fraction = Substring("")
        if let dot = mantissa.firstIndex(of: ".") {
            integerPart = mantissa[..<dot]
            fraction = mantissa[mantissa.index(after: dot)...]
        }
        var digits = Array(integerPart + fraction)
        var pointPosition = integerPart.count + exponent
        while digits.first == "0" {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        return (String(digits), pointPosition)
    }
}
