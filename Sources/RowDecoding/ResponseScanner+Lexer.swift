/// The response scanner's lexer: cuts JSON tokens out of the buffer and resumes inside a token.

import Foundation

extension ScannerCore {
    /// The next complete token, or `nil` when the buffer ends (inside a token or between tokens).
    mutating func lex() throws(ResponseDecodingError) -> Token? {
        switch pending {
        case .none: break
        case .string(let escaped, let afterBackslash):
            return try lexString(from: position, escaped: escaped, afterBackslash: afterBackslash)
        case .number: return try lexWord(from: position, number: true)
        case .literal: return try lexWord(from: position, number: false)
        }
        let bytes = storage
        var index = position
        while index < count {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
                index += 1
                continue
            }
            position = index + 1
            switch byte {
            case UInt8(ascii: "\""):
                tokenStart = index
                return try lexString(from: index + 1, escaped: false, afterBackslash: false)
            case UInt8(ascii: ","): return Token(.comma, index, index + 1)
            case UInt8(ascii: ":"): return Token(.colon, index, index + 1)
            case UInt8(ascii: "["): return Token(.beginArray, index, index + 1)
            case UInt8(ascii: "]"): return Token(.endArray, index, index + 1)
            case UInt8(ascii: "{"): return Token(.beginObject, index, index + 1)
            case UInt8(ascii: "}"): return Token(.endObject, index, index + 1)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                tokenStart = index
                return try lexWord(from: index + 1, number: true)
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                tokenStart = index
                return try lexWord(from: index + 1, number: false)
            default:
                throw syntaxError("unexpected character \(describe(byte))", at: index)
            }
        }
        position = index
        return nil
    }

    /// Continues a string whose opening quote is at `tokenStart`, scanning from `from`.
    private mutating func lexString(from: Int, escaped: Bool, afterBackslash: Bool) throws(ResponseDecodingError)
        -> Token?
    {
        let bytes = storage
        let end = count
        var index = from
        var escaped = escaped
        if afterBackslash {
            guard index < end else { return try suspend(.string(escaped: true, afterBackslash: true), at: index) }
            index += 1
        }
        while index < end {
            // Skip eight plain bytes at a time; stop at a word that may hold a quote, backslash or control byte.
            while index + 8 <= end {
                let plain = plainPrefix(UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self))
                index += plain
                if plain < 8 { break }
            }
            guard index < end else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                pending = .none
                position = index + 1
                return Token(.string, tokenStart + 1, index, escaped: escaped)
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                guard index + 1 < end else {
                    return try suspend(.string(escaped: true, afterBackslash: true), at: end)
                }
                index += 2
                continue
            }
            if byte < 0x20 { throw syntaxError("control character \(describe(byte)) inside a string", at: index) }
            index += 1
        }
        return try suspend(.string(escaped: escaped, afterBackslash: false), at: end)
    }

    /// Continues a number or a `true`/`false`/`null` word starting at `tokenStart`.
    private mutating func lexWord(from: Int, number: Bool) throws(ResponseDecodingError) -> Token? {
        let bytes = storage
        let end = count
        var index = from
        if number {
            while index < end {
                let byte = bytes[index]
                guard
                    (byte >= 48 && byte <= 57) || byte == 0x2E || byte == 0x65 || byte == 0x45 || byte == 0x2B
                        || byte == 0x2D
                else { break }
                index += 1
            }
        } else {
            while index < end, bytes[index] >= UInt8(ascii: "a"), bytes[index] <= UInt8(ascii: "z") { index += 1 }
        }
        if index == end && !endOfInput { return try suspend(number ? .number : .literal, at: end) }
        pending = .none
        position = index
        let start = tokenStart
        if number {
            guard isValidNumber(start, index) else {
                throw syntaxError("malformed number '\(text(start, index))'", at: start)
            }
            return Token(.number, start, index)
        }
        switch index - start {
        case 4 where matches(start, "true"): return Token(.trueLiteral, start, index)
        case 4 where matches(start, "null"): return Token(.nullLiteral, start, index)
        case 5 where matches(start, "false"): return Token(.falseLiteral, start, index)
        default: throw syntaxError("unexpected word '\(text(start, index))'", at: start)
        }
    }

    /// How many leading bytes of `word` (lowest address first) are not `"`, `\\` or below 0x20.
    ///
    /// Flags bytes with the classic "has zero byte" tricks; the lowest flag of each is exact (a false
    /// flag can only sit above a true one), so the first special byte is found without a byte loop.
    @inline(__always)
    func plainPrefix(_ word: UInt64) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (0x22 &* ones)
        let backslash = word ^ (0x5C &* ones)
        let found = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- 0x20 &* ones) & ~word)
        let flags = found & highs
        return flags == 0 ? 8 : flags.trailingZeroBitCount >> 3
    }

    /// Remembers where a token stopped; at the end of the body, that token is cut short.
    private mutating func suspend(_ state: PendingToken, at index: Int) throws(ResponseDecodingError) -> Token? {
        guard !endOfInput else { throw syntaxError("unexpected end of input inside a value", at: tokenStart) }
        pending = state
        position = index
        return nil
    }

    /// Whether `start..<end` follows JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    func isValidNumber(_ start: Int, _ end: Int) -> Bool {
        let bytes = storage
        var index = start
        func digits() -> Int {
            let first = index
            while index < end, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
            return index - first
        }
        if index < end, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < end else { return false }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            return false
        }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        }
        if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return false }
        }
        return index == end
    }

    /// Whether the bytes at `start` spell `word`.
    func matches(_ start: Int, _ word: StaticString) -> Bool {
        let length = word.utf8CodeUnitCount
        guard start + length <= count else { return false }
        return memcmp(storage + start, word.utf8Start, length) == 0
    }

    /// The bytes `start..<end` as text, for messages (invalid UTF-8 repaired, cut at 80 characters).
    func text(_ start: Int, _ end: Int) -> String {
        let slice = UnsafeBufferPointer(start: storage + start, count: min(end - start, 80))
        return String(decoding: slice, as: UTF8.self)
    }

    private func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "0x" + String(byte, radix: 16, uppercase: true)
    }
}
