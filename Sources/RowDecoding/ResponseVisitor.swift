/// The push side of the response scanner: a visitor receives each table, row and partial error.

import TableModel

/// Receives a query response's contents in body order from ``ResponseScanner/scan(into:)`` or
/// ``ResponseFileReader/scan(into:)``.
///
/// Rows come as ``RowCells``: typed cells over the scanner's buffer, valid only during the call,
/// so a visitor that only needs a few columns, or writes cells elsewhere at once, makes no copies.
public protocol ResponseVisitor {
    /// A table begins; its rows follow.
    mutating func visitTableStart(name: String, columns: [Column])
    /// One row of the current table, one cell per column.
    mutating func visitRow(_ row: RowCells)
    /// The current table ended after `rowCount` rows.
    mutating func visitTableEnd(name: String, rowCount: Int)
    /// The top-level `error` object of a 200 response: the result is incomplete.
    mutating func visitPartialError(_ error: Dynamic)
}

extension ResponseVisitor {
    /// Ignores table starts.
    public mutating func visitTableStart(name: String, columns: [Column]) {}
    /// Ignores table ends.
    public mutating func visitTableEnd(name: String, rowCount: Int) {}
    /// Ignores the partial error (a visitor that decides completeness must not rely on this).
    public mutating func visitPartialError(_ error: Dynamic) {}
}

extension ScannerCore {
    /// Hands every event the buffered input completes to `visitor`.
    mutating func scan(into visitor: inout some ResponseVisitor) throws(ResponseDecodingError) {
        while true {
            if pending == .none, let last = stack.last, last.role == .rows {
                switch try fastRowWhenReady() {
                case .row:
                    visitor.visitRow(RowCells(cells, count: cellTypes.count))
                    continue
                case .incomplete where !endOfInput: return
                default: break
                }
            }
            guard let token = try lex() else {
                if endOfInput { try checkComplete() }
                return
            }
            switch try handle(token) {
            case nil: break
            case .tableStart(let name, let columns)?: visitor.visitTableStart(name: name, columns: columns)
            case .row(let values)?:
                borrow(values)
                visitor.visitRow(RowCells(cells, count: values.count))
            case .tableEnd(let name, let rowCount)?: visitor.visitTableEnd(name: name, rowCount: rowCount)
            case .partialError(let error)?: visitor.visitPartialError(error)
            }
        }
    }

    /// Puts a row the general path made into `cells`, copying its text into `heldText`.
    ///
    /// A dynamic value is held as its JSON text, which reads back to the same value except for a
    /// non-finite real inside it (JSON has none; one appears only from a number too large for a
    /// Double, and reads back as the string "Infinity").
    private mutating func borrow(_ values: [Value]) {
        var texts: [[UInt8]] = []
        for value in values {
            switch value {
            case .string(let text): texts.append(Array(text.utf8))
            case .dynamic(let dynamic): texts.append(Array(dynamic.jsonText.utf8))
            default: break
            }
        }
        reserveCells(values.count)
        reserveHeldText(max(1, texts.reduce(0) { $0 + $1.count }))
        var offset = 0
        var next = 0
        for (index, value) in values.enumerated() {
            switch value {
            case .string, .dynamic:
                let text = texts[next]
                next += 1
                if !text.isEmpty {
                    text.withUnsafeBufferPointer { (heldText + offset).update(from: $0.baseAddress!, count: $0.count) }
                }
                let slice = UnsafeRawBufferPointer(start: heldText + offset, count: text.count)
                offset += text.count
                if case .string = value {
                    cells[index] = .string(TextSlice(slice, escaped: false))
                } else {
                    cells[index] = .dynamic(TextSlice(slice, escaped: false, jsonValue: true))
                }
            default:
                cells[index] = Cell(value)
            }
        }
    }
}
