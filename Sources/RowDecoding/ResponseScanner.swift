/// A resumable, byte-level streaming scanner that turns a query response body into typed rows.

import Foundation
import TableModel

/// Reads a Log Analytics query response body fed in chunks of any size and reports its tables and
/// rows one at a time, each cell typed by its column's declared type.
///
/// Feed bytes with ``feed(_:)-(UnsafeRawBufferPointer)``, pull events with ``next()`` until it
/// returns `nil` (it wants more input), and call ``finish()`` at the end of the body; after that,
/// ``next()`` drains the rest and returns `nil` only once the body was complete and well formed.
/// Chunk boundaries may fall anywhere, even inside a token; the scanner resumes where it stopped.
/// A row is read in one pass once it is whole in the buffer (a row cut by a chunk boundary waits for
/// more input, and is looked at again only after the input grew by half, so a row longer than many
/// chunks is re-read a logarithmic number of times); everything else is read token by token and
/// never twice. It holds only the current incomplete row (or token) and the unread input, so memory
/// stays bounded by the chunk size plus the longest row.
///
/// Rows come as owned values from ``next()``, or, much faster, as typed cells borrowed from the
/// buffer through ``scan(into:)`` and a ``ResponseVisitor``; the two may be mixed.
///
/// Everything is checked for JSON syntax; strings are decoded (escapes, UTF-8) only where they are
/// used: table and column names and types, cells, and the `error` object. Strings in skipped parts
/// (`statistics`, `render`, unknown keys) are checked for syntax only.
///
/// ```swift
/// let scanner = ResponseScanner()
/// scanner.feed(chunk)
/// while let event = try scanner.next() { handle(event) }
/// scanner.finish()
/// while let event = try scanner.next() { handle(event) }
/// ```
public final class ResponseScanner {
    private var core: ScannerCore

    /// Creates a scanner with an empty buffer.
    public init() {
        let capacity = 1 << 16
        core = ScannerCore(
            storage: .allocate(capacity: capacity), capacity: capacity, scratch: .allocate(capacity: 1024),
            scratchCapacity: 1024, cells: .allocate(capacity: 16), cellCapacity: 16,
            heldText: .allocate(capacity: 1024), heldTextCapacity: 1024)
    }

    deinit {
        core.storage.deallocate()
        core.scratch.deallocate()
        core.cells.deallocate()
        core.heldText.deallocate()
    }

    /// Body bytes the scanner has been given so far.
    public var bytesFed: Int { core.bytesFed }

    /// Bytes currently reserved for unread input; grows only to fit one chunk plus one incomplete value.
    public var bufferCapacity: Int { core.capacity }

    /// Appends the next bytes of the body.
    public func feed(_ bytes: UnsafeRawBufferPointer) {
        core.feed(bytes)
    }

    /// Appends the next bytes of the body.
    public func feed(_ bytes: some Sequence<UInt8>) {
        let fed: Void? = bytes.withContiguousStorageIfAvailable { core.feed(UnsafeRawBufferPointer($0)) }
        if fed == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { core.feed($0) }
        }
    }

    /// Lets `body` write up to `maximum` bytes of the body straight into the buffer (saving a copy);
    /// `body` returns the count written, or a negative number for a failure.
    public func fill(maximum: Int, _ body: (UnsafeMutableRawBufferPointer) -> Int) -> Int {
        core.fill(maximum: maximum, body)
    }

    /// Says the body is complete: no more bytes will come.
    public func finish() {
        core.endOfInput = true
    }

    /// The next event, or `nil` when the buffered input is used up.
    ///
    /// After ``finish()``, `nil` means the body ended and was a complete, well-formed response.
    /// - Throws: ``ResponseDecodingError`` for malformed JSON (including a body cut short), a body
    ///   that is not a query response, or a cell that does not hold its column's declared type.
    public func next() throws(ResponseDecodingError) -> ResponseEvent? {
        // Work on a local value: the class's properties would be checked for exclusive access at
        // every touch, which costs more than the scanning itself.
        var local = ScannerCore.placeholder(like: core)
        swap(&local, &core)
        defer { swap(&local, &core) }
        return try local.next()
    }

    /// Reads all the buffered input, handing each table, row and partial error to `visitor` (rows as
    /// typed cells over the buffer, without copies); returns when the buffered input is used up.
    ///
    /// After ``finish()``, returning means the body ended and was a complete, well-formed response.
    /// It may be mixed with ``next()`` calls. A row is handed over only once it is whole in the
    /// buffer, so memory is bounded by the chunk size plus the longest row.
    /// - Throws: as ``next()``.
    public func scan(into visitor: inout some ResponseVisitor) throws(ResponseDecodingError) {
        var local = ScannerCore.placeholder(like: core)
        swap(&local, &core)
        defer { swap(&local, &core) }
        try local.scan(into: &visitor)
    }
}
