/// Typing one cell straight from its bytes, by its column's declared type, without going through Double.

import Foundation
import TableModel

extension ScannerCore {
    /// The cell `token` as a value of `column`'s type.
    mutating func cell(_ token: Token, column: Column) throws(ResponseDecodingError) -> Value {
        let type = column.type
        switch token.kind {
        case .nullLiteral:
            return type == .string ? .string("") : .null
        case .trueLiteral, .falseLiteral:
            let flag = token.kind == .trueLiteral
            switch type {
            case .bool: return .bool(flag)
            case .string: return .string(flag ? "true" : "false")
            case .dynamic: return .dynamic(.bool(flag))
            default: throw cellError(token, column)
            }
        case .number:
            return try numberCell(token, column: column)
        case .string:
            return try stringCell(token, column: column)
        default:
            throw syntaxError("expected a value", at: token.start)
        }
    }

    private mutating func numberCell(_ token: Token, column: Column) throws(ResponseDecodingError) -> Value {
        switch column.type {
        case .long:
            guard let number = integer(token) else { throw cellError(token, column) }
            return .long(number)
        case .int:
            guard let number = integer(token), let exact = Int32(exactly: number) else {
                throw cellError(token, column)
            }
            return .int(exact)
        case .real:
            guard let number = Double(text(token)) else { throw cellError(token, column) }
            return .real(number)
        case .decimal:
            guard let number = Decimal(string: text(token), locale: posixLocale) else { throw cellError(token, column) }
            return .decimal(number)
        case .string:
            return .string(text(token))
        case .dynamic:
            return .dynamic(try dynamic(token))
        default:
            throw cellError(token, column)
        }
    }

    private mutating func stringCell(_ token: Token, column: Column) throws(ResponseDecodingError) -> Value {
        switch column.type {
        case .string:
            return .string(try string(token))
        case .datetime:
            if !token.escaped, let instant = apiDateTime(token.start, token.end) { return .datetime(instant) }
            guard let instant = DateTime(iso8601: try string(token)) else { throw cellError(token, column) }
            return .datetime(instant)
        case .guid:
            if !token.escaped, let id = guid(token.start, token.end) { return .guid(id) }
            guard let id = UUID(uuidString: try string(token)) else { throw cellError(token, column) }
            return .guid(id)
        case .real:
            switch try string(token) {
            case "NaN": return .real(.nan)
            case "Infinity": return .real(.infinity)
            case "-Infinity": return .real(-.infinity)
            default: throw cellError(token, column)
            }
        case .decimal:
            guard let number = Decimal(string: try string(token), locale: posixLocale) else {
                throw cellError(token, column)
            }
            return .decimal(number)
        case .timespan:
            guard let span = Timespan(text: try string(token)) else { throw cellError(token, column) }
            return .timespan(span)
        case .dynamic:
            return .dynamic(try dynamicText(token))
        case .bool, .int, .long:
            throw cellError(token, column)
        }
    }

    /// A scalar token as a dynamic value: integers that fit stay `Int64`, other numbers are reals.
    mutating func dynamic(_ token: Token) throws(ResponseDecodingError) -> Dynamic {
        switch token.kind {
        case .nullLiteral: return .null
        case .trueLiteral: return .bool(true)
        case .falseLiteral: return .bool(false)
        case .string: return .string(try string(token))
        case .number:
            if let number = integer(token) { return .long(number) }
            guard let real = Double(text(token)) else { throw syntaxError("malformed number", at: token.start) }
            return .real(real)
        default: throw syntaxError("expected a value", at: token.start)
        }
    }

    /// The string token decoded (escapes resolved) and checked to be valid UTF-8.
    mutating func string(_ token: Token) throws(ResponseDecodingError) -> String {
        let text: String?
        if token.escaped {
            try unescape(token)
            text = UTF8Text.string(scratchBuffer)
        } else {
            text = UTF8Text.string(UnsafeBufferPointer(start: storage + token.start, count: token.count))
        }
        guard let text else { throw syntaxError("invalid UTF-8 in a string", at: token.start) }
        return text
    }

    /// A string cell of a dynamic column: JSON text of an object or array is parsed; anything else
    /// (a bare string, or text that is not JSON) is kept as a string.
    private mutating func dynamicText(_ token: Token) throws(ResponseDecodingError) -> Dynamic {
        if token.escaped { try unescape(token) }
        let parsed =
            token.escaped
            ? Self.parseDynamic(scratchBuffer)
            : Self.parseDynamic(UnsafeBufferPointer(start: storage + token.start, count: token.count))
        guard let parsed else { throw syntaxError("invalid UTF-8 in a string", at: token.start) }
        return parsed
    }

    /// Parses JSON text of an object or array; keeps any other text as a string; `nil` for invalid UTF-8.
    private static func parseDynamic(_ raw: UnsafeBufferPointer<UInt8>) -> Dynamic? {
        if let first = raw.first(where: { $0 != 0x20 }), first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            if let parsed = DynamicTextParser.parse(raw) { return parsed }
        }
        guard let text = UTF8Text.string(raw) else { return nil }
        return .string(text)
    }

    /// Decodes the escapes of `token` into `scratch` (never longer than the token's raw text).
    private mutating func unescape(_ token: Token) throws(ResponseDecodingError) {
        reserveScratch(token.count)
        let bytes = storage
        let out = scratch
        var written = 0
        var index = token.start
        defer { scratchCount = written }
        while index < token.end {
            var run = index
            while run < token.end, bytes[run] != UInt8(ascii: "\\") { run += 1 }
            if run > index {
                (out + written).update(from: bytes + index, count: run - index)
                written += run - index
                index = run
                continue
            }
            let escape = bytes[index + 1]
            index += 2
            var decoded: UInt8
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded = escape
            case UInt8(ascii: "b"): decoded = 0x08
            case UInt8(ascii: "f"): decoded = 0x0C
            case UInt8(ascii: "n"): decoded = 0x0A
            case UInt8(ascii: "r"): decoded = 0x0D
            case UInt8(ascii: "t"): decoded = 0x09
            case UInt8(ascii: "u"):
                guard var scalar = hex4(index, token.end) else {
                    throw syntaxError("bad \\u escape", at: index - 2)
                }
                index += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    guard index + 6 <= token.end, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u"), let low = hex4(index + 2, token.end),
                        (0xDC00..<0xE000).contains(low)
                    else { throw syntaxError("unpaired surrogate in a \\u escape", at: index - 6) }
                    index += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw syntaxError("unpaired surrogate in a \\u escape", at: index - 6)
                }
                written += Self.writeUTF8(scalar, to: out + written)
                continue
            default:
                throw syntaxError("unknown escape '\\\(Character(Unicode.Scalar(escape)))'", at: index - 2)
            }
            out[written] = decoded
            written += 1
        }
    }

    private func hex4(_ start: Int, _ end: Int) -> UInt32? {
        guard start + 4 <= end else { return nil }
        var value: UInt32 = 0
        for index in start..<start + 4 {
            guard let digit = hexValue(storage[index]) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Writes `scalar` as UTF-8 at `out`; returns the byte count.
    private static func writeUTF8(_ scalar: UInt32, to out: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            out[0] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            out[0] = UInt8(0xC0 | scalar >> 6)
            out[1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            out[0] = UInt8(0xE0 | scalar >> 12)
            out[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            out[2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            out[0] = UInt8(0xF0 | scalar >> 18)
            out[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            out[2] = UInt8(0x80 | scalar >> 6 & 0x3F)
            out[3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }

    /// A number token that is a JSON integer fitting `Int64`, read digit by digit (never via Double).
    func integer(_ token: Token) -> Int64? {
        let bytes = storage
        var index = token.start
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < token.end else { return nil }
        var value: Int64 = 0
        while index < token.end {
            let byte = bytes[index]
            guard byte >= 48, byte <= 57 else { return nil }
            let digit = Int64(byte - 48)
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) =
                negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            value = next
            index += 1
        }
        return value
    }

    /// The API's own datetime form, `YYYY-MM-DDThh:mm:ss[.f{1,7}]Z`, read straight from the bytes.
    func apiDateTime(_ start: Int, _ end: Int) -> DateTime? {
        let length = end - start
        guard length >= 20, length <= 28 else { return nil }
        let bytes = storage + start
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[length - 1] == UInt8(ascii: "Z"),
            let year = digits(bytes, 0, 4), let month = digits(bytes, 5, 2), let day = digits(bytes, 8, 2),
            let hour = digits(bytes, 11, 2), let minute = digits(bytes, 14, 2), let second = digits(bytes, 17, 2)
        else { return nil }
        var fraction: Int64 = 0
        if length > 20 {
            let fractionDigits = length - 21
            guard bytes[19] == UInt8(ascii: "."), fractionDigits >= 1, let value = digits(bytes, 20, fractionDigits)
            else { return nil }
            fraction = Int64(value)
            for _ in fractionDigits..<7 { fraction *= 10 }
        }
        return DateTime.from(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction)
    }

    /// A canonical 8-4-4-4-12 GUID read straight from the bytes (either letter case).
    func guid(_ start: Int, _ end: Int) -> UUID? {
        guard end - start == 36 else { return nil }
        let bytes = UnsafeRawPointer(storage + start)
        guard bytes.load(fromByteOffset: 8, as: UInt8.self) == 0x2D,
            bytes.load(fromByteOffset: 13, as: UInt8.self) == 0x2D,
            bytes.load(fromByteOffset: 18, as: UInt8.self) == 0x2D,
            bytes.load(fromByteOffset: 23, as: UInt8.self) == 0x2D
        else { return nil }
        func word(_ offset: Int) -> UInt64 { bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }
        func half(_ offset: Int) -> UInt64 { UInt64(bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
        guard let a = Self.hex8(word(0)), let b = Self.hex8(half(9) | half(14) << 32),
            let c = Self.hex8(half(19) | half(24) << 32), let d = Self.hex8(word(28))
        else { return nil }
        let high = a << 32 | b
        let low = c << 32 | d
        return UUID(uuid: unsafeBitCast((high.bigEndian, low.bigEndian), to: uuid_t.self))
    }

    /// Eight ASCII hex digits (first digit in the lowest byte) as a 32-bit value, or `nil`.
    ///
    /// Works on all eight bytes at once: each byte is checked to be `0-9`, `a-f` or `A-F` with
    /// carry-free byte-wise comparisons, turned into its nibble, and the nibbles are packed in order.
    @inline(__always)
    static func hex8(_ word: UInt64) -> UInt64? {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        guard word & highs == 0 else { return nil }
        let marked = word | highs
        let isDigit = (marked &- 0x30 &* ones) & ~(marked &- 0x3A &* ones) & highs
        let lower = marked | 0x20 &* ones
        let isLetter = (lower &- 0x61 &* ones) & ~(lower &- 0x67 &* ones) & highs
        guard isDigit | isLetter == highs else { return nil }
        var value = ((word & 0x0F0F_0F0F_0F0F_0F0F) &+ (isLetter >> 7) &* 9).byteSwapped
        value = (value | value >> 4) & 0x00FF_00FF_00FF_00FF
        value = (value | value >> 8) & 0x0000_FFFF_0000_FFFF
        value = (value | value >> 16) & 0x0000_0000_FFFF_FFFF
        return value
    }

    /// A hex digit's value, or 0xFF for a byte that is not one.
    @inline(__always)
    static func hexDigit(_ byte: UInt8) -> UInt8 {
        let digit = byte &- 48
        if digit < 10 { return digit }
        let letter = (byte | 0x20) &- 97
        return letter < 6 ? letter + 10 : 0xFF
    }

    private func digits(_ bytes: UnsafeMutablePointer<UInt8>, _ offset: Int, _ length: Int) -> Int? {
        var value = 0
        for index in offset..<offset + length {
            let byte = bytes[index]
            guard byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    private func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 65...70: return byte - 55
        case 97...102: return byte - 87
        default: return nil
        }
    }

    /// The raw text of a token.
    func text(_ token: Token) -> String {
        String(decoding: UnsafeBufferPointer(start: storage + token.start, count: token.count), as: UTF8.self)
    }

    private func cellError(_ token: Token, _ column: Column) -> ResponseDecodingError {
        var shown = text(token.start, token.end)
        if token.kind == .string { shown = "\"" + shown + "\"" }
        return .cell(
            table: tableName, row: rowCount, CellDecodingError(column: column.name, type: column.type, text: shown))
    }
}

private let posixLocale = Locale(identifier: "en_US_POSIX")
