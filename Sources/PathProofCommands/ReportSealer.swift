/// Signs a report (DSSE around an in-toto statement), writes it out and appends it to the archive.

import EvidenceArchive
import EvidenceSigning
import Foundation
import TableModel

/// What sealing produced.
struct SealedReport {
    let reportBytes: [UInt8]
    let reportDigest: String
    let envelopeBytes: [UInt8]
    let keyID: String
    let archivePath: String
    let archiveIndex: Int
}

/// Signs, writes and archives reports with the configured key.
struct ReportSealer {
    /// The in-toto predicate type of a PathProof verification report.
    static let predicateType = "https://pathproof.dev/attestations/verification-report/v1"

    let environment: [String: String]
    let console: Console

    /// Signs `report` with the raw `results` it names and the policy as subjects, writes them to
    /// `outDirectory` (report.json, report.dsse.json, results/…) and appends all to the archive in
    /// one transaction.
    func seal(
        _ report: Dynamic, results: [RawResultFile] = [], policyPath: String, policyBytes: [UInt8], keyPath: String?,
        archivePath: String?, outDirectory: String?
    ) throws(CLIError) -> SealedReport {
        let home = PathProofHome(environment: environment)
        let signer = try loadSigner(keyPath: keyPath, home: home)
        let reportBytes: [UInt8]
        do { reportBytes = try CanonicalJSON.encode(report) } catch {
            throw .runtime("cannot encode the report: \(error)")
        }
        let reportDigest = sha256Hex(reportBytes)
        // Every raw result is held in memory once here, to be hashed, written and stored in the archive
        // in one transaction: a run whose results exceed the memory available fails rather than
        // archiving part of them. Streaming them into SQLite blobs would lift that limit.
        var archived: [ArchivedResult] = []
        for file in results {
            let bytes = try file.read()
            // The digest in the report was taken when the file was written; a change since is refused.
            guard sha256Hex(bytes) == file.sha256 else {
                throw .runtime("the raw result \(file.name) changed on disk after it was written; run verify again")
            }
            archived.append(ArchivedResult(name: file.name, content: bytes))
        }
        let statement = InToto.statement(
            subjects: [(name: "report.json", sha256: reportDigest)]
                + results.map { (name: $0.name, sha256: $0.sha256) }
                + [(name: (policyPath as NSString).lastPathComponent, sha256: sha256Hex(policyBytes))],
            predicateType: Self.predicateType, predicate: report)
        let envelopeBytes: [UInt8]
        do {
            envelopeBytes = try InToto.sign(statement: statement, signer: signer).jsonBytes
        } catch {
            throw .runtime("cannot sign the report: \(error)")
        }
        if let outDirectory {
            removeStaleResults(in: outDirectory, keeping: Set(archived.map(\.name)))
            for result in archived { try write(result.content, to: outDirectory, name: result.name) }
            try write(reportBytes, to: outDirectory, name: "report.json")
            try write(envelopeBytes, to: outDirectory, name: "report.dsse.json")
        }
        let archiveFile = archivePath ?? home.archivePath
        if archivePath == nil { try home.create() }
        let index: Int
        do {
            let archive = try EvidenceArchive(path: archiveFile)
            index = try archive.append(
                envelope: envelopeBytes, report: reportBytes, results: archived, metadata: metadata(of: report),
                signer: signer
            ).index
        } catch {
            throw .runtime("cannot append the report to the archive \(archiveFile): \(error)")
        }
        return SealedReport(
            reportBytes: reportBytes, reportDigest: reportDigest, envelopeBytes: envelopeBytes, keyID: signer.keyID,
            archivePath: archiveFile, archiveIndex: index)
    }

    private func metadata(of report: Dynamic) -> ArchiveMetadata {
        ArchiveMetadata(
            kind: "verification-report", runID: report["run"]?["id"]?.stringValue,
            verdict: report["verdict"]?.stringValue, windowStart: report["window"]?["from"]?.stringValue,
            windowEnd: report["window"]?["to"]?.stringValue)
    }

    /// Removes raw result files an earlier run left in `directory/results/`, so every file there is
    /// one this report's signature covers.
    private func removeStaleResults(in directory: String, keeping names: Set<String>) {
        let folder = (directory as NSString).appendingPathComponent("results")
        for file in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        where file.hasSuffix(".json") && !names.contains("results/" + file) {
            try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(file))
        }
    }

    private func write(_ bytes: [UInt8], to directory: String, name: String) throws(CLIError) {
        let path = (directory as NSString).appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .runtime("cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// The key given with --key, or the home key, created on first use with a one-line notice.
    private func loadSigner(keyPath: String?, home: PathProofHome) throws(CLIError) -> SigningKey {
        try SigningKeyLocator.load(keyPath: keyPath, home: home, createIfMissing: true, console: console)
    }
}
