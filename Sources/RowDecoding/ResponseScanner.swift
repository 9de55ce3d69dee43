/// A resumable, byte-level streaming scanner that turns a query response body into typed rows.

import Foundation
import TableModel

/// Reads a Log Analytics query response body fed in chunks of any size and reports its tables and
/// rows one at a time, each cell typed by its column's declared type.
///
/// Feed bytes with ``feed(_:)-(UnsafeRawBufferPointer)``, pull events with ``next()`` until it
/// returns `nil` (it wants more input), and call ``finish()`` at the end of the body; after that,
/// ``next()`` drains the rest and returns `nil` only once the body was complete and well formed.
/// Chunk boundaries may fall anywhere, even inside a token; the scanner resumes where it stopped and
/// never scans a byte twice. It holds only the current incomplete token and the unread input, so
/// memory stays bounded by the chunk size plus the longest single value.
///
/// ```swift
/// let scanner = ResponseScanner()
/// scanner.feed(chunk)
/// while let event = try scanner.next() { handle(event) }
/// scanner.finish()
/// while let event = try scanner.next() { handle(event) }
/// ```
public final class ResponseScanner {
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
    /// Reused for strings with escapes.
    var scratch: [UInt8] = []

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

    /// The deepest nesting accepted, as ``JSONParser/maxDepth``.
    static let maxDepth = 512

    /// Creates a scanner with an empty buffer.
    public init() {
        capacity = 1 << 16
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    /// Body bytes the scanner has been given so far.
    public var bytesFed: Int { discarded + count }

    /// Bytes currently reserved for unread input; grows only to fit one chunk plus one incomplete value.
    public var bufferCapacity: Int { capacity }

    // MARK: - Input

    /// Appends the next bytes of the body.
    public func feed(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        compact()
        reserve(count + bytes.count)
        UnsafeMutableRawPointer(storage + count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        count += bytes.count
    }

    /// Appends the next bytes of the body.
    public func feed(_ bytes: some Sequence<UInt8>) {
        let fed: Void? = bytes.withContiguousStorageIfAvailable { feed(UnsafeRawBufferPointer($0)) }
        if fed == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { feed($0) }
        }
    }

    /// Says the body is complete: no more bytes will come.
    public func finish() {
        endOfInput = true
    }

    /// Drops bytes already consumed, keeping an incomplete token.
    private func compact() {
        let keep = pending == .none ? position : tokenStart
        guard keep > 0 else { return }
        let remaining = count - keep
        if remaining > 0 { (storage).update(from: storage + keep, count: remaining) }
        discarded += keep
        count = remaining
        position -= keep
        tokenStart = max(0, tokenStart - keep)
    }

    private func reserve(_ needed: Int) {
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
    ///
    /// After ``finish()``, `nil` means the body ended and was a complete, well-formed response.
    /// - Throws: ``ResponseDecodingError`` for malformed JSON (including a body cut short), a body
    ///   that is not a query response, or a cell that does not hold its column's declared type.
    public func next() throws(ResponseDecodingError) -> ResponseEvent? {
        while true {
            guard let token = try lex() else {
                if endOfInput { try checkComplete() }
                return nil
            }
            if let event = try handle(token) { return event }
        }
    }

    private func checkComplete() throws(ResponseDecodingError) {
        if bytesFed == 0 { throw syntaxError("the body is empty") }
        guard rootDone else { throw syntaxError("unexpected end of input (the body was cut short)") }
        guard sawTables else { throw .notAQueryResponse("no 'tables' array") }
    }

    /// An `invalidJSON` error at the lexer's position.
    func syntaxError(_ reason: String, at index: Int? = nil) -> ResponseDecodingError {
        .invalidJSON(JSONParseError(offset: discarded + (index ?? position), reason: reason))
    }
}
