/// Writes the auditor's export bundle from the archive: reports, proofs, keys, renderings, manifest.

import EvidenceArchive
import EvidenceSigning
import Foundation
import TableModel

/// What to export and where.
public struct ExportRequest: Sendable {
    /// Start of the window, inclusive: reports whose window ends after it are exported.
    public var from: DateTime
    /// End of the window, exclusive: reports whose window starts before it are exported.
    public var to: DateTime
    /// An earlier checkpoint size (tree size) to prove the latest checkpoint consistent with.
    public var sinceCheckpoint: Int?
    /// The bundle directory; it must not exist or be empty.
    public var outDirectory: String
    /// The tool name and version written into the manifest, e.g. `pathproof 0.1.0`.
    public var tool: String
    /// When the export was made, RFC 3339 UTC.
    public var createdAt: String

    public init(
        from: DateTime, to: DateTime, sinceCheckpoint: Int? = nil, outDirectory: String, tool: String,
        createdAt: String
    ) {
        self.from = from
        self.to = to
        self.sinceCheckpoint = sinceCheckpoint
        self.outDirectory = outDirectory
        self.tool = tool
        self.createdAt = createdAt
    }
}

/// What an export wrote.
public struct ExportSummary: Sendable {
    /// Leaf indexes of the exported reports.
    public var leafIndexes: [Int]
    /// Size of the checkpoint the inclusion proofs lead to.
    public var checkpointSize: Int
    /// Every file listed in the manifest.
    public var files: [ManifestFile]
}

/// Builds an export bundle.
public enum BundleExporter {
    /// The directory of one exported leaf inside the bundle.
    static func reportDirectory(leaf index: Int) -> String { "reports/leaf-\(index)" }

    /// Exports the reports of `archive` whose window intersects [`from`, `to`) into `request.outDirectory`,
    /// signing the manifest with `signer`.
    public static func export(
        archive: EvidenceArchive, request: ExportRequest, signer: any EvidenceSigner
    ) throws(ExportError) -> ExportSummary {
        guard request.from < request.to else {
            throw .invalidArgument("--from \(request.from.apiText) is not before --to \(request.to.apiText)")
        }
        let (checkpoint, selected, recordedKeys) = try readArchive(archive, request: request)
        try checkIntegrity(archive, signer: signer, recordedKeys: recordedKeys)
        try prepareDirectory(request.outDirectory)
        let out = request.outDirectory
        var views: [(index: Int, view: ReportView)] = []
        var unrendered: [UnrenderedReport] = []
        for entry in selected {
            let directory = reportDirectory(leaf: entry.index)
            try BundleFiles.write(entry.envelope, to: out, relative: directory + "/report.dsse.json")
            let proof = try archiveCall { () throws(ArchiveError) in
                try archive.inclusionProof(index: entry.index, treeSize: checkpoint.checkpoint.size)
            }
            try BundleFiles.write(canonical(proof.jsonValue), to: out, relative: directory + "/inclusion.json")
            guard !entry.report.isEmpty else { continue }
            try BundleFiles.write(entry.report, to: out, relative: directory + "/report.json")
            // The raw results, byte for byte as archived; the archive check above bound each one to a
            // subject of the signed Statement.
            let results = try archiveCall { () throws(ArchiveError) in try archive.results(at: entry.index) }
            for result in results {
                guard ArchivedResult.isSafeName(result.name) else {
                    throw .archive("leaf \(entry.index) holds a raw result with an unsafe name \"\(result.name)\"")
                }
                try BundleFiles.write(result.content, to: out, relative: directory + "/" + result.name)
            }
            let document = (try? JSONParser.parse(bytes: entry.report)) ?? .null
            for (number, query) in ReportView.queries(in: document).enumerated() {
                let name = (query.file as NSString).lastPathComponent
                let safe = name.isEmpty || name.hasPrefix(".") ? "query-\(number).kql" : name
                try BundleFiles.write(text: query.kql, to: out, relative: directory + "/queries/" + safe)
            }
            // A report is evidence even when this version cannot read it: it is exported and
            // proved all the same, and the renderings say it was not rendered.
            do {
                views.append((entry.index, try ReportView(bytes: entry.report, source: "archive leaf \(entry.index)")))
            } catch {
                let verdict = entry.metadata.verdict ?? document["verdict"]?.stringValue ?? "unknown"
                unrendered.append(UnrenderedReport(index: entry.index, verdict: verdict, reason: error.description))
            }
        }
        try writeLog(checkpoint: checkpoint, archive: archive, request: request)
        try writeKeys(signer: signer, recordedKeys: recordedKeys, to: out)
        let context = RenderContext(
            reports: views, window: (request.from, request.to), checkpointSize: checkpoint.checkpoint.size,
            tool: request.tool, createdAt: request.createdAt, unrendered: unrendered)
        try BundleFiles.write(text: SummaryMarkdown.render(context), to: out, relative: "summary.md")
        try BundleFiles.write(text: ReportHTML.render(context), to: out, relative: "report.html")
        try BundleFiles.write(text: try OCSFFindings.render(context), to: out, relative: "findings.ocsf.ndjson")
        try BundleFiles.write(text: JUnitReport.render(context), to: out, relative: "TEST-pathproof.xml")
        try BundleFiles.write(text: VerifyGuide.render(context), to: out, relative: "VERIFY.md")
        try BundleFiles.write(text: VerifyGuide.script, to: out, relative: "tools/check_bundle.py")
        let files = try writeManifest(request: request, checkpoint: checkpoint, leaves: selected, signer: signer)
        return ExportSummary(
            leafIndexes: selected.map(\.index), checkpointSize: checkpoint.checkpoint.size, files: files)
    }

    private static func prepareDirectory(_ path: String) throws(ExportError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw .unusableOutput(path: path, reason: "exists and is not a directory")
            }
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            guard contents.isEmpty else {
                throw .unusableOutput(path: path, reason: "is not empty")
            }
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(path: path, reason: "cannot create the directory: \(error.localizedDescription)")
        }
    }

    private static func readArchive(_ archive: EvidenceArchive, request: ExportRequest) throws(ExportError)
        -> (SignedCheckpoint, [ArchiveEntry], [String: String])
    {
        try archiveCall { () throws(ArchiveError) in
            guard let checkpoint = try archive.latestCheckpoint() else {
                throw ArchiveError.outOfRange("the archive \(archive.path) is empty: there is nothing to export")
            }
            let selected = try archive.entries().filter { entry in
                guard entry.index < checkpoint.checkpoint.size,
                    let start = TimeText.parse(entry.metadata.windowStart),
                    let end = TimeText.parse(entry.metadata.windowEnd)
                else { return false }
                return TimeText.intersects(start: start, end: end, from: request.from, to: request.to)
            }
            return (checkpoint, selected, try archive.recordedPublicKeys())
        }
    }

    /// Refuses to vouch for an archive that does not verify: every leaf, root, checkpoint and
    /// signature is recomputed first (against the export key and the keys the archive records).
    private static func checkIntegrity(
        _ archive: EvidenceArchive, signer: any EvidenceSigner, recordedKeys: [String: String]
    ) throws(ExportError) {
        let pems = [signer.publicKeyPEM] + recordedKeys.sorted { $0.key < $1.key }.map(\.value)
        var keys: [PublicKey] = []
        for pem in pems {
            do {
                keys.append(try PublicKey(pem: pem, source: "a public key recorded in \(archive.path)"))
            } catch {
                throw .archive(error.description)
            }
        }
        let verification = try archiveCall { () throws(ArchiveError) in try archive.verify(trustedKeys: keys) }
        guard verification.isValid else {
            let problems = verification.problems.map(\.description).joined(separator: "; ")
            throw .archive(
                "\(archive.path) does not verify, so it is not exported (run pathproof archive verify): \(problems)")
        }
    }

    private static func writeLog(
        checkpoint: SignedCheckpoint, archive: EvidenceArchive, request: ExportRequest
    ) throws(ExportError) {
        let out = request.outDirectory
        try BundleFiles.write(text: checkpoint.checkpoint.body, to: out, relative: "log/checkpoint.txt")
        try BundleFiles.write(checkpoint.envelope, to: out, relative: "log/checkpoint.dsse.json")
        if let note = checkpoint.note {
            try BundleFiles.write(text: note, to: out, relative: "log/checkpoint.note")
        }
        guard let since = request.sinceCheckpoint else { return }
        let size = checkpoint.checkpoint.size
        guard since >= 1, since <= size else {
            throw .invalidArgument("--since-checkpoint \(since) must be between 1 and the latest size \(size)")
        }
        let proof = try archiveCall { () throws(ArchiveError) in try archive.consistencyProof(from: since, to: size) }
        try BundleFiles.write(canonical(proof.jsonValue), to: out, relative: "log/consistency.json")
        let earlier = try archiveCall { () throws(ArchiveError) in
            try archive.checkpoints().first { $0.checkpoint.size == since }
        }
        if let earlier {
            try BundleFiles.write(text: earlier.checkpoint.body, to: out, relative: "log/since-checkpoint.txt")
            try BundleFiles.write(earlier.envelope, to: out, relative: "log/since-checkpoint.dsse.json")
        }
    }

    private static func writeKeys(
        signer: any EvidenceSigner, recordedKeys: [String: String], to out: String
    ) throws(ExportError) {
        try BundleFiles.write(text: signer.publicKeyPEM, to: out, relative: "keys/signing-key.pub.pem")
        try BundleFiles.write(text: signer.keyID + "\n", to: out, relative: "keys/keyid.txt")
        for (keyID, pem) in recordedKeys.sorted(by: { $0.key < $1.key }) where keyID != signer.keyID {
            try BundleFiles.write(text: pem, to: out, relative: "keys/\(keyID).pub.pem")
        }
    }

    private static func writeManifest(
        request: ExportRequest, checkpoint: SignedCheckpoint, leaves: [ArchiveEntry], signer: any EvidenceSigner
    ) throws(ExportError) -> [ManifestFile] {
        let out = request.outDirectory
        var files: [ManifestFile] = []
        for relative in BundleFiles.list(out) {
            let bytes = try BundleFiles.read(out, relative)
            files.append(ManifestFile(path: relative, size: bytes.count, sha256: sha256Hex(bytes)))
        }
        let facts: [String: Dynamic] = [
            "tool": .string(request.tool),
            "createdAt": .string(request.createdAt),
            "keyid": .string(signer.keyID),
            "window": .object(["from": .string(request.from.apiText), "to": .string(request.to.apiText)]),
            "archive": .object([
                "origin": .string(checkpoint.checkpoint.origin),
                "checkpointSize": .long(Int64(checkpoint.checkpoint.size)),
                "sinceCheckpoint": request.sinceCheckpoint.map { .long(Int64($0)) } ?? .null,
            ]),
            "reports": .array(
                leaves.map { entry in
                    .object([
                        "leafIndex": .long(Int64(entry.index)),
                        "directory": .string(reportDirectory(leaf: entry.index)),
                        "runId": entry.metadata.runID.map { .string($0) } ?? .null,
                        "verdict": entry.metadata.verdict.map { .string($0) } ?? .null,
                    ])
                }),
            "rawResults": .string(VerifyGuide.rawResultsStatement),
        ]
        let manifest = try ExportManifest.encode(files: files, facts: facts)
        try BundleFiles.write(manifest, to: out, relative: ExportManifest.fileName)
        try BundleFiles.write(
            try ExportManifest.sign(manifest, signer: signer), to: out, relative: ExportManifest.envelopeFileName)
        return files
    }

    private static func canonical(_ value: Dynamic) throws(ExportError) -> [UInt8] {
        do {
            return try CanonicalJSON.encode(value)
        } catch {
            throw .signing("cannot write canonical JSON: \(error)")
        }
    }

    private static func archiveCall<T>(_ body: () throws(ArchiveError) -> T) throws(ExportError) -> T {
        do {
            return try body()
        } catch {
            throw .archive(error.description)
        }
    }
}
