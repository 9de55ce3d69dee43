/// Tests that a PT1H.json append blob downloaded again after it grew adds only its new lines.

import Foundation
import TableModel
import Testing

@testable import Workspace

struct AppendBlobTests {
    static let blobPath =
        "resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/V/"
        + "y=2024/m=05/d=01/h=10/m=00/PT1H.json"

    static func line(_ operation: String, minute: Int) -> String {
        RecordFlatteningTests.record(time: "2024-05-01T10:\(minute < 10 ? "0" : "")\(minute):00Z", operation: operation)
    }

    @Test func `a grown copy of an ingested blob adds only the lines after the earlier copy`() throws {
        let directory = try Fixtures.temporaryDirectory()
        let firstLines = [Self.line("KeyGet", minute: 1), Self.line("KeyWrap", minute: 2)]
        let first = try Fixtures.write(
            firstLines.joined(separator: "\n") + "\n", to: "monday/" + Self.blobPath, in: directory)
        let grownText =
            (firstLines + [Self.line("KeyUnwrap", minute: 3), "{\"time\":", Self.line("KeyGet", minute: 5)])
            .joined(separator: "\n") + "\n"
        let grown = try Fixtures.write(grownText, to: "tuesday/" + Self.blobPath, in: directory)
        let workspace = try Workspace(path: directory + "/w.sqlite")

        _ = try workspace.ingest(paths: [first])
        let summary = try workspace.ingest(paths: [grown])

        #expect(summary.files.first?.continuedFrom == first)
        #expect(summary.rowsPerTable == ["AzureDiagnostics": 2])
        #expect(summary.rejected.map(\.line) == [4])
        let operations = try rows(of: "AzureDiagnostics", in: workspace).map { $0["OperationName"] }
        #expect(operations == ["KeyGet", "KeyWrap", "KeyUnwrap", "KeyGet"].map { Value.string($0) })
        let files = try workspace.sourceFiles()
        #expect(files.map(\.continuedFrom) == [nil, first])
        #expect(files.last?.startOffset == files.first?.bytes)
    }

    @Test func `a copy whose earlier lines changed is read whole`() throws {
        let directory = try Fixtures.temporaryDirectory()
        let first = try Fixtures.write(Self.line("KeyGet", minute: 1) + "\n", to: "a/" + Self.blobPath, in: directory)
        let changed = try Fixtures.write(
            Self.line("KeyGet", minute: 9) + "\n" + Self.line("KeyWrap", minute: 10) + "\n", to: "b/" + Self.blobPath,
            in: directory)
        let workspace = try Workspace.inMemory()
        _ = try workspace.ingest(paths: [first])
        let summary = try workspace.ingest(paths: [changed])
        #expect(summary.files.first?.continuedFrom == nil)
        #expect(summary.rowsPerTable == ["AzureDiagnostics": 2])
    }

    @Test func `prefix digests equal the digests of the truncated files`() throws {
        let path = Fixtures.record("pt1h-jsonlines-sekoia-2024.json")
        let whole = try InputFiles.contents(of: path)
        let cuts: Set<Int64> = [1, 64, 1000, Int64(whole.count - 1)]
        let digest = try InputFiles.digest(of: path, prefixLengths: cuts)
        #expect(digest.bytes == Int64(whole.count) && digest.lastByte == 0x0A)
        for cut in cuts {
            var hash = SHA256()
            hash.update(whole[..<Int(cut)])
            #expect(digest.prefixes[cut]?.sha256 == hash.hexDigest())
            #expect(digest.prefixes[cut]?.lines == whole[..<Int(cut)].filter { $0 == 0x0A }.count)
        }
        #expect(digest.prefixes[Int64(whole.count - 1)]?.lines == 29)
    }
}
