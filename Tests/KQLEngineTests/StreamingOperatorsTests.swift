/// The streaming operators (where, project, extend, take and their kin) pull rows from their input
/// one at a time: they never read the whole input before giving their first row.

import KQLEngine
import TableModel
import Testing

/// A table `T(n:long, s:string)` of `count` rows made on demand, which counts the rows read from it.
private final class CountingTable: TableProvider {
    let count: Int
    private(set) var rowsRead = 0

    init(count: Int) { self.count = count }

    func schema(of table: String) throws -> [Column]? {
        table == "T" ? [Column("n", .long), Column("s", .string)] : nil
    }

    func tableNames() throws -> [String] { ["T"] }

    func scan(_ table: String) throws -> any RowCursor { Cursor(table: self) }

    private struct Cursor: RowCursor {
        let table: CountingTable
        var position = 0

        mutating func next() throws -> [Value]? {
            guard position < table.count else { return nil }
            defer { position += 1 }
            table.rowsRead += 1
            return [.long(Int64(position)), .string("row \(position)")]
        }
    }
}

struct StreamingOperatorsTests {
    /// Each query's answer, and the rows it may read: as many as it takes to reach its last output row.
    @Test(arguments: [
        ("T | take 3", 3),
        ("T | where n % 5 == 4 | take 2", 10),
        ("T | extend m = n * 2 | where m > 10 | project m | take 1", 7),
        ("T | project s, n | project-rename text = s | where n >= 3 | limit 2", 5),
        ("T | project-away s | extend k = tostring(n) | project-keep k | take 4", 4),
        ("T | where s has '7' | project-reorder s | take 1", 8),
    ])
    func `a query that needs only the first rows reads only those`(query: String, rows: Int) throws {
        // Ten million rows: reading them all would take long and hold gigabytes.
        let table = CountingTable(count: 10_000_000)
        let result = try KQLEngine(tables: table).run(query)
        #expect(table.rowsRead == rows, "\(query)")
        #expect(result.first?.rows.isEmpty == false)
    }

    @Test func `the rows a streamed query returns are the right ones`() throws {
        let table = CountingTable(count: 10_000_000)
        let result = try KQLEngine(tables: table).run(
            "T | where n % 1000 == 999 | extend half = n / 2 | project half, s | take 2")
        #expect(
            result.first?.rows == [
                [.long(499), .string("row 999")], [.long(999), .string("row 1999")],
            ])
        #expect(table.rowsRead == 2_000)
    }

    @Test func `a sort reads all of its input, as it must`() throws {
        let table = CountingTable(count: 5_000)
        let result = try KQLEngine(tables: table).run("T | sort by n desc | take 1 | project n")
        #expect(result.first?.rows == [[.long(4_999)]])
        #expect(table.rowsRead == 5_000)
    }
}
