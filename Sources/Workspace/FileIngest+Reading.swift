/// Reading one file's bytes: JSON Lines line by line, anything else as one JSON value.

import Foundation
import TableModel

extension FileIngest {
    /// Reads the file as JSON Lines when its first line is a complete JSON object and more lines
    /// follow; otherwise as one JSON value. A broken whole-file value whose lines partly parse is read
    /// as JSON Lines with the broken lines reported.
    func readContent(of path: String) throws -> InputShape {
        if try startsWithTablesKey(path) { return try SavedResponseReader.ingest(fileAt: path, into: self) }
        var reader = try LineReader(path: path, maxLineBytes: maxLineBytes)
        defer { reader.close() }
        guard var first = try nextContentLine(&reader) else {
            // An append blob can exist before its first record: nothing to read, nothing wrong.
            if reader.skippedLines == 0 { warn("the file is empty or blank: no records") }
            return .jsonLines
        }
        if reader.lineNumber == 1 && first.starts(with: [0xEF, 0xBB, 0xBF]) { first.removeFirst(3) }
        let firstLineNumber = reader.lineNumber
        let opensObject = first.first { !isSpace($0) } == UInt8(ascii: "{")

        if opensObject, let value = try? JSONParser.parse(bytes: first) {
            guard let second = try nextContentLine(&reader) else {
                return try take(value, bytes: { first }, at: RecordPlace())
            }
            try takeLine(value, bytes: first, number: firstLineNumber)
            try readLine(second, number: reader.lineNumber)
            while let line = try nextContentLine(&reader) {
                try readLine(line, number: reader.lineNumber)
            }
            return .jsonLines
        }
        if reader.skippedLines > 0 {
            // A line was too long to read: the file is never read whole, only line by line.
            try readLine(first, number: firstLineNumber)
            while let line = try nextContentLine(&reader) { try readLine(line, number: reader.lineNumber) }
            return .jsonLines
        }

        var bytes = try InputFiles.contents(of: path)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let value: Dynamic
        do {
            value = try JSONParser.parse(bytes: bytes)
        } catch {
            let (line, column) = position(of: error.offset, in: bytes)
            let whole = "invalid JSON at line \(line), column \(column): \(error.reason)"
            guard opensObject else { throw FileRefusal(reason: whole) }
            return try readBrokenAsLines(path: path, wholeFileError: whole)
        }
        return try take(value, bytes: { bytes }, at: RecordPlace())
    }

    private func readBrokenAsLines(path: String, wholeFileError: String) throws
        -> InputShape
    {
        var reader = try LineReader(path: path, maxLineBytes: maxLineBytes)
        defer { reader.close() }
        var parsedLines = 0
        var lines: [(Int, [UInt8], Dynamic?)] = []
        while var line = try nextContentLine(&reader) {
            if reader.lineNumber == 1 && line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
            let value = try? JSONParser.parse(bytes: line)
            if value != nil { parsedLines += 1 }
            lines.append((reader.lineNumber, line, value))
        }
        guard parsedLines > 0 else { throw FileRefusal(reason: wholeFileError) }
        for (number, line, _) in lines { try readLine(line, number: number) }
        return .jsonLines
    }

    /// Reads JSON Lines from byte `offset` on (the end of an earlier copy of a grown append blob).
    func readLines(of path: String, from offset: Int64, linesBefore: Int) throws -> InputShape {
        var reader = try LineReader(
            path: path, offset: offset, linesBefore: linesBefore, maxLineBytes: maxLineBytes)
        defer { reader.close() }
        while let line = try nextContentLine(&reader) { try readLine(line, number: reader.lineNumber) }
        return .jsonLines
    }

    private func readLine(_ line: [UInt8], number: Int) throws {
        let value: Dynamic
        do {
            value = try JSONParser.parse(bytes: line)
        } catch {
            reject("invalid JSON at column \(error.offset + 1): \(error.reason)", at: RecordPlace(line: number))
            return
        }
        try takeLine(value, bytes: line, number: number)
    }

    /// Ingests one line's value; a line that is not log data is rejected alone, a storage failure is thrown.
    private func takeLine(_ value: Dynamic, bytes: [UInt8], number: Int) throws {
        do {
            _ = try take(value, bytes: { bytes }, at: RecordPlace(line: number))
        } catch let refusal as FileRefusal {
            reject(refusal.reason, at: RecordPlace(line: number))
        }
    }

    /// The next line that is not blank; a line over the length limit is rejected and passed over.
    private func nextContentLine(_ reader: inout LineReader) throws -> [UInt8]? {
        while true {
            do {
                guard let line = try reader.next() else { return nil }
                if line.contains(where: { !isSpace($0) }) { return line }
            } catch let tooLong as LineTooLong {
                reject(tooLong.reason, at: RecordPlace(line: tooLong.line))
            }
        }
    }

    /// Whether the file's first key is `"tables"`: a saved query response, read by the streaming
    /// scanner so that a large one (a single line of hundreds of megabytes) is never held whole.
    private func startsWithTablesKey(_ path: String) throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw WorkspaceError.unreadable(path: path, reason: "it cannot be opened for reading")
        }
        defer { try? handle.close() }
        let head = [UInt8](try handle.read(upToCount: 512) ?? Data())
        var index = head.startIndex
        func skipSpace() { while index < head.endIndex && isSpace(head[index]) { index += 1 } }
        skipSpace()
        guard index < head.endIndex, head[index] == UInt8(ascii: "{") else { return false }
        index += 1
        skipSpace()
        return head[index...].starts(with: Array("\"tables\"".utf8))
    }

    private func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }

    private func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in bytes[..<min(offset, bytes.count)] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}
