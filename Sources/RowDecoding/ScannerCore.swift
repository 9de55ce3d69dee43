/// The state of the streaming response scanner, kept in one struct so the hot loop works on a local copy.

import Foundation
import TableModel

/// Everything the scanner knows: its input buffer, lexer position, open containers and current table.
///
/// ``ResponseScanner`` owns one and moves it out into a local variable for each call, so the lexer and
/// parser mutate a value in place instead of a class's properties.
struct ScannerCore {
    // MARK: - Buffer

    /// Unread input, plus the start of a token still incomplete.
    var storage: UnsafeMutablePointer<UInt8>
    var capacity: Int
    /// Bytes filled in `storage`.
    var count = 0
    /// The next byte the lexer looks at.
    var position = 0
    /// Where the incomplete token starts (meaningful while `pending != .none`).
    var tokenStart = 0
    /// Bytes dropped from the front of `storage` so far; `discarded + i` is the body offset of `i`.
    var discarded = 0
    var pending = PendingToken.none
    var endOfInput = false
    /// Strings with escapes are decoded here; the owner frees it.
    var scratch: UnsafeMutablePointer<UInt8>
    var scratchCapacity: Int
    /// Bytes of the last decoded string in `scratch`.
    var scratchCount = 0

    // MARK: - Structure

    /// Open containers, outermost first.
    var stack: [Frame] = []
    var rootDone = false
    var sawTables = false
    var builder = DynamicBuilder()
    var captureTarget = CaptureTarget.error

    // MARK: - Current table

    var tableName = "PrimaryResult"
    var sawTableName = false
    var columns: [Column] = []
    var columnsDone = false
    var rowsStarted = false
    var rowCount = 0
    var columnName: String?
    var columnTypeName: String?
    var row: [Value] = []
    /// After a row was found incomplete, the body length (``bytesFed``) to wait for before looking
    /// again: half as many bytes again as the last look had, so a row longer than many chunks is
    /// re-read only a logarithmic number of times (and waits for at most half its length more).
    var rowRetryAt = 0
    /// The current table's column types, set when its rows begin (empty before).
    var cellTypes: [ColumnType] = []
    /// The fast path's row of typed cells; the owner frees it.
    var cells: UnsafeMutablePointer<Cell>
    var cellCapacity: Int
    /// Text of a row the general path made, copied so the row can be shown as borrowed cells.
    var heldText: UnsafeMutablePointer<UInt8>
    var heldTextCapacity: Int

    /// The deepest nesting accepted, as ``JSONParser/maxDepth``.
    static let maxDepth = 512

    /// A core over `storage` and `scratch`, which the caller owns and frees.
    init(
        storage: UnsafeMutablePointer<UInt8>, capacity: Int, scratch: UnsafeMutablePointer<UInt8>, scratchCapacity: Int,
        cells: UnsafeMutablePointer<Cell>, cellCapacity: Int, heldText: UnsafeMutablePointer<UInt8>,
        heldTextCapacity: Int
    ) {
        self.storage = storage
        self.capacity = capacity
        self.scratch = scratch
        self.scratchCapacity = scratchCapacity
        self.cells = cells
        self.cellCapacity = cellCapacity
        self.heldText = heldText
        self.heldTextCapacity = heldTextCapacity
    }

    /// A core that owns nothing yet, to swap with the owner's while one call runs.
    static func placeholder(like core: ScannerCore) -> ScannerCore {
        ScannerCore(
            storage: core.storage, capacity: core.capacity, scratch: core.scratch,
            scratchCapacity: core.scratchCapacity,
            cells: core.cells, cellCapacity: core.cellCapacity, heldText: core.heldText,
            heldTextCapacity: core.heldTextCapacity)
    }

    /// Makes `cells` hold at least `needed` cells.
    mutating func reserveCells(_ needed: Int) {
        guard needed > cellCapacity else { return }
        cells.deallocate()
        cells = .allocate(capacity: needed)
        cellCapacity = needed
    }

    /// Makes `heldText` hold at least `needed` bytes.
    mutating func reserveHeldText(_ needed: Int) {
        guard needed > heldTextCapacity else { return }
        var newCapacity = heldTextCapacity
        while newCapacity < needed { newCapacity *= 2 }
        heldText.deallocate()
        heldText = .allocate(capacity: newCapacity)
        heldTextCapacity = newCapacity
    }

    /// The last decoded string.
    var scratchBuffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: scratch, count: scratchCount) }

    /// Makes `scratch` hold at least `needed` bytes.
    mutating func reserveScratch(_ needed: Int) {
        guard needed > scratchCapacity else { return }
        var newCapacity = scratchCapacity
        while newCapacity < needed { newCapacity *= 2 }
        scratch.deallocate()
        scratch = .allocate(capacity: newCapacity)
        scratchCapacity = newCapacity
    }

    /// Body bytes given so far.
    var bytesFed: Int { discarded + count }

    // MARK: - Input

    /// Appends the next bytes of the body.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        compact()
        reserve(count + bytes.count)
        UnsafeMutableRawPointer(storage + count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        count += bytes.count
    }

    /// Lets `body` write up to `maximum` bytes straight into the buffer; it returns how many it wrote
    /// (a negative count means a failure and writes nothing).
    mutating func fill(maximum: Int, _ body: (UnsafeMutableRawBufferPointer) -> Int) -> Int {
        compact()
        reserve(count + maximum)
        let written = body(UnsafeMutableRawBufferPointer(start: storage + count, count: maximum))
        if written > 0 { count += min(written, maximum) }
        return written
    }

    /// Drops bytes already consumed, keeping an incomplete token.
    private mutating func compact() {
        let keep = pending == .none ? position : tokenStart
        guard keep > 0 else { return }
        let remaining = count - keep
        if remaining > 0 { (storage).update(from: storage + keep, count: remaining) }
        discarded += keep
        count = remaining
        position -= keep
        tokenStart = max(0, tokenStart - keep)
    }

    private mutating func reserve(_ needed: Int) {
        guard needed > capacity else { return }
        var newCapacity = capacity
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: storage, count: count)
        storage.deallocate()
        storage = grown
        capacity = newCapacity
    }

    // MARK: - Events

    /// The next event, or `nil` when the buffered input is used up.
    mutating func next() throws(ResponseDecodingError) -> ResponseEvent? {
        while true {
            if pending == .none, let last = stack.last, last.role == .rows {
                switch try fastRowWhenReady() {
                case .row: return .row(rowValues())
                case .incomplete where !endOfInput: return nil
                default: break
                }
            }
            guard let token = try lex() else {
                if endOfInput { try checkComplete() }
                return nil
            }
            if let event = try handle(token) { return event }
        }
    }

    /// The fast path's cells as owned values; escaped text is decoded in `scratch`, not in a new array.
    private mutating func rowValues() -> [Value] {
        let count = cellTypes.count
        var values: [Value] = []
        values.reserveCapacity(count)
        for index in 0..<count {
            switch cells[index] {
            case .string(let text) where text.isEscaped:
                values.append(.string(String(decoding: decodedText(text), as: UTF8.self)))
            case .dynamic(let text) where text.isEscaped && !text.isJSONValue:
                values.append(.dynamic(TextSlice(UnsafeRawBufferPointer(decodedText(text)), escaped: false).dynamic))
            case let cell:
                values.append(cell.value)
            }
        }
        return values
    }

    /// The decoded bytes of escaped text (checked by the fast path), in `scratch`.
    private mutating func decodedText(_ text: TextSlice) -> UnsafeBufferPointer<UInt8> {
        reserveScratch(text.raw.count)
        scratchCount = (try? JSONEscapes.decode(text.raw, into: scratch)) ?? 0
        return scratchBuffer
    }

    /// ``fastRow()``, unless a row was found incomplete and too few bytes came since.
    @inline(__always)
    mutating func fastRowWhenReady() throws(ResponseDecodingError) -> FastRowOutcome {
        if !endOfInput && bytesFed < rowRetryAt { return .incomplete }
        let outcome = try fastRow()
        rowRetryAt = outcome == .incomplete ? bytesFed + (count - position) / 2 : 0
        return outcome
    }

    func checkComplete() throws(ResponseDecodingError) {
        if bytesFed == 0 { throw syntaxError("the body is empty") }
        guard rootDone else { throw syntaxError("unexpected end of input (the body was cut short)") }
        guard sawTables else { throw .notAQueryResponse("no 'tables' array") }
    }

    /// An `invalidJSON` error at the lexer's position.
    func syntaxError(_ reason: String, at index: Int? = nil) -> ResponseDecodingError {
        .invalidJSON(JSONParseError(offset: discarded + (index ?? position), reason: reason))
    }
}
