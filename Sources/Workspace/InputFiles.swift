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

    /// The SHA-256 (lower-case hex) and size of the file at `path`, read by chunks.
    static func digest(of path: String) throws(WorkspaceError) -> (sha256: String, bytes: Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(path: path, reason: "it cannot be opened for reading")
        }
        defer { try? handle.close() }
        var hash = SHA256()
        var total: Int64 = 0
        do {
            while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
                hash.update(chunk)
                total += Int64(chunk.count)
            }
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        return (hash.hexDigest(), total)
    }

    /// The whole file.
    static func contents(of path: String) throws(WorkspaceError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "it cannot be read")
        }
        return [UInt8](data)
    }
}

/// Reads a file one line at a time (LF or CRLF), holding only the current chunk and line in memory.
struct LineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// The 1-based number of the line last returned.
    private(set) var lineNumber = 0

    /// Opens `path`.
    init(path: String) throws(WorkspaceError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(path: path, reason: "it cannot be opened for reading")
        }
        self.handle = handle
    }

    /// Closes the file.
    func close() { try? handle.close() }

    /// The next line without its line break, or `nil` at the end of the file.
    mutating func next() throws -> [UInt8]? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                var end = newline
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                let line = Array(buffer[start..<end])
                start = newline + 1
                lineNumber += 1
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                var end = buffer.count
                if buffer[end - 1] == 0x0D { end -= 1 }
                let line = Array(buffer[start..<end])
                start = buffer.count
                lineNumber += 1
                return line
            }
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            if let chunk = try handle.read(upToCount: InputFiles.chunkSize), !chunk.isEmpty {
                buffer.append(contentsOf: chunk)
            } else {
                atEnd = true
            }
        }
    }
}
