/// Tests of the column snapshot: every query answers exactly as over SQLite's rows, whatever the
/// cells, the block boundaries, the rows appended since, or a program editing the file behind it.

import Foundation
import KQLEngine
import SQLiteSupport
import TableModel
import Testing

@testable import Workspace

struct ColumnSnapshotTests {
    /// A workspace with a table `T` of every column type, written cell by cell with SQL so that the
    /// cells include what ingest never writes: integers in a string column, text in a long column.
    private static func workspace(rows: Int, in directory: String) throws -> Workspace {
        let workspace = try Workspace(path: directory + "/w.sqlite")
        let store = try workspace.storeCreating("T")
        try store.declare([
            Column("TimeGenerated", .datetime), Column("Resource", .string), Column("Status", .long),
            Column("Ratio", .real), Column("Extra", .dynamic), Column("Flag", .bool), Column("Id", .guid),
            Column("Span", .timespan), Column("Small", .int),
        ])
        try append(rows: 0..<rows, to: workspace)
        return workspace
    }

    /// Rows whose cells cycle through odd cases: NULLs, text that differs only in Unicode
    /// normalization, -0.0 and NaN, integers in a string column, a datetime stored as text.
    private static func append(rows: Range<Int>, to workspace: Workspace) throws {
        let columns = try #require(try workspace.schema(of: "T")).map(\.name)
        let names = ["TimeGenerated", "Resource", "Status", "Ratio", "Extra", "Flag", "Id", "Span", "Small"]
        let list = try names.map { name in "c\(try #require(columns.firstIndex(of: name)))" }
        let insert = try workspace.database.prepare(
            "INSERT INTO data_T (pp_file, \(list.joined(separator: ","))) VALUES (1,?1,?2,?3,?4,?5,?6,?7,?8,?9)")
        let resources: [SQLiteValue] = [
            .text("KV1"), .text("kv1"), .text("caf\u{E9}"), .text("cafe\u{301}"), .null, .text(""), .integer(7),
            .text("KV-\(String(repeating: "x", count: 40))"),
        ]
        let ratios: [SQLiteValue] = [.real(0.5), .real(-0.0), .real(0.0), .text("NaN"), .null, .integer(2)]
        let extras: [SQLiteValue] = [.text("{}"), .text("{\"a\":1}"), .null, .text("[1,2]"), .text("not json")]
        try workspace.database.transaction {
            for row in rows {
                let time: SQLiteValue =
                    row % 97 == 0
                    ? .null
                    : row % 101 == 0 ? .text("2026") : .integer(639_131_904_000_000_000 + Int64(row) * 7_000_000_000)
                let status: SQLiteValue =
                    row % 13 == 0 ? .null : row % 89 == 0 ? .text("oops") : .integer(Int64(200 + row % 3 * 100))
                insert.reset()
                try insert.bind([
                    time, resources[row % resources.count], status, ratios[row % ratios.count],
                    extras[row % extras.count], row % 17 == 0 ? .null : .integer(Int64(row % 2)),
                    row % 5 == 0 ? .null : .text("0000000\(row % 3)-0000-0000-0000-000000000000"),
                    .integer(Int64(row % 11) * 10_000_000),
                    row % 19 == 0 ? .integer(1 << 40) : .integer(Int64(row % 9) - 4),
                ])
                try insert.step()
            }
        }
    }

    private static let queries = [
        "T",
        "T | project Resource, Status, Ratio",
        "T | where Resource == 'KV1' | project TimeGenerated, Status",
        "T | where Resource =~ 'kv1' | count",
        "T | summarize count() by Resource",
        "T | summarize count() by bin(TimeGenerated, 1h), Resource",
        "T | summarize n = count() by bin(TimeGenerated, 5m), Status, Flag",
        "T | where Status == 200 | summarize count() by toupper(Resource), bin(Span, 3s)",
        "T | where isnotempty(Resource) | where Small < 3 | summarize count() by Small, Id",
        "T | summarize count(), sum(Status), max(TimeGenerated) by Resource",
        "T | summarize count() by bin(Status, 150)",
        "T | summarize count() by bin(Small, 3), bin(Span, 7s)",
        "T | where Resource != 'KV1' | summarize count() by bin(Small, 2), Resource",
        "T | summarize count() by TimeGenerated",
        "T | summarize count() by tostring(Extra.a)",
        "T | where Resource startswith 'caf' | summarize count() by Resource, bin(Small, 2)",
        "T | summarize count()",
        "T | extend e = tostring(Extra), r = tostring(Ratio) | project e, r, Id, Flag",
    ]

    private static func answers(_ workspace: Workspace, window: ClosedOpenWindow? = nil) throws -> [String] {
        try queries.map { query in
            let tables = try KQLEngine(tables: workspace).run(query, window: window)
            return tables.map { "\($0.columns) \($0.rows)" }.joined(separator: "\n")
        }
    }

    /// The queries whose answers differ (the answers themselves are too long to print).
    private static func differing(_ expected: [String], _ got: [String]) -> [String] {
        zip(queries, zip(expected, got)).filter { $0.1.0 != $0.1.1 }.map(\.0)
    }

    @Test func `queries over the snapshot give exactly the answers over SQLite's rows`() throws {
        let workspace = try Self.workspace(rows: 2_500, in: try Fixtures.temporaryDirectory())
        let expected = try Self.answers(workspace)
        let window = ClosedOpenWindow(
            from: DateTime(ticks: 639_131_904_000_000_000 + 36_000_000_000),
            to: DateTime(ticks: 639_131_904_000_000_000 + 9_000_000_000_000))
        let expectedInWindow = try Self.answers(workspace, window: window)
        let refreshed = try workspace.refreshColumnSnapshot(rebuild: false, blockRows: 300)
        #expect(refreshed == [ColumnSnapshotRefresh(table: "T", packedRows: 2_500, coveredRows: 2_500)])
        let cursor = try workspace.columnScan("T", columns: nil)
        #expect(cursor is SnapshotColumnCursor)
        let got = try Self.answers(workspace)
        #expect(Self.differing(expected, got).isEmpty)
        #expect(Self.differing(expectedInWindow, try Self.answers(workspace, window: window)).isEmpty)
        // The groups really differ, so the comparison has something to compare.
        #expect(got[5].split(separator: "]").count > 50)
    }

    @Test func `rows appended after the snapshot are read from SQLite, in order`() throws {
        let workspace = try Self.workspace(rows: 1_000, in: try Fixtures.temporaryDirectory())
        _ = try workspace.refreshColumnSnapshot(rebuild: false, blockRows: 256)
        try Self.append(rows: 1_000..<1_700, to: workspace)
        let withTail = try Self.answers(workspace)
        try workspace.database.execute("DELETE FROM pp_column_blocks; DELETE FROM pp_column_snapshot")
        #expect(try workspace.columnScan("T", columns: nil) is SQLiteColumnCursor)
        let rowsOnly = try Self.answers(workspace)
        #expect(Self.differing(rowsOnly, withTail).isEmpty)
        #expect(try KQLEngine(tables: workspace).run("T | count").first?.rows == [[.long(1_700)]])
        // A refresh packs only the last partial block again and the new rows.
        let refreshed = try workspace.refreshColumnSnapshot(rebuild: false, blockRows: 256)
        #expect(refreshed.first?.coveredRows == 1_700)
        #expect(Self.differing(rowsOnly, try Self.answers(workspace)).isEmpty)
    }

    @Test func `an incremental refresh packs only the rows after the last whole block`() throws {
        let workspace = try Self.workspace(rows: 1_000, in: try Fixtures.temporaryDirectory())
        _ = try workspace.refreshColumnSnapshot(rebuild: false, blockRows: 256)
        try Self.append(rows: 1_000..<1_100, to: workspace)
        let refreshed = try workspace.refreshColumnSnapshot(rebuild: false, blockRows: 256)
        // 768 rows sit in three whole blocks; the 232 after them and the 100 new ones are packed.
        #expect(refreshed == [ColumnSnapshotRefresh(table: "T", packedRows: 332, coveredRows: 1_100)])
        let rebuilt = try workspace.refreshColumnSnapshot(rebuild: true, blockRows: 256)
        #expect(rebuilt.first?.packedRows == 1_100)
    }

    @Test func `a column added after the snapshot is read from SQLite for every row`() throws {
        let workspace = try Self.workspace(rows: 600, in: try Fixtures.temporaryDirectory())
        _ = try workspace.refreshColumnSnapshot(rebuild: false, blockRows: 128)
        let store = try #require(try workspace.store("T"))
        let resource = try #require(store.columns.firstIndex { $0.name == "Resource" })
        try store.declare([Column("Late", .string)])
        let late = store.columns.count - 1
        try workspace.database.execute(
            "INSERT INTO data_T (pp_file, c\(resource), c\(late)) VALUES (1, 'KV9', 'late')")
        #expect(try workspace.columnScan("T", columns: [late]) is SQLiteColumnCursor)
        #expect(try workspace.columnScan("T", columns: [resource]) is SnapshotColumnCursor)
        let found = try KQLEngine(tables: workspace).run("T | where isnotempty(Late) | project Resource, Late")
        #expect(found.first?.rows == [[.string("KV9"), .string("late")]])
        let counts = try KQLEngine(tables: workspace).run("T | where Resource == 'KV9' | count")
        #expect(counts.first?.rows == [[.long(1)]])
    }

    @Test func `a program that updates or deletes rows drops the snapshot`() throws {
        let workspace = try Self.workspace(rows: 500, in: try Fixtures.temporaryDirectory())
        _ = try workspace.refreshColumnSnapshot(rebuild: false, blockRows: 100)
        let other = try SQLiteDatabase(path: workspace.path)
        let resource = try #require(try workspace.schema(of: "T")?.firstIndex { $0.name == "Resource" })
        try other.execute("UPDATE data_T SET c\(resource) = 'changed' WHERE rowid = 3")
        #expect(try workspace.columnScan("T", columns: nil) is SQLiteColumnCursor)
        let changed = try KQLEngine(tables: workspace).run("T | where Resource == 'changed' | count")
        #expect(changed.first?.rows == [[.long(1)]])
        _ = try workspace.refreshColumnSnapshot(rebuild: false, blockRows: 100)
        try other.execute("DELETE FROM data_T WHERE rowid > 450")
        #expect(try workspace.columnScan("T", columns: nil) is SQLiteColumnCursor)
        #expect(try KQLEngine(tables: workspace).run("T | count").first?.rows == [[.long(450)]])
    }

    @Test func `a damaged block is an error that names the table and the remedy`() throws {
        let workspace = try Self.workspace(rows: 300, in: try Fixtures.temporaryDirectory())
        let expected = try KQLEngine(tables: workspace).run("T | summarize count() by Resource")
        _ = try workspace.refreshColumnSnapshot(rebuild: false, blockRows: 100)
        let resource = try #require(try workspace.schema(of: "T")?.firstIndex { $0.name == "Resource" })
        try workspace.database.execute(
            "UPDATE pp_column_blocks SET data = substr(data, 1, 10) WHERE ordinal = \(resource) AND first_rowid > 100")
        #expect {
            _ = try KQLEngine(tables: workspace).run("T | summarize count() by Resource")
        } throws: { error in
            "\(error)".contains("column snapshot of table 'T' is damaged")
                && "\(error)".contains("pathproof optimize --rebuild")
        }
        _ = try workspace.refreshColumnSnapshot(rebuild: true, blockRows: 100)
        #expect(try KQLEngine(tables: workspace).run("T | summarize count() by Resource") == expected)
        #expect(expected.first?.rows.count == 6)
        // A block of integers (read from the pages into place) cut short is damage too.
        let span = try #require(try workspace.schema(of: "T")?.firstIndex { $0.name == "Span" })
        try workspace.database.execute(
            "UPDATE pp_column_blocks SET data = substr(data, 1, 100) WHERE ordinal = \(span) AND first_rowid > 100")
        #expect {
            _ = try KQLEngine(tables: workspace).run("T | summarize count() by bin(Span, 1s)")
        } throws: { error in
            "\(error)".contains("column snapshot of table 'T' is damaged") && "\(error)".contains("bytes where")
        }
    }

    @Test func `bins of negative and extreme integers match the row-by-row answers`() throws {
        let workspace = try Workspace(path: try Fixtures.temporaryDirectory() + "/w.sqlite")
        let store = try workspace.storeCreating("L")
        try store.declare([Column("N", .long), Column("S", .timespan)])
        let columns = try #require(try workspace.schema(of: "L")).map(\.name)
        let (n, span) = (try #require(columns.firstIndex(of: "N")), try #require(columns.firstIndex(of: "S")))
        let insert = try workspace.database.prepare("INSERT INTO data_L (pp_file, c\(n), c\(span)) VALUES (1, ?1, ?2)")
        let extremes: [Int64] = [Int64.min, Int64.min + 1, -7, -6, -5, -1, 0, 1, 5, 6, Int64.max - 1, Int64.max]
        try workspace.database.transaction {
            for row in 0..<400 {
                insert.reset()
                let number: SQLiteValue = row % 23 == 0 ? .null : .integer(extremes[row % extremes.count])
                try insert.bind([number, .integer(Int64(row % 40 - 20) * 3_000_000)])
                try insert.step()
            }
        }
        let queries = [
            "L | summarize count() by bin(N, 6)", "L | summarize count() by bin(N, 1)",
            "L | summarize count() by bin(S, 1s)", "L | where S > 0s | summarize count() by bin(N, 5), bin(S, 2s)",
            "L | summarize count() by N",
        ]
        let rows = try queries.map { "\(try KQLEngine(tables: workspace).run($0).map(\.rows))" }
        _ = try workspace.refreshColumnSnapshot(rebuild: false, blockRows: 64)
        #expect(try workspace.columnScan("L", columns: nil) is SnapshotColumnCursor)
        let snapshot = try queries.map { "\(try KQLEngine(tables: workspace).run($0).map(\.rows))" }
        for (query, (expected, got)) in zip(queries, zip(rows, snapshot)) {
            #expect(expected == got, "\(query)")
        }
        // The extremes really fall in different bins, and a bin that would start below Int64.min is null.
        #expect(rows[0].contains("null"))
        #expect(rows[0].components(separatedBy: "long(").count > 8)
    }

    @Test func `ingested records answer the same with and without the snapshot`() throws {
        let directory = try Fixtures.temporaryDirectory()
        let workspace = try Workspace(path: directory + "/w.sqlite")
        _ = try workspace.ingest(paths: Fixtures.jsonFiles(in: "keyvault-records").map(Fixtures.record))
        let queries = [
            "AzureDiagnostics | summarize count() by bin(TimeGenerated, 1h), Resource, OperationName",
            "AzureDiagnostics | where ResourceProvider =~ 'MICROSOFT.KEYVAULT' "
                + "| summarize Count = count() by Vault = toupper(Resource), TimeGenerated = bin(TimeGenerated, 1m)",
            "AzureDiagnostics | take 1000",
        ]
        let before = try queries.map { "\(try KQLEngine(tables: workspace).run($0).map(\.rows))" }
        let refreshed = try workspace.refreshColumnSnapshot(rebuild: false, blockRows: 7)
        #expect(refreshed.contains { $0.table == "AzureDiagnostics" && $0.coveredRows > 20 })
        let after = try queries.map { "\(try KQLEngine(tables: workspace).run($0).map(\.rows))" }
        #expect(zip(before, after).filter { $0 != $1 }.isEmpty)
    }
}
