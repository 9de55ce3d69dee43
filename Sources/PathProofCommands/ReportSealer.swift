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

    func seal(
        _ report: Dynamic, policyPath: String, policyBytes: [UInt8], keyPath: String?, archivePath: String?,
        outDirectory: String?
    ) throws(CLIError) -> SealedReport {
        let home = PathProofHome(environment: environment)
        let signer = try loadSigner(keyPath: keyPath, home: home)
        let reportBytes: [UInt8]
        do { reportBytes = try CanonicalJSON.encode(report) } catch {
            throw .runtime("cannot encode the report: \(error)")
        }
        let reportDigest = sha256Hex(reportBytes)
        let statement = InToto.statement(
            subjects: [
                (name: "report.json", sha256: reportDigest),
                (name: (policyPath as NSString).lastPathComponent, sha256: sha256Hex(policyBytes)),
            ],
            predicateType: Self.predicateType, predicate: report)
        let envelopeBytes: [UInt8]
        do {
            envelopeBytes = try InToto.sign(statement: statement, signer: signer).jsonBytes
        } catch {
            throw .runtime("cannot sign the report: \(error)")
        }
        if let outDirectory {
            try write(reportBytes, to: outDirectory, name: "report.json")
            try write(envelopeBytes, to: outDirectory, name: "report.dsse.json")
        }
        let archiveFile = archivePath ?? home.archivePath
        if archivePath == nil { try home.create() }
        let index: Int
        do {
            let archive = try EvidenceArchive(path: archiveFile)
            index = try archive.append(
                envelope: envelopeBytes, report: reportBytes, metadata: metadata(of: report), signer: signer
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

    private func write(_ bytes: [UInt8], to directory: String, name: String) throws(CLIError) {
        let path = (directory as NSString).appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
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
