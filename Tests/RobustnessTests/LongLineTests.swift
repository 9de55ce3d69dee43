/// A log line over the workspace's line limit is skipped unread and reported with its file and line;
/// the lines around it are kept.

import Foundation
import Testing
import Workspace

struct LongLineTests {
    /// Ingests `text` as PT1H.json into an in-memory workspace with a line limit of `limit` bytes.
    static func ingest(_ text: String, limit: Int) throws -> (IngestSummary, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("longline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("PT1H.json").path
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        let workspace = try Workspace.inMemory()
        workspace.maxLineBytes = limit
        return (try workspace.ingest(paths: [path]), path)
    }

    static func record(_ padding: Int) -> String {
        HostileInputTests.record(",\"pad\":\"" + String(repeating: "a", count: padding) + "\"")
    }

    @Test func `a line over the limit is rejected by number and the other lines are kept`() throws {
        let short = Self.record(10)
        let long = Self.record(300_000)
        for newline in ["\n", "\r\n"] {
            let text = [short, long, short, long].joined(separator: newline) + newline
            let (summary, path) = try Self.ingest(text, limit: 100_000)
            #expect(summary.totalRows == 2, "\(summary.rejected)")
            #expect(summary.rejected.map(\.line) == [2, 4])
            let problem = try #require(summary.rejected.first)
            #expect(problem.file == path)
            #expect(problem.reason.contains("line 2 is \(long.utf8.count) bytes long"), "\(problem.reason)")
            #expect(problem.reason.contains("limit of 100000 bytes"))
            #expect(problem.reason.contains("PATHPROOF_MAX_LINE_BYTES"))
        }
    }

    /// Longer than the 1 MiB read chunk, so it is passed over chunk by chunk and never buffered whole.
    @Test func `a line longer than several read chunks is skipped chunk by chunk`() throws {
        // (Small enough that the file's SHA-256 stays quick in a debug build.)
        let long = Self.record(1_100_000)
        let text = Self.record(1) + "\r\n" + long + "\r\n" + Self.record(2) + "\r\n" + long
        let (summary, _) = try Self.ingest(text, limit: 100_000)
        #expect(summary.totalRows == 2, "\(summary.rejected)")
        #expect(summary.rejected.map(\.line) == [2, 4])
        #expect(summary.rejected.allSatisfy { $0.reason.contains("is \(long.utf8.count) bytes long") })
    }

    @Test func `a single line over the limit is reported, never read whole`() throws {
        let over = [
            Self.record(50_000), Self.record(50_000) + "\n", "\"" + String(repeating: "b", count: 60_000) + "\"",
        ]
        for text in over {
            let (summary, _) = try Self.ingest(text, limit: 20_000)
            #expect(summary.totalRows == 0)
            #expect(summary.rejected.count == 1, "\(summary.rejected)")
            #expect(summary.rejected.first?.line == 1)
            #expect(summary.rejected.first?.reason.contains("over the limit of 20000 bytes") == true)
        }
    }

    @Test func `a line over the limit first, then records, is read as JSON Lines`() throws {
        let text = Self.record(50_000) + "\n" + Self.record(1) + "\n" + Self.record(2) + "\n"
        let (summary, _) = try Self.ingest(text, limit: 10_000)
        #expect(summary.totalRows == 2)
        #expect(summary.rejected.map(\.line) == [1])
    }

    @Test func `lines at the limit are read`() throws {
        let line = Self.record(5_000)
        let (summary, _) = try Self.ingest(line + "\n" + Self.record(1) + "\n", limit: line.utf8.count)
        #expect(summary.totalRows == 2, "\(summary.rejected)")
        #expect(summary.rejected.isEmpty)
        let (over, _) = try Self.ingest(line + "\n" + Self.record(1) + "\n", limit: line.utf8.count - 1)
        #expect(over.rejected.map(\.line) == [1])
    }

    @Test func `the default limit is sixteen mebibytes`() throws {
        let configured = ProcessInfo.processInfo.environment["PATHPROOF_MAX_LINE_BYTES"]
        #expect(Workspace.defaultMaxLineBytes == 16 << 20 || configured != nil)
        #expect(try Workspace.inMemory().maxLineBytes == Workspace.defaultMaxLineBytes)
    }
}
