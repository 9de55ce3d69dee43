/// Raw query results in the bundle: exported byte for byte, and checked against the signed Statement
/// even when the manifest was rewritten to match an altered file.

import EvidenceArchive
import EvidenceSigning
import Foundation
import Testing

@testable import EvidenceExport
@testable import TableModel

struct RawResultBundleTests {
    let key: SigningKey
    let scratch: BundleProofTests.Scratch
    let results = [
        ArchivedResult(name: "results/keyvault-key-access.part-1.json", content: Array(#"{"tables":[]}"#.utf8)),
        ArchivedResult(
            name: "results/keyvault-key-access.part-2.json",
            content: Array(#"{"tables":[{"name":"PrimaryResult","columns":[],"rows":[[],[]]}]}"#.utf8)),
    ]

    /// An archive with a report that names two raw results and an older report that names none,
    /// exported to `bundle`.
    init() throws {
        key = try SigningKey.generate()
        scratch = try BundleProofTests.Scratch()
        let archive = try EvidenceArchive(path: scratch.path + "/archive.sqlite")
        let metadata = ArchiveMetadata(
            verdict: "PROVEN", windowStart: "2026-11-02T08:00:00Z", windowEnd: "2026-11-02T09:00:00Z")
        for withResults in [true, false] {
            let report = Array(#"{"verdict":"PROVEN"}"#.utf8)
            let kept = withResults ? results : []
            let statement = InToto.statement(
                subjects: [(name: "report.json", sha256: sha256Hex(report))]
                    + kept.map { (name: $0.name, sha256: sha256Hex($0.content)) },
                predicateType: "https://example.test/r", predicate: .object([:]))
            try archive.append(
                envelope: try InToto.sign(statement: statement, signer: key).jsonBytes, report: report,
                results: kept, metadata: metadata, signer: key)
        }
        _ = try BundleExporter.export(
            archive: archive,
            request: ExportRequest(
                from: DateTime(iso8601: "2026-11-02T00:00:00Z")!, to: DateTime(iso8601: "2026-11-03T00:00:00Z")!,
                outDirectory: bundle, tool: "pathproof test", createdAt: "2026-11-03T00:00:00Z"),
            signer: key)
    }

    var bundle: String { scratch.path + "/bundle" }

    /// Rewrites MANIFEST.json over the files now present and signs it again with the export key: what
    /// someone holding that key, but not altering the archive, could do.
    func rewriteManifest() throws {
        guard case .object(var facts) = try JSONParser.parse(bytes: BundleFiles.read(bundle, "MANIFEST.json")) else {
            Issue.record("MANIFEST.json is not an object")
            return
        }
        facts["files"] = nil
        facts["schemaVersion"] = nil
        var files: [ManifestFile] = []
        for relative in BundleFiles.list(bundle) where !relative.hasPrefix("MANIFEST.") {
            let bytes = try BundleFiles.read(bundle, relative)
            files.append(ManifestFile(path: relative, size: bytes.count, sha256: sha256Hex(bytes)))
        }
        let manifest = try ExportManifest.encode(files: files, facts: facts)
        try BundleFiles.write(manifest, to: bundle, relative: "MANIFEST.json")
        try BundleFiles.write(
            try ExportManifest.sign(manifest, signer: key), to: bundle, relative: "MANIFEST.dsse.json")
    }

    /// What the shipped Python checker prints about the bundle, and its exit status.
    func pythonCheck() throws -> (status: Int32, out: String) {
        let python = ProcessInfo.processInfo.environment["PATHPROOF_TEST_PYTHON"] ?? "/usr/bin/python3"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [bundle + "/tools/check_bundle.py", bundle, scratch.path + "/check"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self))
    }

    @Test func `each report's raw results are exported as archived, and an older report has none`() throws {
        for result in results {
            #expect(try BundleFiles.read(bundle, "reports/leaf-0/" + result.name) == result.content)
        }
        #expect(!FileManager.default.fileExists(atPath: bundle + "/reports/leaf-1/results"))
        let verified = BundleVerifier.verify(directory: bundle, trustedKeys: [key.publicKey])
        #expect(verified.isIntact, "\(verified.problems)")
        let checked = try pythonCheck()
        #expect(checked.status == 0, "\(checked.out)")
    }

    @Test func `an altered raw result is named by its signed subject even under a rewritten manifest`() throws {
        let name = "reports/leaf-0/results/keyvault-key-access.part-2.json"
        var bytes = try BundleFiles.read(bundle, name)
        bytes[bytes.count - 6] = UInt8(ascii: "]")  // one byte of the rows
        try BundleFiles.write(bytes, to: bundle, relative: name)
        try rewriteManifest()

        let verified = BundleVerifier.verify(directory: bundle, trustedKeys: [key.publicKey])
        #expect(verified.problems.map(\.path) == [name], "\(verified.problems)")
        #expect(verified.problems.first?.reason.contains("the signed Statement says") == true)
        let checked = try pythonCheck()
        #expect(checked.status == 1)
        #expect(checked.out.contains("PROBLEM: \(name): its SHA-256 is not the signed subject's"), "\(checked.out)")
    }

    @Test func `a removed or an added raw result is named even under a rewritten manifest`() throws {
        try FileManager.default.removeItem(atPath: bundle + "/reports/leaf-0/results/keyvault-key-access.part-1.json")
        try BundleFiles.write(Array("{}".utf8), to: bundle, relative: "reports/leaf-1/results/planted.json")
        try rewriteManifest()

        let verified = BundleVerifier.verify(directory: bundle, trustedKeys: [key.publicKey])
        #expect(
            verified.problems.map(\.description) == [
                "reports/leaf-0/results/keyvault-key-access.part-1.json: the raw result the signed Statement names "
                    + "is missing",
                "reports/leaf-1/results/planted.json: is not a raw result the signed Statement names",
            ])
        let checked = try pythonCheck()
        #expect(checked.status == 1)
        #expect(checked.out.contains("keyvault-key-access.part-1.json: the raw result the signed Statement names"))
        #expect(checked.out.contains("reports/leaf-1/results/planted.json: not a raw result"))
    }
}
