/// Streaming a saved (or downloaded) query response file through the scanner in bounded memory.

import Foundation
import TableModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a query response body from a file in fixed-size chunks and reports its events one at a time.
///
/// Memory stays bounded by the chunk size plus the longest row, whatever the file size.
public final class ResponseFileReader {
    /// The file being read.
    public let path: String
    private let descriptor: Int32
    private let chunkSize: Int
    private let scanner = ResponseScanner()
    private var atEnd = false

    /// Opens `path` for reading in chunks of `chunkSize` bytes (1 MiB by default).
    /// - Throws: ``ResponseDecodingError/unreadableFile(path:reason:)`` when the file cannot be opened.
    public init(path: String, chunkSize: Int = 1 << 20) throws(ResponseDecodingError) {
        self.path = path
        self.chunkSize = max(1, chunkSize)
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
    }

    deinit {
        close(descriptor)
    }

    /// Body bytes read from the file so far.
    public var bytesRead: Int { scanner.bytesFed }

    /// The next event, or `nil` once the whole file was read and was a complete response.
    /// - Throws: ``ResponseDecodingError`` for a read failure or a malformed or incomplete body.
    public func next() throws(ResponseDecodingError) -> ResponseEvent? {
        while true {
            if let event = try scanner.next() { return event }
            if atEnd { return nil }
            let file = descriptor
            let got = scanner.fill(maximum: chunkSize) { read(file, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
            }
            if got == 0 {
                atEnd = true
                scanner.finish()
            }
        }
    }

    /// Reads the rest of the file, handing every table, row and partial error to `visitor` (rows as
    /// typed cells over the buffer, without copies).
    /// - Throws: ``ResponseDecodingError`` for a read failure or a malformed or incomplete body.
    public func scan(into visitor: inout some ResponseVisitor) throws(ResponseDecodingError) {
        while true {
            try scanner.scan(into: &visitor)
            if atEnd { return }
            let file = descriptor
            let got = scanner.fill(maximum: chunkSize) { read(file, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
            }
            if got == 0 {
                atEnd = true
                scanner.finish()
            }
        }
    }
}
