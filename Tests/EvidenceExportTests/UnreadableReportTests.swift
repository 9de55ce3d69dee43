/// A report this version cannot read is still exported and proved, and the renderings say so.

import EvidenceArchive
import EvidenceSigning
import Foundation
import Testing

@testable import EvidenceExport
@testable import TableModel

struct UnreadableReportTests {
    @Test func `a report from another version is exported as is, its KQL kept inside the bundle`() throws {
        let scratch = try BundleProofTests.Scratch()
        let key = try SigningKey.generate()
        let archive = try EvidenceArchive(path: scratch.path + "/archive.sqlite")
        let report = Array(
            #"{"queries":[{"file":"../../escape.kql","kql":"AzureDiagnostics | take 1"}],"verdict":"PROVEN"}"#.utf8)
        let statement = InToto.statement(
            subjects: [(name: "report.json", sha256: sha256Hex(report))], predicateType: "https://example.test/r",
            predicate: .object([:]))
        try archive.append(
            envelope: try InToto.sign(statement: statement, signer: key).jsonBytes, report: report,
            metadata: ArchiveMetadata(
                verdict: "PROVEN", windowStart: "2026-11-02T08:00:00Z", windowEnd: "2026-11-02T09:00:00Z"),
            signer: key)
        let out = scratch.path + "/bundle"
        let summary = try BundleExporter.export(
            archive: archive,
            request: ExportRequest(
                from: DateTime(iso8601: "2026-11-02T00:00:00Z")!, to: DateTime(iso8601: "2026-11-03T00:00:00Z")!,
                outDirectory: out, tool: "pathproof test", createdAt: "2026-11-03T00:00:00Z"),
            signer: key)

        #expect(summary.leafIndexes == [0])
        #expect(FileManager.default.fileExists(atPath: out + "/reports/leaf-0/queries/escape.kql"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/escape.kql"))
        #expect(try BundleFiles.read(out, "reports/leaf-0/report.json") == report)
        let markdown = String(decoding: try BundleFiles.read(out, "summary.md"), as: UTF8.self)
        #expect(markdown.contains("## Leaf 0: PROVEN (not rendered)"))
        let junit = String(decoding: try BundleFiles.read(out, "TEST-pathproof.xml"), as: UTF8.self)
        #expect(junit.contains("errors=\"1\""))
        #expect(junit.contains("<error message=\"report not readable: "))
        #expect(try BundleFiles.read(out, "findings.ocsf.ndjson").isEmpty)
        let verified = BundleVerifier.verify(directory: out, trustedKeys: [key.publicKey])
        #expect(verified.isIntact, "\(verified.problems)")
        #expect(verified.signaturesVerified == 3 && verified.proofsVerified == 1)
    }
}
