/// Finding the log files under the paths a user gives, and reading them by chunks and by lines.

import Foundation

/// Input file discovery and reading.
enum InputFiles {
    /// Bytes read from disk at a time.
    static let chunkSize = 1 << 20

    /// Every file to read: files given by path are taken whatever their name; directories are walked
    /// recursively for `*.json` and `*.jsonl` files (hidden ones skipped), in sorted order.
    static func expand(_ paths: [String]) throws(WorkspaceError) -> [String] {
        var result: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .noSuchInput(path: path) }
            guard isDirectory.boolValue else {
                result.append(path)
                continue
            }
            guard let walker = manager.enumerator(atPath: path) else {
                throw .unreadable(path: path, reason: "the directory cannot be listed")
            }
            var found: [String] = []
            while let relative = walker.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                if name.hasPrefix(".") { continue }
                let lower = name.lowercased()
                guard lower.hasSuffix(".json") || lower.hasSuffix(".jsonl") else { continue }
                let full = (path as NSString).appendingPathComponent(relative)
                var innerIsDirectory: ObjCBool = false
                if manager.fileExists(atPath: full, isDirectory: &innerIsDirectory), !innerIsDirectory.boolValue {
                    found.append(full)
                }
            }
            guard !found.isEmpty else { throw .noLogFiles(directory: path) }
            result += found.sorted()
        }
        return result
    }

    /// The SHA-256, size and last byte of the file at `path`, read by chunks, with the digest and line
    /// count of each prefix whose length is in `prefixLengths`.
    static func digest(of path: String, prefixLengths: Set<Int64> = []) throws(WorkspaceError) -> FileDigest {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(path: path, reason: "it cannot be opened for reading")
        }
        defer { try? handle.close() }
        var hash = SHA256()
        var result = FileDigest()
        var lines = 0
        let cuts = prefixLengths.sorted()
        var nextCut = 0
        do {
            while let data = try handle.read(upToCount: chunkSize), !data.isEmpty {
                let chunk = [UInt8](data)
                var start = 0
                while nextCut < cuts.count && cuts[nextCut] <= result.bytes + Int64(chunk.count) {
                    let end = Int(cuts[nextCut] - result.bytes)
                    hash.update(chunk[start..<end])
                    lines += chunk[start..<end].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                    result.prefixes[cuts[nextCut]] = (hash.hexDigest(), lines)
                    start = end
                    nextCut += 1
                }
                hash.update(chunk[start...])
                if !prefixLengths.isEmpty { lines += chunk[start...].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
                result.bytes += Int64(chunk.count)
                result.lastByte = chunk.last
            }
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        result.sha256 = hash.hexDigest()
        return result
    }

    /// The last components of a path (for a blob tree, the vault, date and hour folders and the file
    /// name), so that a later download of the same append blob is recognised.
    static func tailKey(of path: String) -> String {
        path.split(separator: "/").suffix(7).joined(separator: "/")
    }

    /// The whole file.
    static func contents(of path: String) throws(WorkspaceError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "it cannot be read")
        }
        return [UInt8](data)
    }
}

/// What reading a whole file told about it.
struct FileDigest {
    /// SHA-256 of every byte, lower-case hex.
    var sha256 = ""
    /// The size in bytes.
    var bytes: Int64 = 0
    /// The last byte, `nil` for an empty file.
    var lastByte: UInt8?
    /// For each requested prefix length: the prefix's SHA-256 and the line breaks in it.
    var prefixes: [Int64: (sha256: String, lines: Int)] = [:]
}

/// A line longer than the reader's limit; it was skipped without being held in memory.
struct LineTooLong: Error {
    /// The 1-based number of the line.
    var line: Int
    /// Its length in bytes, without the line break.
    var bytes: Int
    /// The limit it exceeded.
    var limit: Int

    /// The reason given for the refused line.
    var reason: String {
        "line \(line) is \(bytes) bytes long, over the limit of \(limit) bytes for one record "
            + "(set PATHPROOF_MAX_LINE_BYTES to raise it); the line was skipped"
    }
}

/// Reads a file one line at a time (LF or CRLF), holding only the current chunk and line in memory.
///
/// A line longer than `maxLineBytes` is never held whole: it is read past chunk by chunk and
/// reported by ``next()`` throwing ``LineTooLong``, after which reading goes on with the next line.
struct LineReader {
    private let handle: FileHandle
    private let chunkSize: Int
    private let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// The 1-based number of the line last returned.
    private(set) var lineNumber = 0
    /// How many lines were skipped for being over the limit.
    private(set) var skippedLines = 0

    /// Opens `path` at byte `offset`, counting lines from `linesBefore` + 1, reading `chunkSize` bytes at a time.
    init(
        path: String, offset: Int64 = 0, linesBefore: Int = 0, chunkSize: Int = InputFiles.chunkSize,
        maxLineBytes: Int = Int.max
    ) throws(WorkspaceError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(path: path, reason: "it cannot be opened for reading")
        }
        if offset > 0 {
            do { try handle.seek(toOffset: UInt64(offset)) } catch {
                throw .unreadable(path: path, reason: error.localizedDescription)
            }
        }
        self.handle = handle
        self.chunkSize = max(1, chunkSize)
        self.maxLineBytes = max(1, maxLineBytes)
        self.lineNumber = linesBefore
    }

    /// Closes the file.
    func close() { try? handle.close() }

    /// The next line without its line break, or `nil` at the end of the file.
    ///
    /// - Throws: ``LineTooLong`` for a line over the limit (the reader is then past that line).
    mutating func next() throws -> [UInt8]? {
        // Bytes before `searched` hold no line break, so a long line is scanned once, not once per chunk.
        var searched = start
        while true {
            if let newline = buffer[searched...].firstIndex(of: 0x0A) {
                var end = newline
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                lineNumber += 1
                let length = end - start
                guard length <= maxLineBytes else {
                    start = newline + 1
                    skippedLines += 1
                    throw LineTooLong(line: lineNumber, bytes: length, limit: maxLineBytes)
                }
                let line = Array(buffer[start..<end])
                start = newline + 1
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                var end = buffer.count
                if buffer[end - 1] == 0x0D { end -= 1 }
                lineNumber += 1
                let line = end - start <= maxLineBytes ? Array(buffer[start..<end]) : nil
                let length = end - start
                start = buffer.count
                guard let line else {
                    skippedLines += 1
                    throw LineTooLong(line: lineNumber, bytes: length, limit: maxLineBytes)
                }
                return line
            }
            if buffer.count - start > maxLineBytes { try skipLongLine() }
            searched = buffer.count - start
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            if let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
                buffer.append(contentsOf: chunk)
            } else {
                atEnd = true
            }
        }
    }

    /// Reads past the rest of a line already over the limit, keeping one chunk at a time, then throws.
    private mutating func skipLongLine() throws {
        var length = buffer.count - start
        var previous = buffer.last
        buffer = []
        start = 0
        while true {
            guard let data = try handle.read(upToCount: chunkSize), !data.isEmpty else {
                atEnd = true
                if previous == 0x0D { length -= 1 }
                break
            }
            let chunk = [UInt8](data)
            if let newline = chunk.firstIndex(of: 0x0A) {
                length += newline
                if (newline > 0 ? chunk[newline - 1] : previous) == 0x0D { length -= 1 }
                buffer = chunk
                start = newline + 1
                break
            }
            length += chunk.count
            previous = chunk.last
        }
        lineNumber += 1
        skippedLines += 1
        throw LineTooLong(line: lineNumber, bytes: length, limit: maxLineBytes)
    }
}
