/// Reading log files into the workspace: one transaction per file, duplicates skipped by digest.

import Foundation
import SQLiteSupport
import TableModel

extension Workspace {
    /// Reads Key Vault audit records from files and directories into the workspace.
    ///
    /// Directories are walked recursively for `*.json` and `*.jsonl` files. Each file is recognised by
    /// its content: JSON Lines (`PT1H.json`), a `{"records":[…]}` envelope, a JSON array of records, one
    /// record, one Log Analytics row or a `{"value":[rows]}` envelope, or a saved query API response
    /// (single or `$batch`). Raw records go to `AzureDiagnostics`, flattened as Log Analytics does;
    /// saved rows keep their own table and columns.
    ///
    /// Each file is written in one transaction: a bad record is reported in
    /// ``IngestSummary/rejected`` with its file and line (or record number) and the others are kept;
    /// a file that is not Key Vault log data is refused whole and nothing of it is written. A file
    /// whose SHA-256 matches one ingested before is skipped, so ingesting twice adds no row.
    ///
    /// - Throws: ``WorkspaceError/noSuchInput(path:)`` or ``WorkspaceError/noLogFiles(directory:)``
    ///   before anything is written; ``WorkspaceError/storage(_:)`` when SQLite fails (the file being
    ///   written is rolled back; files before it stay ingested).
    public func ingest(paths: [String]) throws(WorkspaceError) -> IngestSummary {
        let files = try InputFiles.expand(paths)
        var summary = IngestSummary()
        for file in files { try ingestFile(file, into: &summary) }
        return summary
    }

    private func ingestFile(_ path: String, into summary: inout IngestSummary) throws(WorkspaceError) {
        var (sha256, size) = ("", Int64(0))
        do {
            (sha256, size) = try InputFiles.digest(of: path)
            let earlier = try database.rows("SELECT path FROM pp_files WHERE sha256 = ?1", [.text(sha256)])
            if let earlierPath = earlier.first?.first?.text {
                summary.files.append(
                    IngestedFile(
                        path: path, sha256: sha256, shape: .unknown, outcome: .duplicate(earlierPath: earlierPath),
                        rowsPerTable: [:], rejectedRecords: 0, isIncompleteEvidence: false))
                return
            }
        } catch let error as SQLiteError {
            throw .storage(error)
        } catch {
            refuse(path, sha256: sha256, reason: "\(error)", into: &summary)
            return
        }

        do {
            try database.execute("BEGIN IMMEDIATE")
            let fileID = try recordFile(path: path, sha256: sha256, bytes: size)
            let ingest = FileIngest(path: path, fileID: fileID, workspace: self)
            let shape = try readContent(of: path, into: ingest)
            let update = try database.prepare("UPDATE pp_files SET shape = ?1, rows = ?2, rejected = ?3 WHERE id = ?4")
            try update.bind([
                .text(shape.rawValue), .integer(Int64(ingest.totalRows)), .integer(Int64(ingest.problems.count)),
                .integer(fileID),
            ])
            try update.step()
            try database.execute("COMMIT")
            summary.files.append(
                IngestedFile(
                    path: path, sha256: sha256, shape: shape, outcome: .ingested, rowsPerTable: ingest.rowsPerTable,
                    rejectedRecords: ingest.problems.count, isIncompleteEvidence: !ingest.incomplete.isEmpty))
            summary.rowsPerTable.merge(ingest.rowsPerTable, uniquingKeysWith: +)
            summary.rejected += ingest.problems
            summary.warnings += ingest.warnings
            summary.incompleteEvidence += ingest.incomplete
        } catch let refusal as FileRefusal {
            rollBack()
            refuse(path, sha256: sha256, reason: refusal.reason, into: &summary)
        } catch let error as SQLiteError {
            rollBack()
            throw .storage(error)
        } catch let error as WorkspaceError {
            rollBack()
            refuse(path, sha256: sha256, reason: error.description, into: &summary)
        } catch {
            rollBack()
            refuse(path, sha256: sha256, reason: "\(error)", into: &summary)
        }
    }

    private func refuse(_ path: String, sha256: String, reason: String, into summary: inout IngestSummary) {
        summary.files.append(
            IngestedFile(
                path: path, sha256: sha256, shape: .unknown, outcome: .refused(reason: reason), rowsPerTable: [:],
                rejectedRecords: 0, isIncompleteEvidence: false))
        summary.rejected.append(IngestProblem(file: path, reason: reason))
    }

    private func rollBack() {
        try? database.execute("ROLLBACK")
        forgetCatalogs()
    }

    private func recordFile(path: String, sha256: String, bytes: Int64) throws(SQLiteError) -> Int64 {
        let now = Date().timeIntervalSince1970
        let seconds = Int64(now.rounded(.down))
        let stamp = DateTime(unixSeconds: seconds, fractionTicks: Int64((now - Double(seconds)) * 1e7)).apiText
        let insert = try database.prepare(
            "INSERT INTO pp_files (path, sha256, bytes, shape, rows, rejected, ingested_at) "
                + "VALUES (?1, ?2, ?3, 'unknown', 0, 0, ?4)")
        try insert.bind([.text(path), .text(sha256), .integer(bytes), .text(stamp)])
        try insert.step()
        return database.lastInsertRowID
    }

    /// Reads the file as JSON Lines when its first line is a complete JSON object and more lines
    /// follow; otherwise as one JSON value. A broken whole-file value whose lines partly parse is read
    /// as JSON Lines with the broken lines reported.
    private func readContent(of path: String, into ingest: FileIngest) throws -> InputShape {
        var reader = try LineReader(path: path)
        defer { reader.close() }
        guard var first = try nextContentLine(&reader) else { throw FileRefusal(reason: "the file is empty") }
        if reader.lineNumber == 1 && first.starts(with: [0xEF, 0xBB, 0xBF]) { first.removeFirst(3) }
        let firstLineNumber = reader.lineNumber
        let opensObject = first.first { !isSpace($0) } == UInt8(ascii: "{")

        if opensObject, let value = try? JSONParser.parse(bytes: first) {
            guard let second = try nextContentLine(&reader) else {
                return try ingest.take(value, bytes: { first }, at: RecordPlace())
            }
            try takeLine(value, bytes: first, number: firstLineNumber, into: ingest)
            try readLine(second, number: reader.lineNumber, into: ingest)
            while let line = try nextContentLine(&reader) {
                try readLine(line, number: reader.lineNumber, into: ingest)
            }
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
            return try readBrokenAsLines(path: path, wholeFileError: whole, into: ingest)
        }
        return try ingest.take(value, bytes: { bytes }, at: RecordPlace())
    }

    private func readBrokenAsLines(path: String, wholeFileError: String, into ingest: FileIngest) throws
        -> InputShape
    {
        var reader = try LineReader(path: path)
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
        for (number, line, _) in lines { try readLine(line, number: number, into: ingest) }
        return .jsonLines
    }

    private func readLine(_ line: [UInt8], number: Int, into ingest: FileIngest) throws {
        let value: Dynamic
        do {
            value = try JSONParser.parse(bytes: line)
        } catch {
            ingest.reject("invalid JSON at column \(error.offset + 1): \(error.reason)", at: RecordPlace(line: number))
            return
        }
        try takeLine(value, bytes: line, number: number, into: ingest)
    }

    /// Ingests one line's value; a line that is not log data is rejected alone, a storage failure is thrown.
    private func takeLine(_ value: Dynamic, bytes: [UInt8], number: Int, into ingest: FileIngest) throws {
        do {
            _ = try ingest.take(value, bytes: { bytes }, at: RecordPlace(line: number))
        } catch let refusal as FileRefusal {
            ingest.reject(refusal.reason, at: RecordPlace(line: number))
        }
    }

    private func nextContentLine(_ reader: inout LineReader) throws -> [UInt8]? {
        while let line = try reader.next() {
            if line.contains(where: { !isSpace($0) }) { return line }
        }
        return nil
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
