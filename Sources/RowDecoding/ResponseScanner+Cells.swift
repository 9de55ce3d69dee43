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
            return try numberCellValue(token, column: column)
        case .string:
            return try stringCellValue(token, column: column)
        default:
            throw syntaxError("expected a value", at: token.start)
        }
    }

    mutating func numberCellValue(_ token: Token, column: Column) throws(ResponseDecodingError) -> Value {
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

    mutating func stringCellValue(_ token: Token, column: Column) throws(ResponseDecodingError) -> Value {
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
    mutating func unescape(_ token: Token) throws(ResponseDecodingError) {
        reserveScratch(token.count)
        scratchCount = 0
        do {
            scratchCount = try JSONEscapes.decode(
                UnsafeRawBufferPointer(start: storage + token.start, count: token.count), into: scratch)
        } catch {
            throw syntaxError(error.reason, at: token.start + error.offset)
        }
    }

    /// Checks the escapes of `token` without decoding them; throws what ``unescape(_:)`` would.
    func validateEscapes(_ token: Token) throws(ResponseDecodingError) {
        do {
            try JSONEscapes.validate(UnsafeRawBufferPointer(start: storage + token.start, count: token.count))
        } catch {
            throw syntaxError(error.reason, at: token.start + error.offset)
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
    ///
    /// Every field is checked as ``DateTime/from(year:month:day:hour:minute:second:fraction:)``
    /// checks it; the day count comes from the civil-calendar formula (March-based years, so
    /// February's length only matters for the range check) instead of a loop over the months.
    @inline(__always)
    func apiDateTime(_ start: Int, _ end: Int) -> DateTime? {
        let length = end - start
        guard length >= 20, length <= 28 else { return nil }
        let bytes = UnsafePointer(storage + start)
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[length - 1] == UInt8(ascii: "Z")
        else { return nil }
        @inline(__always) func digit(_ offset: Int) -> Int { Int(bytes[offset] &- 48) }
        // A byte minus "0" is below 10 only for a digit (smaller bytes wrap around to large ones).
        guard digit(0) < 10, digit(1) < 10, digit(2) < 10, digit(3) < 10, digit(5) < 10, digit(6) < 10,
            digit(8) < 10, digit(9) < 10, digit(11) < 10, digit(12) < 10, digit(14) < 10, digit(15) < 10,
            digit(17) < 10, digit(18) < 10
        else { return nil }
        let year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)
        let month = digit(5) * 10 + digit(6)
        let day = digit(8) * 10 + digit(9)
        let hour = digit(11) * 10 + digit(12)
        let minute = digit(14) * 10 + digit(15)
        let second = digit(17) * 10 + digit(18)
        guard year >= 1, month >= 1, month <= 12, day >= 1, hour <= 23, minute <= 59, second <= 59 else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthLength =
            month == 2 ? (leap ? 29 : 28) : (month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31)
        guard day <= monthLength else { return nil }
        var fraction: Int64 = 0
        if length > 20 {
            guard bytes[19] == UInt8(ascii: "."), length >= 22 else { return nil }
            for offset in 20..<length - 1 {
                let value = digit(offset)
                guard value <= 9 else { return nil }
                fraction = fraction * 10 + Int64(value)
            }
            fraction *= Self.fractionScale[length - 21]
        }
        // Days since 0001-01-01 (Howard Hinnant's days_from_civil, shifted from 1970 to year 1).
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = shiftedYear / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = Int64(era * 146_097 + dayOfEra - 306)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return DateTime(ticks: seconds * DateTime.ticksPerSecond + fraction)
    }

    /// What a fraction of n digits (index n) is multiplied by to make 100 ns ticks.
    private static let fractionScale: [Int64] = [1, 1_000_000, 100_000, 10_000, 1000, 100, 10, 1]

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
        // All 32 digits are decoded first and checked with one branch.
        let (a, badA) = Self.hexPack(word(0))
        let (b, badB) = Self.hexPack(half(9) | half(14) << 32)
        let (c, badC) = Self.hexPack(half(19) | half(24) << 32)
        let (d, badD) = Self.hexPack(word(28))
        guard badA | badB | badC | badD == 0 else { return nil }
        let high = a << 32 | b
        let low = c << 32 | d
        return UUID(uuid: unsafeBitCast((high.bigEndian, low.bigEndian), to: uuid_t.self))
    }

    /// Eight ASCII hex digits (first digit in the lowest byte) packed into a 32-bit value, with a
    /// nonzero `bad` when any byte is not `0-9`, `a-f` or `A-F` (then `value` means nothing).
    ///
    /// Works on all eight bytes at once: each byte is checked with carry-free byte-wise comparisons
    /// (every byte's high bit is set first, so no subtraction borrows from its neighbour), turned
    /// into its nibble, and the nibbles are packed in order.
    @inline(__always)
    static func hexPack(_ word: UInt64) -> (value: UInt64, bad: UInt64) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let marked = word | highs
        let isDigit = (marked &- 0x30 &* ones) & ~(marked &- 0x3A &* ones) & highs
        let lower = marked | 0x20 &* ones
        let isLetter = (lower &- 0x61 &* ones) & ~(lower &- 0x67 &* ones) & highs
        let bad = (word & highs) | (~(isDigit | isLetter) & highs)
        var value = ((word & 0x0F0F_0F0F_0F0F_0F0F) &+ (isLetter >> 7) &* 9).byteSwapped
        value = (value | value >> 4) & 0x00FF_00FF_00FF_00FF
        value = (value | value >> 8) & 0x0000_FFFF_0000_FFFF
        value = (value | value >> 16) & 0x0000_0000_FFFF_FFFF
        return (value, bad)
    }

    /// A hex digit's value, or 0xFF for a byte that is not one.
    @inline(__always)
    static func hexDigit(_ byte: UInt8) -> UInt8 {
        let digit = byte &- 48
        if digit < 10 { return digit }
        let letter = (byte | 0x20) &- 97
        return letter < 6 ? letter + 10 : 0xFF
    }

    /// The raw text of a token.
    func text(_ token: Token) -> String {
        String(decoding: UnsafeBufferPointer(start: storage + token.start, count: token.count), as: UTF8.self)
    }

    func cellError(_ token: Token, _ column: Column) -> ResponseDecodingError {
        var shown = text(token.start, token.end)
        if token.kind == .string { shown = "\"" + shown + "\"" }
        return .cell(
            table: tableName, row: rowCount, CellDecodingError(column: column.name, type: column.type, text: shown))
    }
}

private let posixLocale = Locale(identifier: "en_US_POSIX")
