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
        do { try upgradeLayout() } catch { throw .storage(error) }
        var summary = IngestSummary()
        for file in files { try ingestFile(file, into: &summary) }
        return summary
    }

    private func ingestFile(_ path: String, into summary: inout IngestSummary) throws(WorkspaceError) {
        var digest = FileDigest()
        var resume: Resume?
        do {
            digest = try InputFiles.digest(of: path)
            let earlier = try database.rows(
                "SELECT id, path, rows, rejected FROM pp_files WHERE sha256 = ?1", [.text(digest.sha256)])
            if let row = earlier.first, let earlierID = row[0].integer, let earlierPath = row[1].text {
                try skipDuplicate(
                    path, sha256: digest.sha256, earlierID: earlierID, earlierPath: earlierPath,
                    rows: Int(row[2].integer ?? 0), rejected: Int(row[3].integer ?? 0), into: &summary)
                return
            }
            resume = try grownAppendBlob(path: path, digest: digest)
        } catch let error as SQLiteError {
            throw .storage(error)
        } catch {
            refuse(path, sha256: digest.sha256, reason: "\(error)", into: &summary)
            return
        }

        do {
            try database.execute("BEGIN IMMEDIATE")
            let fileID = try recordFile(path: path, digest: digest, resume: resume)
            let ingest = FileIngest(path: path, fileID: fileID, workspace: self)
            let shape: InputShape
            if let resume {
                shape = try ingest.readLines(of: path, from: resume.offset, linesBefore: resume.linesBefore)
            } else {
                shape = try ingest.readContent(of: path)
            }
            let update = try database.prepare("UPDATE pp_files SET shape = ?1, rows = ?2, rejected = ?3 WHERE id = ?4")
            try update.bind([
                .text(shape.rawValue), .integer(Int64(ingest.totalRows)), .integer(Int64(ingest.problems.count)),
                .integer(fileID),
            ])
            try update.step()
            try ingest.recordRefusals()
            try database.execute("COMMIT")
            summary.files.append(
                IngestedFile(
                    path: path, sha256: digest.sha256, shape: shape, outcome: .ingested,
                    rowsPerTable: ingest.rowsPerTable, rejectedRecords: ingest.problems.count,
                    isIncompleteEvidence: !ingest.incomplete.isEmpty, continuedFrom: resume?.earlierPath))
            summary.rowsPerTable.merge(ingest.rowsPerTable, uniquingKeysWith: +)
            summary.rejected += ingest.problems
            summary.warnings += ingest.warnings
            summary.incompleteEvidence += ingest.incomplete
        } catch let refusal as FileRefusal {
            rollBack()
            refuse(path, sha256: digest.sha256, reason: refusal.reason, into: &summary)
        } catch let error as SQLiteError {
            rollBack()
            throw .storage(error)
        } catch let error as WorkspaceError {
            rollBack()
            refuse(path, sha256: digest.sha256, reason: error.description, into: &summary)
        } catch {
            rollBack()
            refuse(path, sha256: digest.sha256, reason: "\(error)", into: &summary)
        }
    }

    /// Where to go on reading a file that is an append blob ingested before and grown since.
    private struct Resume {
        var earlierID: Int64
        var earlierPath: String
        var offset: Int64
        var linesBefore: Int
    }

    /// Finds the longest earlier line-oriented file of the same blob path whose bytes are exactly the
    /// start of this one (a `PT1H.json` downloaded again after more records were appended to it).
    private func grownAppendBlob(path: String, digest: FileDigest) throws -> Resume? {
        guard digest.lastByte == 0x0A else { return nil }
        let candidates = try database.rows(
            "SELECT id, path, sha256, bytes, shape FROM pp_files WHERE tail_key = ?1 AND bytes < ?2 "
                + "AND ends_with_newline = 1 AND shape IN ('json-lines', 'single-record', 'single-row') "
                + "ORDER BY bytes DESC",
            [.text(InputFiles.tailKey(of: path)), .integer(digest.bytes)])
        guard !candidates.isEmpty else { return nil }
        let lengths = Set(candidates.compactMap { $0[3].integer })
        let prefixes = try InputFiles.digest(of: path, prefixLengths: lengths).prefixes
        for candidate in candidates {
            guard let id = candidate[0].integer, let length = candidate[3].integer,
                let prefix = prefixes[length], prefix.sha256 == candidate[2].text
            else { continue }
            if candidate[4].text != InputShape.jsonLines.rawValue && prefix.lines != 1 { continue }
            return Resume(
                earlierID: id, earlierPath: candidate[1].text ?? "", offset: length, linesBefore: prefix.lines)
        }
        return nil
    }

    /// Skips a file whose content was ingested before, and reports again the records refused then:
    /// they are still missing, and a scheduled re-run must not hide that.
    private func skipDuplicate(
        _ path: String, sha256: String, earlierID: Int64, earlierPath: String, rows: Int, rejected: Int,
        into summary: inout IngestSummary
    ) throws(SQLiteError) {
        var refusals = try recordedRefusals(ofFileWithID: earlierID, as: path)
        if refusals.isEmpty && rejected > 0 {
            refusals.append(
                IngestProblem(
                    file: path,
                    reason: "\(rejected) record(s) refused when it was first ingested (from \(earlierPath)); "
                        + "this workspace predates the record of why"))
        }
        var file = IngestedFile(
            path: path, sha256: sha256, shape: .unknown, outcome: .duplicate(earlierPath: earlierPath),
            rowsPerTable: [:], rejectedRecords: max(rejected, refusals.count), isIncompleteEvidence: false)
        file.earlierRows = rows
        summary.files.append(file)
        summary.rejectedBefore += refusals
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

    private func recordFile(path: String, digest: FileDigest, resume: Resume?) throws(SQLiteError) -> Int64 {
        let now = Date().timeIntervalSince1970
        let seconds = Int64(now.rounded(.down))
        let stamp = DateTime(unixSeconds: seconds, fractionTicks: Int64((now - Double(seconds)) * 1e7)).apiText
        let insert = try database.prepare(
            "INSERT INTO pp_files (path, sha256, bytes, shape, rows, rejected, ingested_at, tail_key, "
                + "ends_with_newline, continues_file, start_offset) "
                + "VALUES (?1, ?2, ?3, 'unknown', 0, 0, ?4, ?5, ?6, ?7, ?8)")
        try insert.bind([
            .text(path), .text(digest.sha256), .integer(digest.bytes), .text(stamp),
            .text(InputFiles.tailKey(of: path)), .integer(digest.lastByte == 0x0A ? 1 : 0),
            resume.map { .integer($0.earlierID) } ?? .null, .integer(resume?.offset ?? 0),
        ])
        try insert.step()
        return database.lastInsertRowID
    }
}
