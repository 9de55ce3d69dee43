/// The response scanner's parser: follows the body's structure and knows what each value means.

import TableModel

/// What an open container is, in the shape of a query response.
enum FrameRole: UInt8 {
    case root
    case tables
    case table
    case columns
    case column
    case rows
    case row
    /// Part of a value being kept whole: the `error` object or a non-scalar cell.
    case capture
    /// Part of a value read for syntax only (`statistics`, `render`, unknown keys).
    case skip
}

/// What an open container accepts next.
enum FrameExpectation: UInt8 {
    case firstKeyOrEnd
    case key
    case colon
    case value
    case commaOrEnd
    case firstValueOrEnd
}

/// The keys of a query response the scanner acts on.
enum ResponseKey: UInt8 {
    case none
    case tables
    case error
    case name
    case columns
    case rows
    case type
    case other
}

/// One open object or array.
struct Frame {
    var role: FrameRole
    var isObject: Bool
    var expect: FrameExpectation
    var key = ResponseKey.none
}

/// Where a value kept whole goes when it ends.
enum CaptureTarget {
    case error
    case cell
}

extension ScannerCore {
    /// Applies one token to the structure; returns an event when the token completes one.
    mutating func handle(_ token: Token) throws(ResponseDecodingError) -> ResponseEvent? {
        guard !stack.isEmpty else {
            guard !rootDone else { throw syntaxError("unexpected text after the response object", at: token.start) }
            guard token.kind == .beginObject else {
                throw .notAQueryResponse("the body is not a JSON object")
            }
            stack.append(Frame(role: .root, isObject: true, expect: .firstKeyOrEnd))
            return nil
        }
        let top = stack.count - 1
        switch stack[top].expect {
        case .firstKeyOrEnd, .key:
            if token.kind == .endObject && stack[top].expect == .firstKeyOrEnd { return try close() }
            guard token.kind == .string else { throw syntaxError("expected a key", at: token.start) }
            try takeKey(token, frame: top)
            stack[top].expect = .colon
            return nil
        case .colon:
            guard token.kind == .colon else { throw syntaxError("expected ':'", at: token.start) }
            stack[top].expect = .value
            return nil
        case .commaOrEnd:
            if token.kind == .comma {
                stack[top].expect = stack[top].isObject ? .key : .value
                return nil
            }
            if token.kind == (stack[top].isObject ? .endObject : .endArray) { return try close() }
            throw syntaxError(stack[top].isObject ? "expected ',' or '}'" : "expected ',' or ']'", at: token.start)
        case .firstValueOrEnd, .value:
            if token.kind == .endArray && stack[top].expect == .firstValueOrEnd { return try close() }
            guard token.kind.beginsValue else { throw syntaxError("expected a value", at: token.start) }
            stack[top].expect = .commaOrEnd
            return try value(token, in: top)
        }
    }

    private mutating func takeKey(_ token: Token, frame: Int) throws(ResponseDecodingError) {
        switch stack[frame].role {
        case .root, .table, .column:
            stack[frame].key = try classifyKey(token)
        case .capture:
            builder.setKey(try string(token))
        default:
            break
        }
    }

    private mutating func classifyKey(_ token: Token) throws(ResponseDecodingError) -> ResponseKey {
        if token.escaped {
            switch try string(token) {
            case "tables": return .tables
            case "error": return .error
            case "name": return .name
            case "columns": return .columns
            case "rows": return .rows
            case "type": return .type
            default: return .other
            }
        }
        switch token.count {
        case 6 where matches(token.start, "tables"): return .tables
        case 5 where matches(token.start, "error"): return .error
        case 4 where matches(token.start, "name"): return .name
        case 7 where matches(token.start, "columns"): return .columns
        case 4 where matches(token.start, "rows"): return .rows
        case 4 where matches(token.start, "type"): return .type
        default: return .other
        }
    }

    /// A value inside the container at `parent`.
    private mutating func value(_ token: Token, in parent: Int) throws(ResponseDecodingError) -> ResponseEvent? {
        let key = stack[parent].key
        switch stack[parent].role {
        case .root:
            switch key {
            case .tables:
                try require(token, .beginArray, "'tables' is not an array")
                sawTables = true
                push(.tables, isObject: false)
            case .error:
                return try beginCapture(token, target: .error)
            default:
                try skip(token)
            }
        case .tables:
            try require(token, .beginObject, "an element of 'tables' is not an object")
            startTable()
            push(.table, isObject: true)
        case .table:
            return try tableValue(token, key: key)
        case .columns:
            try require(token, .beginObject, "a column of table '\(tableName)' is not an object")
            columnName = nil
            columnTypeName = nil
            push(.column, isObject: true)
        case .column:
            switch key {
            case .name:
                try require(token, .string, "a column name in table '\(tableName)' is not a string")
                columnName = try string(token)
            case .type:
                try require(token, .string, "a column type in table '\(tableName)' is not a string")
                columnTypeName = try string(token)
            default:
                try skip(token)
            }
        case .rows:
            try require(token, .beginArray, "row \(rowCount + 1) of table '\(tableName)' is not an array")
            // A fresh array per row: the consumer usually keeps the row, so reusing one would copy anyway.
            row = []
            row.reserveCapacity(columns.count)
            push(.row, isObject: false)
        case .row:
            guard row.count < columns.count else {
                throw .notAQueryResponse(
                    "row \(rowCount + 1) of table '\(tableName)' has more cells than its \(columns.count) columns")
            }
            if token.kind.isScalar {
                row.append(try cell(token, column: columns[row.count]))
            } else {
                return try beginCapture(token, target: .cell)
            }
        case .capture:
            if token.kind.isScalar {
                builder.add(try dynamic(token))
            } else {
                guard stack.count < ScannerCore.maxDepth else {
                    throw syntaxError("nesting too deep", at: token.start)
                }
                builder.begin(object: token.kind == .beginObject)
                push(.capture, isObject: token.kind == .beginObject)
            }
        case .skip:
            try skip(token)
        }
        return nil
    }

    private mutating func tableValue(_ token: Token, key: ResponseKey) throws(ResponseDecodingError) -> ResponseEvent? {
        switch key {
        case .name:
            try require(token, .string, "a table name is not a string")
            guard !rowsStarted else {
                throw .notAQueryResponse("the name of a table comes after its rows; cannot stream it")
            }
            tableName = try string(token)
            sawTableName = true
        case .columns:
            try require(token, .beginArray, "'columns' of table '\(tableName)' is not an array")
            guard !rowsStarted else {
                throw .notAQueryResponse("the columns of table '\(tableName)' come after its rows")
            }
            columns.removeAll()
            push(.columns, isObject: false)
        case .rows:
            try require(token, .beginArray, "'rows' of table '\(tableName)' is not an array")
            guard columnsDone else {
                throw .notAQueryResponse("table '\(tableName)' has rows before (or without) its columns")
            }
            guard !rowsStarted else { throw .notAQueryResponse("table '\(tableName)' has two 'rows' arrays") }
            rowsStarted = true
            cellTypes = columns.map(\.type)
            reserveCells(columns.count)
            push(.rows, isObject: false)
            return .tableStart(name: tableName, columns: columns)
        default:
            try skip(token)
        }
        return nil
    }

    /// Closes the innermost container; returns the event its end completes, if any.
    private mutating func close() throws(ResponseDecodingError) -> ResponseEvent? {
        let frame = stack.removeLast()
        switch frame.role {
        case .root:
            rootDone = true
        case .table:
            guard rowsStarted else { throw .notAQueryResponse("table '\(tableName)' has no 'rows' array") }
            let event = ResponseEvent.tableEnd(name: tableName, rowCount: rowCount)
            startTable()
            return event
        case .columns:
            columnsDone = true
        case .column:
            guard let name = columnName, let typeName = columnTypeName else {
                throw .notAQueryResponse(
                    "column \(columns.count + 1) of table '\(tableName)' lacks a 'name' or a 'type'")
            }
            guard let type = ColumnType(kqlName: typeName) else {
                throw .notAQueryResponse("column '\(name)' of table '\(tableName)' has the unknown type '\(typeName)'")
            }
            columns.append(Column(name, type))
        case .row:
            guard row.count == columns.count else {
                throw .notAQueryResponse(
                    "row \(rowCount + 1) of table '\(tableName)' has \(row.count) cells, not \(columns.count)")
            }
            rowCount += 1
            return .row(row)
        case .capture:
            if let whole = builder.end() { return try deliver(whole) }
        case .tables, .rows, .skip:
            break
        }
        return nil
    }

    private mutating func startTable() {
        tableName = "PrimaryResult"
        sawTableName = false
        columns = []
        cellTypes = []
        columnsDone = false
        rowsStarted = false
        rowCount = 0
    }

    private mutating func push(_ role: FrameRole, isObject: Bool) {
        stack.append(Frame(role: role, isObject: isObject, expect: isObject ? .firstKeyOrEnd : .firstValueOrEnd))
    }

    private func require(
        _ token: Token, _ kind: TokenKind, _ why: @autoclosure () -> String
    ) throws(ResponseDecodingError) {
        guard token.kind == kind else { throw .notAQueryResponse(why()) }
        if kind == .beginObject || kind == .beginArray {
            guard stack.count < ScannerCore.maxDepth else { throw syntaxError("nesting too deep", at: token.start) }
        }
    }

    /// Reads a value for syntax only.
    private mutating func skip(_ token: Token) throws(ResponseDecodingError) {
        guard !token.kind.isScalar else { return }
        guard stack.count < ScannerCore.maxDepth else { throw syntaxError("nesting too deep", at: token.start) }
        push(.skip, isObject: token.kind == .beginObject)
    }

    /// Starts keeping a value whole; a scalar is complete at once.
    private mutating func beginCapture(_ token: Token, target: CaptureTarget) throws(ResponseDecodingError)
        -> ResponseEvent?
    {
        captureTarget = target
        if token.kind.isScalar { return try deliver(try dynamic(token)) }
        guard stack.count < ScannerCore.maxDepth else { throw syntaxError("nesting too deep", at: token.start) }
        builder.begin(object: token.kind == .beginObject)
        push(.capture, isObject: token.kind == .beginObject)
        return nil
    }

    /// Hands a value kept whole to where it belongs.
    private mutating func deliver(_ whole: Dynamic) throws(ResponseDecodingError) -> ResponseEvent? {
        switch captureTarget {
        case .error:
            if case .null = whole { return nil }
            return .partialError(whole)
        case .cell:
            let column = columns[row.count]
            do {
                row.append(try Value.fromAPI(whole, as: column.type, column: column.name))
            } catch {
                throw .cell(table: tableName, row: rowCount, error)
            }
            return nil
        }
    }
}
