/// The response scanner's fast path: a whole row read in one pass into typed cells over the buffer.

import Foundation
import TableModel

/// What the fast path made of the bytes at the lexer's position.
enum FastRowOutcome {
    /// A row was read into the cell buffer.
    case row
    /// The row does not end within the buffered input; nothing was consumed.
    case incomplete
    /// Something the fast path leaves to the general path (a nested value, a syntax error, the end
    /// of the rows array); nothing was consumed.
    case unusual
}

extension ScannerCore {
    /// Reads the next row straight from the buffer into `cells` when it is all there.
    ///
    /// Called when the innermost container is a table's `rows` array. Changes nothing unless it
    /// returns `.row`; the general token-by-token path then reads what it left and reports any
    /// error with the same words. A cell of the wrong type throws here, exactly as the general path
    /// would.
    mutating func fastRow() throws(ResponseDecodingError) -> FastRowOutcome {
        let columnCount = cellTypes.count
        guard columnCount > 0 else { return .unusual }
        let bytes = UnsafePointer(storage)
        let end = count
        let top = stack.count - 1
        var index = position
        Self.skipSpace(bytes, &index, end)
        if stack[top].expect == .commaOrEnd {
            guard index < end else { return .incomplete }
            guard bytes[index] == UInt8(ascii: ",") else { return .unusual }
            index += 1
            Self.skipSpace(bytes, &index, end)
        }
        guard index < end else { return .incomplete }
        guard bytes[index] == UInt8(ascii: "[") else { return .unusual }
        index += 1
        let outcome = try cellTypes.withUnsafeBufferPointer { types throws(ResponseDecodingError) in
            try readCells(bytes, &index, end, types)
        }
        guard outcome == .row else { return outcome }
        position = index
        stack[top].expect = .commaOrEnd
        rowCount += 1
        return .row
    }

    /// Reads one cell per column type and the closing `]`.
    @inline(__always)
    private mutating func readCells(
        _ bytes: UnsafePointer<UInt8>, _ index: inout Int, _ end: Int, _ types: UnsafeBufferPointer<ColumnType>
    ) throws(ResponseDecodingError) -> FastRowOutcome {
        let out = cells
        let last = types.count - 1
        for column in 0...last {
            Self.skipSpace(bytes, &index, end)
            guard index < end else { return .incomplete }
            let type = types[column]
            let start = index
            let first = bytes[start]
            if first == UInt8(ascii: "\"") {
                var scan = start + 1
                var escaped: UInt8 = 0
                var ascii = true
                guard Self.findStringEnd(bytes, &scan, end, &escaped, &ascii) else {
                    return scan >= end ? .incomplete : .unusual
                }
                if !ascii && !UTF8Text.isValid(UnsafeBufferPointer(start: bytes + start + 1, count: scan - start - 1)) {
                    return .unusual
                }
                let token = Token(.string, start + 1, scan, escaped: escaped != 0)
                guard let cell = try stringCell(token, type: type, column: column, checked: escaped < 2) else {
                    return .unusual
                }
                out[column] = cell
                index = scan + 1
            } else if first == UInt8(ascii: "-") || (first >= 48 && first <= 57) {
                // Integers (the common number) in one pass: digits accumulate as they are found.
                var scan = first == UInt8(ascii: "-") ? start + 1 : start
                let digitsStart = scan
                var magnitude: UInt64 = 0
                while scan < end {
                    let digit = bytes[scan] &- 48
                    guard digit < 10 else { break }
                    magnitude = magnitude &* 10 &+ UInt64(digit)
                    scan += 1
                }
                guard scan < end else { return .incomplete }
                let digits = scan - digitsStart
                let next = bytes[scan]
                let plainInteger =
                    digits > 0 && digits <= 18 && (digits == 1 || bytes[digitsStart] != 48)
                    && next != 0x2E && next != 0x65 && next != 0x45 && next != 0x2B && next != 0x2D
                // A Double holds an integer of up to 15 digits exactly ("-0" stays negative zero).
                if plainInteger && (type == .long || (type == .real && digits <= 15)) {
                    let negative = first == UInt8(ascii: "-")
                    if type == .long {
                        out[column] = .long(negative ? -Int64(magnitude) : Int64(magnitude))
                    } else {
                        out[column] = .real(negative ? -Double(magnitude) : Double(magnitude))
                    }
                    index = scan
                    Self.skipSpace(bytes, &index, end)
                    guard index < end else { return .incomplete }
                    guard bytes[index] == UInt8(ascii: column == last ? "]" : ",") else { return .unusual }
                    index += 1
                    continue
                }
                scan = start + 1
                while scan < end {
                    let byte = bytes[scan]
                    guard
                        (byte >= 48 && byte <= 57) || byte == 0x2E || byte == 0x65 || byte == 0x45 || byte == 0x2B
                            || byte == 0x2D
                    else { break }
                    scan += 1
                }
                guard scan < end else { return .incomplete }
                guard isValidNumber(start, scan) else { return .unusual }
                guard let cell = try numberCell(Token(.number, start, scan), type: type, column: column) else {
                    return .unusual
                }
                out[column] = cell
                index = scan
            } else if first == UInt8(ascii: "n") {
                guard start + 4 <= end else { return .incomplete }
                guard matches(start, "null") else { return .unusual }
                out[column] = type == .string ? .string(.empty) : .null
                index = start + 4
            } else if first == UInt8(ascii: "t") || first == UInt8(ascii: "f") {
                let flag = first == UInt8(ascii: "t")
                let length = flag ? 4 : 5
                guard start + length <= end else { return .incomplete }
                guard flag ? matches(start, "true") : matches(start, "false") else { return .unusual }
                switch type {
                case .bool: out[column] = .bool(flag)
                case .string:
                    out[column] = .string(
                        TextSlice(UnsafeRawBufferPointer(start: bytes + start, count: length), escaped: false))
                case .dynamic: return .unusual
                default:
                    throw cellError(Token(flag ? .trueLiteral : .falseLiteral, start, start + length), type, column)
                }
                index = start + length
            } else {
                return .unusual
            }
            Self.skipSpace(bytes, &index, end)
            guard index < end else { return .incomplete }
            guard bytes[index] == UInt8(ascii: column == last ? "]" : ",") else { return .unusual }
            index += 1
        }
        return .row
    }

    /// A string token as a cell of `type`; `nil` leaves the cell to the general path.
    @inline(__always)
    private mutating func stringCell(
        _ token: Token, type: ColumnType, column: Int, checked: Bool
    ) throws(ResponseDecodingError) -> Cell? {
        let raw = UnsafeRawBufferPointer(start: storage + token.start, count: token.count)
        switch type {
        case .string:
            if !checked { try validateEscapes(token) }
            return .string(TextSlice(raw, escaped: token.escaped))
        case .datetime:
            if !token.escaped, let instant = apiDateTime(token.start, token.end) { return .datetime(instant) }
            guard let instant = DateTime(iso8601: try string(token)) else { throw cellError(token, type, column) }
            return .datetime(instant)
        case .guid:
            if !token.escaped, let id = guid(token.start, token.end) { return .guid(id) }
            guard let id = UUID(uuidString: try string(token)) else { throw cellError(token, type, column) }
            return .guid(id)
        case .dynamic:
            if !checked { try validateEscapes(token) }
            return .dynamic(TextSlice(raw, escaped: token.escaped))
        case .bool, .int, .long:
            throw cellError(token, type, column)
        case .real, .decimal, .timespan:
            return try .init(stringCellValue(token, column: columns[column]))
        }
    }

    /// A number token as a cell of `type`; `nil` leaves the cell to the general path.
    @inline(__always)
    private mutating func numberCell(_ token: Token, type: ColumnType, column: Int) throws(ResponseDecodingError)
        -> Cell?
    {
        switch type {
        case .long:
            guard let number = integer(token) else { throw cellError(token, type, column) }
            return .long(number)
        case .real:
            if let number = fastDouble(token.start, token.end) { return .real(number) }
            guard let number = Double(text(token)) else { throw cellError(token, type, column) }
            return .real(number)
        case .int:
            guard let number = integer(token), let exact = Int32(exactly: number) else {
                throw cellError(token, type, column)
            }
            return .int(exact)
        case .string:
            return .string(
                TextSlice(UnsafeRawBufferPointer(start: storage + token.start, count: token.count), escaped: false))
        case .dynamic:
            return nil
        default:
            return try .init(numberCellValue(token, column: columns[column]))
        }
    }

    private func cellError(_ token: Token, _ type: ColumnType, _ column: Int) -> ResponseDecodingError {
        cellError(token, columns[column])
    }

    /// Moves `index` to the closing quote of the string whose contents start at `index`; `false`
    /// when the buffer ends first (`index` at the end) or at a control byte (`index` before the end).
    /// `escaped` becomes 1 for one-letter escapes only (checked here), 2 when any other follows a
    /// backslash; `ascii` becomes `false` at the first byte above 0x7F.
    ///
    /// Eight bytes at a time: the first quote, backslash, control or non-ASCII byte of a word is
    /// found with carry-free byte-wise arithmetic.
    @inline(__always)
    static func findStringEnd(
        _ bytes: UnsafePointer<UInt8>, _ index: inout Int, _ end: Int, _ escaped: inout UInt8, _ ascii: inout Bool
    ) -> Bool {
        let raw = UnsafeRawPointer(bytes)
        var scan = index
        while true {
            let byte: UInt8
            if scan &+ 8 <= end {
                let word = raw.loadUnaligned(fromByteOffset: scan, as: UInt64.self)
                let flags = specialBytes(word) | (ascii ? word & 0x8080_8080_8080_8080 : 0)
                if flags == 0 {
                    scan &+= 8
                    continue
                }
                // The flag is a byte's high bit: its bit index, rounded down to 8, is the byte's shift.
                let bit = flags.trailingZeroBitCount
                scan &+= bit >> 3
                byte = UInt8(truncatingIfNeeded: word >> (bit & ~7))
            } else {
                guard scan < end else {
                    index = end
                    return false
                }
                byte = bytes[scan]
            }
            if byte == UInt8(ascii: "\"") {
                index = scan
                return true
            }
            if byte == UInt8(ascii: "\\") {
                guard scan &+ 1 < end else {
                    index = end
                    return false
                }
                // The one-letter escapes are checked here; a \u escape (or an error) is left to
                // JSONEscapes.validate, which the caller runs when `escaped` is 2.
                switch bytes[scan &+ 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    escaped = max(escaped, 1)
                default:
                    escaped = 2
                }
                scan &+= 2
                continue
            }
            if byte >= 0x80 {
                ascii = false
                scan &+= 1
                continue
            }
            if byte < 0x20 {
                index = scan
                return false
            }
            scan &+= 1
        }
    }

    /// High bits set on the bytes of `word` that are `"`, `\\` or below 0x20 (the lowest is exact;
    /// a false flag can only sit above a true one).
    @inline(__always)
    static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = word ^ (0x22 &* ones)
        let backslash = word ^ (0x5C &* ones)
        let found = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- 0x20 &* ones) & ~word)
        return found & 0x8080_8080_8080_8080
    }

    @inline(__always)
    static func skipSpace(_ bytes: UnsafePointer<UInt8>, _ index: inout Int, _ end: Int) {
        while index < end {
            let byte = bytes[index]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            index += 1
        }
    }
}

extension Cell {
    /// The cell of an owned value the general path made (its text is copied into no buffer, so
    /// only non-text values come through here).
    init(_ value: Value) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .int(number)
        case .long(let number): self = .long(number)
        case .real(let number): self = .real(number)
        case .decimal(let number): self = .decimal(number)
        case .datetime(let instant): self = .datetime(instant)
        case .timespan(let span): self = .timespan(span)
        case .guid(let id): self = .guid(id)
        case .string, .dynamic: preconditionFailure("text values have no borrowed cell")
        }
    }
}
