/// The tamper-evident evidence archive: an RFC 6962 Merkle log of signed envelopes in one SQLite file.

import EvidenceSigning
import Foundation
import SQLiteSupport
import TableModel

#if canImport(Glibc)
    import Glibc
#endif

/// An append-only log of signed evidence in SQLite.
///
/// Each leaf is the exact bytes of a DSSE envelope; after every append a checkpoint (origin, size,
/// root) is signed and stored in the same transaction, so the log never holds a leaf without a
/// signed checkpoint covering it. Anyone can recompute the leaf hashes and roots from the file.
public final class EvidenceArchive {
    private let database: SQLiteDatabase
    /// The archive file.
    public let path: String
    /// The log's origin line, fixed when the archive was created.
    public let origin: String
    /// `PRAGMA user_version` as opened: 1 for an archive written before raw results were stored
    /// (upgraded on its first append), else ``ArchiveSchema/version``.
    private(set) var schemaVersion: Int64

    /// Opens the archive at `path`, creating it (and a fresh origin) if the file does not exist.
    ///
    /// A new archive file gets mode 0600 (reports name vaults, identities and addresses); SQLite
    /// gives its -wal and -shm files the same mode. Refuses a SQLite file that is not a PathProof
    /// archive or was written by a newer schema.
    public init(path: String, origin: String? = nil) throws(ArchiveError) {
        self.path = path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            close(descriptor)
        } else if errno != EEXIST {
            let reason = String(cString: strerror(errno))
            throw .notAnArchive(path: path, reason: "cannot create the file: \(reason)")
        }
        do {
            database = try SQLiteDatabase(path: path, mode: .readWriteCreate)
            try database.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL")
        } catch {
            throw .database(error)
        }
        (self.origin, schemaVersion) = try Self.prepareSchema(database, path: path, origin: origin)
    }

    private static func prepareSchema(_ database: SQLiteDatabase, path: String, origin: String?)
        throws(ArchiveError)
        -> (origin: String, version: Int64)
    {
        do {
            // Checked and created under one write lock, so two first runs cannot both create it.
            let created: String? = try database.transaction {
                let applicationID =
                    try database.rows("PRAGMA application_id").first?.first?.integer ?? 0
                let tableCount =
                    try database.rows("SELECT count(*) FROM sqlite_master").first?.first?.integer ?? 0
                guard applicationID == 0 && tableCount == 0 else { return nil }
                let name = origin ?? "pathproof.local/archive/\(UUID().uuidString.lowercased())"
                try database.execute(ArchiveSchema.create)
                _ = try database.rows(
                    "INSERT INTO meta(key, value) VALUES ('origin', ?1), ('created_at', ?2)",
                    [.text(name), .text(ArchiveMetadata.now())])
                return name
            }
            if let created { return (created, ArchiveSchema.version) }
            let applicationID = try database.rows("PRAGMA application_id").first?.first?.integer ?? 0
            guard applicationID == ArchiveSchema.applicationID else {
                throw ArchiveError.notAnArchive(
                    path: path, reason: "SQLite application_id is \(applicationID)")
            }
            let version = try database.rows("PRAGMA user_version").first?.first?.integer ?? 0
            guard version == ArchiveSchema.version || version == ArchiveSchema.versionWithoutResults else {
                throw ArchiveError.notAnArchive(
                    path: path,
                    reason:
                        "schema version \(version); this PathProof reads version \(ArchiveSchema.version)"
                )
            }
            guard
                let stored = try database.rows("SELECT value FROM meta WHERE key = 'origin'").first?
                    .first?.text
            else {
                throw ArchiveError.notAnArchive(
                    path: path, reason: "the origin is missing from table meta")
            }
            return (stored, version)
        } catch let error as ArchiveError {
            throw error
        } catch let error as SQLiteError {
            throw .database(error)
        } catch {
            throw .notAnArchive(path: path, reason: "\(error)")
        }
    }

    // MARK: - Appending

    /// Appends `envelope` (the exact DSSE bytes) with the `report` it signs and the raw query
    /// `results` it names, then signs and stores the checkpoint for the new size, all in one
    /// transaction: on any failure nothing is written.
    ///
    /// The envelope must parse as DSSE; when `report` is not empty, its SHA-256 must be a subject of
    /// the envelope's in-toto Statement, so the stored report is bound to the signed leaf. Each result
    /// must be a subject by name and SHA-256, and every `results/…` subject must be given. A version 1
    /// archive is upgraded (the `results` table added) in the same transaction.
    @discardableResult
    public func append(
        envelope: [UInt8], report: [UInt8], results: [ArchivedResult] = [], metadata: ArchiveMetadata,
        signer: any EvidenceSigner
    ) throws(ArchiveError) -> ArchiveEntry {
        try Self.checkBinding(envelope: envelope, report: report, results: results)
        let leafHash = MerkleTree.leafHash(envelope)
        let upgrade = schemaVersion < ArchiveSchema.version
        do {
            let entry = try database.transaction {
                // Another process may have upgraded the file since it was opened.
                if upgrade, try database.rows("SELECT 1 FROM sqlite_master WHERE name = 'results'").isEmpty {
                    try database.execute(ArchiveSchema.upgradeFromVersion1)
                }
                var tree = try loadTree()
                let index = tree.size
                _ = try database.rows(
                    """
                    INSERT INTO leaves(idx, leaf_hash, envelope, report, kind, run_id, verdict, window_start,
                        window_end, appended_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                    """,
                    [
                        .integer(Int64(index)), .blob(leafHash), .blob(envelope), .blob(report),
                        .text(metadata.kind),
                        optionalText(metadata.runID), optionalText(metadata.verdict),
                        optionalText(metadata.windowStart), optionalText(metadata.windowEnd),
                        .text(metadata.appendedAt),
                    ])
                for result in results {
                    _ = try database.rows(
                        "INSERT INTO results(leaf_idx, name, sha256, content) VALUES (?1, ?2, ?3, ?4)",
                        [
                            .integer(Int64(index)), .text(result.name), .text(sha256Hex(result.content)),
                            .blob(result.content),
                        ])
                }
                tree.append(leafHash: leafHash)
                let checkpoint = Checkpoint(origin: origin, size: tree.size, root: tree.root())
                let signed = try SignedCheckpoint.sign(checkpoint, signer: signer)
                _ = try database.rows(
                    """
                    INSERT INTO checkpoints(size, root, body, envelope, note, key_id, public_key, created_at)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                    """,
                    [
                        .integer(Int64(checkpoint.size)), .blob(checkpoint.root),
                        .text(checkpoint.body),
                        .blob(signed.envelope), optionalText(signed.note), .text(signer.keyID),
                        .text(signer.publicKeyPEM),
                        .text(ArchiveMetadata.now()),
                    ])
                return ArchiveEntry(
                    index: index, leafHash: leafHash, envelope: envelope, report: report,
                    metadata: metadata)
            }
            if upgrade { schemaVersion = ArchiveSchema.version }
            return entry
        } catch let error as ArchiveError {
            throw error
        } catch let error as SQLiteError {
            throw .database(error)
        } catch {
            throw .signingFailed("\(error)")
        }
    }

    private static func checkBinding(envelope: [UInt8], report: [UInt8], results: [ArchivedResult])
        throws(ArchiveError)
    {
        let parsed: Envelope
        do {
            parsed = try Envelope(jsonBytes: envelope)
        } catch {
            throw .signingFailed("the leaf is not a DSSE envelope: \(error)")
        }
        guard !report.isEmpty || !results.isEmpty else { return }
        guard let payload = parsed.payloadBytes,
            let statement = try? JSONParser.parse(bytes: payload),
            let subjects = try? InToto.subjects(of: statement)
        else {
            throw .signingFailed("the envelope does not carry an in-toto Statement with subjects")
        }
        if !report.isEmpty {
            let digest = sha256Hex(report)
            guard subjects.contains(where: { $0.sha256 == digest }) else {
                throw .signingFailed(
                    "the report (sha256 \(digest)) is not a subject of the envelope's in-toto Statement")
            }
        }
        var names: Set<String> = []
        for result in results {
            guard ArchivedResult.isSafeName(result.name), names.insert(result.name).inserted else {
                throw .signingFailed("the raw result name \"\(result.name)\" is not a unique results/… file name")
            }
            let digest = sha256Hex(result.content)
            guard subjects.contains(where: { $0.name == result.name && $0.sha256 == digest }) else {
                throw .signingFailed(
                    "the raw result \(result.name) (sha256 \(digest)) is not a subject of the envelope's Statement")
            }
        }
        for subject in subjects
        where subject.name.hasPrefix(ArchivedResult.namePrefix) && !names.contains(subject.name) {
            throw .signingFailed("the Statement names the raw result \(subject.name), but it was not given")
        }
    }

    private func optionalText(_ text: String?) -> SQLiteValue {
        text.map { .text($0) } ?? .null
    }

    // MARK: - Reading

    /// The Merkle tree over the stored leaf hashes, in index order.
    public func loadTree() throws(ArchiveError) -> MerkleTree {
        do {
            let rows = try database.rows("SELECT leaf_hash FROM leaves ORDER BY idx")
            return MerkleTree(leafHashes: rows.map { $0[0].bytes ?? [] })
        } catch {
            throw .database(error)
        }
    }

    /// Number of leaves.
    public func count() throws(ArchiveError) -> Int {
        do {
            return Int(try database.rows("SELECT count(*) FROM leaves").first?.first?.integer ?? 0)
        } catch {
            throw .database(error)
        }
    }

    /// The leaf at `index`.
    public func entry(at index: Int) throws(ArchiveError) -> ArchiveEntry {
        guard let entry = try entries(whereSQL: "idx = ?1", [.integer(Int64(index))]).first else {
            throw .outOfRange("the archive has no leaf \(index)")
        }
        return entry
    }

    /// Every leaf, in index order.
    public func entries() throws(ArchiveError) -> [ArchiveEntry] {
        try entries(whereSQL: "1", [])
    }

    /// The leaves whose evidence window overlaps [`from`, `to`] (RFC 3339 UTC strings compare in
    /// time order); a leaf without a window is included.
    public func entries(from: String, to: String) throws(ArchiveError) -> [ArchiveEntry] {
        try entries(
            whereSQL:
                "(window_end IS NULL OR window_end >= ?1) AND (window_start IS NULL OR window_start <= ?2)",
            [.text(from), .text(to)])
    }

    private func entries(whereSQL: String, _ parameters: [SQLiteValue]) throws(ArchiveError)
        -> [ArchiveEntry]
    {
        do {
            let rows = try database.rows(
                """
                SELECT idx, leaf_hash, envelope, report, kind, run_id, verdict, window_start, window_end, appended_at
                FROM leaves WHERE \(whereSQL) ORDER BY idx
                """, parameters)
            return rows.map { row in
                ArchiveEntry(
                    index: Int(row[0].integer ?? -1), leafHash: row[1].bytes ?? [],
                    envelope: row[2].bytes ?? [],
                    report: row[3].bytes ?? [],
                    metadata: ArchiveMetadata(
                        kind: row[4].text ?? "", runID: row[5].text, verdict: row[6].text,
                        windowStart: row[7].text,
                        windowEnd: row[8].text, appendedAt: row[9].text ?? ""))
            }
        } catch {
            throw .database(error)
        }
    }

    /// The raw query results stored with leaf `index`, by name; empty for a leaf stored without them
    /// (and for every leaf of an archive written before results were kept).
    public func results(at index: Int) throws(ArchiveError) -> [ArchivedResult] {
        guard try hasResultsTable() else { return [] }
        do {
            return try database.rows(
                "SELECT name, content FROM results WHERE leaf_idx = ?1 ORDER BY name", [.integer(Int64(index))]
            ).map { ArchivedResult(name: $0[0].text ?? "", content: $0[1].bytes ?? []) }
        } catch {
            throw .database(error)
        }
    }

    /// Whether the file has the `results` table (version 2); checked in the file, not trusted from
    /// the version number.
    func hasResultsTable() throws(ArchiveError) -> Bool {
        try !rows("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'results'").isEmpty
    }

    /// Every stored checkpoint, by size, as stored (not yet verified).
    public func checkpoints() throws(ArchiveError) -> [SignedCheckpoint] {
        do {
            return try database.rows(
                "SELECT size, root, body, envelope, note FROM checkpoints ORDER BY size"
            ).map {
                row in
                let stored = Checkpoint(
                    origin: origin, size: Int(row[0].integer ?? -1), root: row[1].bytes ?? [])
                // The signed body is authoritative; fall back to the columns when it does not parse.
                let checkpoint = (try? Checkpoint(body: row[2].text ?? "")) ?? stored
                return SignedCheckpoint(
                    checkpoint: checkpoint, envelope: row[3].bytes ?? [], note: row[4].text)
            }
        } catch {
            throw .database(error)
        }
    }

    /// The checkpoint at the largest size, or `nil` for an empty archive.
    public func latestCheckpoint() throws(ArchiveError) -> SignedCheckpoint? {
        try checkpoints().last
    }

    /// The public keys (SPKI PEM) that signed checkpoints, by key ID, as recorded in the file.
    ///
    /// These come from the archive itself, so they are not a trust anchor: pass keys obtained
    /// independently to `verify(trustedKeys:)`.
    public func recordedPublicKeys() throws(ArchiveError) -> [String: String] {
        do {
            var keys: [String: String] = [:]
            for row in try database.rows("SELECT DISTINCT key_id, public_key FROM checkpoints") {
                keys[row[0].text ?? ""] = row[1].text ?? ""
            }
            return keys
        } catch {
            throw .database(error)
        }
    }

    // MARK: - Proofs

    /// Proof that leaf `index` is in the log at `treeSize` (default: the current size).
    public func inclusionProof(index: Int, treeSize: Int? = nil) throws(ArchiveError)
        -> InclusionProof
    {
        let tree = try loadTree()
        let size = treeSize ?? tree.size
        let hashes = try tree.inclusionProof(index: index, size: size)
        return InclusionProof(
            leafIndex: index, treeSize: size, leafHash: tree.leafHashes[index], hashes: hashes,
            root: tree.root(size: size))
    }

    /// Proof that the log at `from` leaves is a prefix of the log at `to` (default: the current size).
    public func consistencyProof(from: Int, to: Int? = nil) throws(ArchiveError)
        -> ConsistencyProof
    {
        let tree = try loadTree()
        let toSize = to ?? tree.size
        let hashes = try tree.consistencyProof(from: from, to: toSize)
        return ConsistencyProof(
            fromSize: from, fromRoot: tree.root(size: from), toSize: toSize,
            toRoot: tree.root(size: toSize),
            hashes: hashes)
    }

    // MARK: - Internal access for verification

    /// Runs a read-only query on the archive database (verification).
    func rows(_ sql: String, _ parameters: [SQLiteValue] = []) throws(ArchiveError) -> [[SQLiteValue]] {
        do {
            return try database.rows(sql, parameters)
        } catch {
            throw .database(error)
        }
    }

    /// SQLite's `PRAGMA integrity_check` problems.
    func integrityProblems() throws(ArchiveError) -> [String] {
        do {
            return try database.integrityProblems()
        } catch {
            throw .database(error)
        }
    }
}
