/// Parsing the JSON text a `dynamic` cell carries, straight from the scanner's bytes.

import TableModel

/// A recursive-descent JSON parser over a byte buffer, producing ``Dynamic``.
///
/// It follows ``JSONParser``'s rules (integers that fit stay `Int64`, other numbers become reals,
/// duplicate keys keep the last value, nesting is bounded) but reads from memory the scanner already
/// holds, so a dynamic cell costs no copy. It answers `nil` for text that is not one JSON value; the
/// caller then keeps the cell as a plain string, as the query API's dynamic encoding requires.
struct DynamicTextParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var scratch: [UInt8] = []

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The value `bytes` spell, or `nil` when they are not exactly one JSON value.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Dynamic? {
        var parser = DynamicTextParser(bytes)
        parser.skipSpace()
        guard let value = parser.value(depth: 0) else { return nil }
        parser.skipSpace()
        return parser.index == bytes.count ? value : nil
    }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipSpace() {
        while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private mutating func value(depth: Int) -> Dynamic? {
        guard depth < JSONParser.maxDepth, let byte = peek else { return nil }
        switch byte {
        case UInt8(ascii: "{"): return object(depth: depth)
        case UInt8(ascii: "["): return array(depth: depth)
        case UInt8(ascii: "\""): return string().map { .string($0) }
        case UInt8(ascii: "t"): return word("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return word("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return word("null") ? .null : nil
        default: return number()
        }
    }

    private mutating func word(_ text: StaticString) -> Bool {
        let length = text.utf8CodeUnitCount
        guard index + length <= bytes.count else { return false }
        for offset in 0..<length where bytes[index + offset] != text.utf8Start[offset] { return false }
        index += length
        return true
    }

    private mutating func object(depth: Int) -> Dynamic? {
        index += 1
        // Members are gathered first and the bag is built once, at its final size.
        var members: [(String, Dynamic)] = []
        skipSpace()
        if peek == UInt8(ascii: "}") {
            index += 1
            return .object([:])
        }
        while true {
            skipSpace()
            guard peek == UInt8(ascii: "\""), let key = string() else { return nil }
            skipSpace()
            guard peek == UInt8(ascii: ":") else { return nil }
            index += 1
            skipSpace()
            guard let member = value(depth: depth + 1) else { return nil }
            members.append((key, member))
            skipSpace()
            switch peek {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                // Duplicate keys keep the last value, as JSONParser does.
                return .object(Dictionary(members, uniquingKeysWith: { _, last in last }))
            default: return nil
            }
        }
    }

    private mutating func array(depth: Int) -> Dynamic? {
        index += 1
        var items: [Dynamic] = []
        skipSpace()
        if peek == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            skipSpace()
            guard let item = value(depth: depth + 1) else { return nil }
            items.append(item)
            skipSpace()
            switch peek {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(items)
            default: return nil
            }
        }
    }

    private mutating func string() -> String? {
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return UTF8Text.string(UnsafeBufferPointer(rebasing: bytes[start..<index - 1]))
            }
            if byte == UInt8(ascii: "\\") { return escapedString(from: start) }
            if byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    private mutating func escapedString(from start: Int) -> String? {
        scratch.removeAll(keepingCapacity: true)
        index = start
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\"") {
                return scratch.withUnsafeBufferPointer { UTF8Text.string($0) }
            }
            if byte < 0x20 { return nil }
            guard byte == UInt8(ascii: "\\") else {
                scratch.append(byte)
                continue
            }
            guard let escape = peek else { return nil }
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escape)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4() else { return nil }
                if (0xD800..<0xDC00).contains(scalar) {
                    guard word("\\u"), let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    return nil
                }
                guard let unicode = Unicode.Scalar(scalar) else { return nil }
                scratch.append(contentsOf: UTF8.encode(unicode)!)
            default: return nil
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case 48...57: digit = byte - 48
            case 65...70: digit = byte - 55
            case 97...102: digit = byte - 87
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func number() -> Dynamic? {
        let start = index
        if peek == UInt8(ascii: "-") { index += 1 }
        var integral = true
        var value: Int64 = 0
        var fits = true
        let negative = index > start
        let firstDigit = index
        while let byte = peek, byte >= 48, byte <= 57 {
            let digit = Int64(byte - 48)
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) =
                negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if overflow1 || overflow2 { fits = false }
            value = next
            index += 1
        }
        let digits = index - firstDigit
        guard digits > 0, !(digits > 1 && bytes[firstDigit] == UInt8(ascii: "0")) else { return nil }
        if peek == UInt8(ascii: ".") {
            integral = false
            index += 1
            let fractionStart = index
            while let byte = peek, byte >= 48, byte <= 57 { index += 1 }
            guard index > fractionStart else { return nil }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            integral = false
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            let exponentStart = index
            while let byte = peek, byte >= 48, byte <= 57 { index += 1 }
            guard index > exponentStart else { return nil }
        }
        if integral && fits { return .long(value) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        return Double(text).map { .real($0) }
    }
}
