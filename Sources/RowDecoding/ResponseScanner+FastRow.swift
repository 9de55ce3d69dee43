/// The response scanner's fast path: a whole row of scalar cells read in one pass.

import TableModel

extension ScannerCore {
    /// Reads the next row straight from the buffer when it is all there and holds only scalars.
    ///
    /// Called when the innermost container is a table's `rows` array. Returns `nil`, changing
    /// nothing, when the row is not complete in the buffer or anything is unusual (a nested value,
    /// a malformed token, the wrong number of cells); the general token-by-token path then reads it
    /// and reports any error with the same words. A cell of the wrong type throws here, exactly as
    /// the general path would.
    mutating func fastRow() throws(ResponseDecodingError) -> [Value]? {
        let bytes = storage
        let end = count
        let top = stack.count - 1
        var index = position
        skipSpace(&index)
        if stack[top].expect == .commaOrEnd {
            guard index < end, bytes[index] == UInt8(ascii: ",") else { return nil }
            index += 1
            skipSpace(&index)
        }
        guard index < end, bytes[index] == UInt8(ascii: "["), !columns.isEmpty else { return nil }
        index += 1
        var cells: [Value] = []
        cells.reserveCapacity(columns.count)
        for column in columns {
            skipSpace(&index)
            guard index < end, let token = scalarToken(at: &index) else { return nil }
            cells.append(try cell(token, column: column))
            skipSpace(&index)
            guard index < end else { return nil }
            let separator = bytes[index]
            guard separator == UInt8(ascii: cells.count == columns.count ? "]" : ",") else { return nil }
            index += 1
        }
        position = index
        stack[top].expect = .commaOrEnd
        rowCount += 1
        return cells
    }

    private func skipSpace(_ index: inout Int) {
        while index < count {
            let byte = storage[index]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            index += 1
        }
    }

    /// A complete scalar token at `index` (moved past it), or `nil` when there is none complete.
    private func scalarToken(at index: inout Int) -> Token? {
        let bytes = storage
        let end = count
        let start = index
        switch bytes[start] {
        case UInt8(ascii: "\""):
            var scan = start + 1
            var escaped = false
            while scan < end {
                while scan + 8 <= end {
                    let plain = plainPrefix(UnsafeRawPointer(bytes + scan).loadUnaligned(as: UInt64.self))
                    scan += plain
                    if plain < 8 { break }
                }
                guard scan < end else { return nil }
                let byte = bytes[scan]
                if byte == UInt8(ascii: "\"") {
                    index = scan + 1
                    return Token(.string, start + 1, scan, escaped: escaped)
                }
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    scan += 2
                    continue
                }
                guard byte >= 0x20 else { return nil }
                scan += 1
            }
            return nil
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            var scan = start + 1
            while scan < end {
                let byte = bytes[scan]
                guard
                    (byte >= 48 && byte <= 57) || byte == 0x2E || byte == 0x65 || byte == 0x45 || byte == 0x2B
                        || byte == 0x2D
                else { break }
                scan += 1
            }
            guard scan < end, isValidNumber(start, scan) else { return nil }
            index = scan
            return Token(.number, start, scan)
        case UInt8(ascii: "t"):
            guard matches(start, "true") else { return nil }
            index = start + 4
            return Token(.trueLiteral, start, start + 4)
        case UInt8(ascii: "f"):
            guard matches(start, "false") else { return nil }
            index = start + 5
            return Token(.falseLiteral, start, start + 5)
        case UInt8(ascii: "n"):
            guard matches(start, "null") else { return nil }
            index = start + 4
            return Token(.nullLiteral, start, start + 4)
        default:
            return nil
        }
    }
}
