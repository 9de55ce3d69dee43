/// Tabular operators on small datatables: joins, unions, mv-expand, parse, window functions, functions.

import KQLEngine
import TableModel
import Testing

struct OperatorsTests {
    static func run(_ query: String, tables: [Table] = []) throws -> Table {
        try KQLEngine(tables: InMemoryTables(tables), now: CoreQueriesTests.now).run(query)[0]
    }

    @Test func `inner join keeps both key columns and suffixes the right one`() throws {
        let table = try Self.run(
            """
            let L = datatable(k:long, v:string)[1, "a", 2, "b"];
            let R = datatable(k:long, w:string)[2, "x", 2, "y", 3, "z"];
            L | join kind=inner R on k | order by w asc
            """)
        #expect(table.columns.map(\.name) == ["k", "v", "k1", "w"])
        #expect(
            table.rows == [
                [.long(2), .string("b"), .long(2), .string("x")], [.long(2), .string("b"), .long(2), .string("y")],
            ])
    }

    @Test func `leftouter join pads strings with empty text and other types with null`() throws {
        let table = try Self.run(
            """
            datatable(k:long)[1] | join kind=leftouter (datatable(k:long, w:string, n:long)[2, "x", 5]) on k
            """)
        #expect(table.rows == [[.long(1), .null, .string(""), .null]])
    }

    @Test func `the default join kind deduplicates the left side per key`() throws {
        let table = try Self.run(
            """
            datatable(k:long, v:string)[1, "a", 1, "b"]
            | join (datatable(k:long, w:string)[1, "x", 1, "y"]) on k
            | count
            """)
        #expect(table.rows == [[.long(2)]])
    }

    @Test func `leftanti keeps left rows without a match`() throws {
        let table = try Self.run(
            """
            datatable(k:long)[1, 2, 3] | join kind=leftanti (datatable(k:long)[2]) on $left.k == $right.k
            | order by k asc
            """)
        #expect(table.rows == [[.long(1)], [.long(3)]])
    }

    @Test func `union splits a column whose types differ`() throws {
        let table = try Self.run("union (print x = 1), (print x = 'a')")
        #expect(table.columns == [Column("x_long", .long), Column("x_string", .string)])
    }

    @Test func `mv-expand yields one row per element and none for an empty array`() throws {
        let table = try Self.run(
            "datatable(d:dynamic)[dynamic([1, 2]), dynamic([])] | mv-expand with_itemindex=i d to typeof(long)")
        #expect(table.columns == [Column("d", .long), Column("i", .long)])
        #expect(table.rows == [[.long(1), .long(0)], [.long(2), .long(1)]])
    }

    @Test func `parse extracts typed columns and leaves them empty when the text does not match`() throws {
        let table = try Self.run(
            """
            datatable(s:string)["vault=kv1 status=403", "garbage"]
            | parse s with "vault=" vault " status=" status:long
            | project vault, status
            """)
        #expect(table.rows == [[.string("kv1"), .long(403)], [.string(""), .null]])
    }

    @Test func `window functions need serialized rows`() throws {
        #expect(throws: KQLError.self) {
            try Self.run("datatable(x:long)[1, 2] | extend p = prev(x)")
        }
        let table = try Self.run("datatable(x:long)[3, 1, 2] | sort by x asc | extend p = prev(x), n = row_number()")
        #expect(
            table.rows == [
                [.long(1), .null, .long(1)], [.long(2), .long(1), .long(2)], [.long(3), .long(2), .long(3)],
            ])
    }

    @Test func `summarize computes expressions over aggregates`() throws {
        let table = try Self.run(
            "datatable(ok:bool)[true, true, false, true] | summarize pct = 100.0 * countif(ok) / count()")
        #expect(table.rows == [[.real(75)]])
    }

    @Test func `has matches whole terms while contains matches substrings`() throws {
        let table = try Self.run(
            """
            print a = "KeyVault-kv1.vault" has "kv1", b = "helloworld" has "hello",
                c = "helloworld" contains "hello", d = "/vaults/KV1?api" has "vaults/kv1"
            """)
        #expect(table.rows == [[.bool(true), .bool(false), .bool(true), .bool(true)]])
    }

    @Test func `in accepts a tabular subquery`() throws {
        let table = try Self.run(
            """
            let allowed = datatable(ip:string)["10.0.0.1"];
            datatable(ip:string)["10.0.0.1", "20.0.0.1"] | where ip !in (allowed)
            """)
        #expect(table.rows == [[.string("20.0.0.1")]])
    }

    @Test func `user functions take defaults and named arguments`() throws {
        let table = try Self.run(
            "let f = (a:long, b:long = 10) { a * b }; print x = f(2), y = f(b = 3, a = 2)")
        #expect(table.rows == [[.long(20), .long(6)]])
    }

    @Test func `column_ifexists gives the default's type when the column is absent`() throws {
        let table = try Self.run(
            """
            datatable(a:string)["x"]
            | project r = column_ifexists("missing_d", real(null)), s = column_ifexists("missing_s", ""),
                b = column_ifexists("missing_b", bool(null)), a = column_ifexists("a", "")
            """)
        #expect(table.columns == [Column("r", .real), Column("s", .string), Column("b", .bool), Column("a", .string)])
        #expect(table.rows == [[.null, .string(""), .null, .string("x")]])
    }

    @Test func `the window is closed at its start and open at its end`() throws {
        let time = { (text: String) in DateTime(iso8601: text)! }
        let logs = Table(
            name: "AzureDiagnostics", columns: [Column("TimeGenerated", .datetime)],
            rows: ["2026-05-01T09:59:59Z", "2026-05-01T10:00:00Z", "2026-05-01T11:00:00Z"].map { [.datetime(time($0))] }
        )
        let window = ClosedOpenWindow(from: time("2026-05-01T10:00:00Z"), to: time("2026-05-01T11:00:00Z"))
        let result = try KQLEngine(tables: InMemoryTables([logs])).run("AzureDiagnostics", window: window)[0]
        #expect(result.rows == [[.datetime(time("2026-05-01T10:00:00Z"))]])
    }

    @Test func `a datetime between a start and a timespan includes both ends`() throws {
        let table = try Self.run(
            "print a = datetime(2026-05-01 01:00) between (datetime(2026-05-01) .. 1h), "
                + "b = now() between (ago(1h) .. now())"
        )
        #expect(table.rows == [[.bool(true), .bool(true)]])
    }
}
