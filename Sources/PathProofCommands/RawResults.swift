/// Raw query results: each evidence query's answer kept as a file in the Log Analytics response format.

import EvidenceArchive
import EvidenceSigning
import Foundation
import TableModel

/// One raw result file of a run, staged on disk until the report is sealed.
struct RawResultFile {
    /// The in-toto subject name and the path under `--out`, e.g. `results/keyvault-key-access.json`.
    let name: String
    /// Where the bytes wait until sealing.
    let staged: URL
    /// Lowercase hex SHA-256 of the bytes.
    let sha256: String
    /// Size in bytes.
    let size: Int
    /// Rows in the file's tables.
    let rows: Int

    /// The report's entry for this file: `{"file", "sha256", "size", "rows"}`.
    var reportEntry: Dynamic {
        .object([
            "file": .string(name), "sha256": .string(sha256), "size": .long(Int64(size)),
            "rows": .long(Int64(rows)),
        ])
    }

    /// The staged bytes.
    func read() throws(CLIError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: staged.path) else {
            throw .runtime("the raw result \(name) staged at \(staged.path) is gone; run verify again")
        }
        return Array(data)
    }
}

/// The private scratch directory of one verification run: Log Analytics bodies as the service sent
/// them, and raw result files, each gather in its own batch so a re-check never overwrites a result.
///
/// Everything under it is removed by ``cleanUp()`` once the report is sealed.
final class RawResultStaging {
    /// The scratch directory (mode 0700: results name vaults and identities).
    let root: URL
    private var batches = 0

    init() throws(CLIError) {
        root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pathproof-results-" + UUID().uuidString.lowercased())
        do {
            try FileManager.default.createDirectory(
                at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .runtime("cannot create a scratch directory for raw results at \(root.path): \(error)")
        }
    }

    /// Where the Log Analytics client keeps response bodies.
    var responses: URL { root.appendingPathComponent("responses") }

    /// A new, empty batch directory for one gather.
    func newBatch() throws(CLIError) -> RawResultBatch {
        batches += 1
        let directory = root.appendingPathComponent("batch-\(batches)")
        do {
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent("results"), withIntermediateDirectories: true)
        } catch {
            throw .runtime("cannot create \(directory.path): \(error)")
        }
        return RawResultBatch(directory: directory)
    }

    /// Removes the scratch directory and everything in it.
    func cleanUp() {
        try? FileManager.default.removeItem(at: root)
    }
}

/// The raw result files of one gather.
struct RawResultBatch {
    let directory: URL

    /// `results/<query file name without .kql>[.part-NNN].json`, with only safe characters; the part
    /// number (a time slice, from 001) is zero-padded so that a listing sorts in time order.
    static func fileName(for query: EvidenceQuery, part: Int?) -> String {
        var stem = query.fileName.hasSuffix(".kql") ? String(query.fileName.dropLast(4)) : query.fileName
        stem = String(
            stem.unicodeScalars.map { scalar in
                ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                    || scalar == "-" || scalar == "_" ? Character(scalar) : "_"
            })
        if stem.isEmpty || stem.hasPrefix("_") { stem = "query" + stem }
        let suffix = part.map { ".part-" + String(repeating: "0", count: max(0, 3 - String($0).count)) + String($0) }
        return ArchivedResult.namePrefix + stem + (suffix ?? "") + ".json"
    }

    /// Writes `tables` (an engine result) as a query API response body.
    func write(_ tables: [Table], for query: EvidenceQuery) throws(CLIError) -> RawResultFile {
        let bytes = Array(QueryResponseJSON.encode(tables).utf8)
        let name = Self.fileName(for: query, part: nil)
        let url = directory.appendingPathComponent(name)
        do {
            try Data(bytes).write(to: url)
        } catch {
            throw .runtime("cannot write the raw result \(url.path): \(error.localizedDescription)")
        }
        return RawResultFile(
            name: name, staged: url, sha256: sha256Hex(bytes), size: bytes.count,
            rows: tables.reduce(0) { $0 + $1.rows.count })
    }

    /// Takes over the response bodies the Log Analytics client kept (one per request, or per slice),
    /// byte for byte. `rows[i]` is the row count of `bodies[i]`.
    func adopt(_ bodies: [URL], rows: [Int], for query: EvidenceQuery) throws(CLIError) -> [RawResultFile] {
        var files: [RawResultFile] = []
        for (position, body) in bodies.enumerated() {
            let name = Self.fileName(for: query, part: bodies.count == 1 ? nil : position + 1)
            let url = directory.appendingPathComponent(name)
            let bytes: [UInt8]
            do {
                try FileManager.default.moveItem(at: body, to: url)
                bytes = Array(try Data(contentsOf: url))
            } catch {
                throw .runtime(
                    "cannot keep the Log Analytics response \(body.path) as \(url.path): \(error.localizedDescription)")
            }
            files.append(
                RawResultFile(
                    name: name, staged: url, sha256: sha256Hex(bytes), size: bytes.count,
                    rows: position < rows.count ? rows[position] : 0))
        }
        return files
    }
}
