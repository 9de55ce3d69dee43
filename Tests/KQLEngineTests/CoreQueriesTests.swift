/// Core language behaviour over datatable and print queries: types, nulls, operators and errors.

import KQLEngine
import TableModel
import Testing

struct CoreQueriesTests {
    static let now = DateTime(iso8601: "2026-05-01T12:00:00Z")!

    static func run(_ query: String) throws -> Table {
        try KQLEngine(tables: InMemoryTables([]), now: now).run(query)[0]
    }

    @Test(arguments: [
        ("print x = 1 + 2", ColumnType.long, Value.long(3)),
        ("print x = int(2147483647) + 1", .long, .long(2_147_483_648)),
        ("print x = 7 / 2", .long, .long(3)),
        ("print x = -7 % 3", .long, .long(2)),
        ("print x = 10 / 0", .long, .null),
        ("print x = 1.0 / 0.0", .real, .real(.infinity)),
        ("print x = tostring(1.5)", .string, .string("1.5")),
        ("print x = tostring(true)", .string, .string("True")),
        ("print x = tostring(int(null))", .string, .string("")),
        ("print x = toint(\"12.5\")", .int, .null),
        ("print x = toint(\"  45  \")", .int, .int(45)),
        ("print x = tolong(\"abc\")", .long, .null),
        ("print x = \"alpha_beta\" has \"alpha\"", .bool, .bool(true)),
        ("print x = \"helloworld\" has \"hello\"", .bool, .bool(false)),
        ("print x = \"KeyGet\" startswith \"key\"", .bool, .bool(true)),
        ("print x = \"KeyGet\" startswith_cs \"key\"", .bool, .bool(false)),
        ("print x = \"ABC\" =~ \"abc\"", .bool, .bool(true)),
        ("print x = 5 between (1 .. 5)", .bool, .bool(true)),
        ("print x = 3 in (1, 2)", .bool, .bool(false)),
        ("print x = \"b\" !in (\"a\", \"c\")", .bool, .bool(true)),
        ("print x = \"B\" in~ (\"a\", \"b\")", .bool, .bool(true)),
        ("print x = isempty(\"\")", .bool, .bool(true)),
        ("print x = isnull(\"\")", .bool, .bool(false)),
        ("print x = isnotnull(long(null))", .bool, .bool(false)),
        ("print x = tostring(todynamic('{\"a\":{\"b\":7}}').a.b)", .string, .string("7")),
        ("print x = tostring(parse_json('[1,2,3]')[-1])", .string, .string("3")),
        ("print x = tostring(split(\"a/b/c\", \"/\")[-1])", .string, .string("c")),
        (
            "print x = bin(datetime(2026-05-01 10:37:12), 1h)", .datetime,
            .datetime(DateTime(iso8601: "2026-05-01T10:00:00Z")!)
        ),
        ("print x = ago(1h)", .datetime, .datetime(DateTime(iso8601: "2026-05-01T11:00:00Z")!)),
        ("print x = now() - datetime(2026-05-01)", .timespan, .timespan(Timespan(seconds: 12 * 3600))),
        ("print x = 1d / 1h", .real, .real(24)),
        ("print x = coalesce(\"\", \"b\")", .string, .string("b")),
        ("print x = iff(1 > 2, \"y\", \"n\")", .string, .string("n")),
        ("print x = toupper(\"kv1\")", .string, .string("KV1")),
        ("print x = bool(null) and true", .bool, .null),
        ("print x = bool(null) or true", .bool, .bool(true)),
        ("let v = 40; print x = v + 2", .long, .long(42)),
    ])
    func `scalar expressions have Log Analytics types and values`(query: String, type: ColumnType, value: Value) throws
    {
        let table = try Self.run(query)
        #expect(table.columns == [Column("x", type)])
        #expect(table.rows == [[value]])
    }

    @Test func `summarize count() by names the column count_ and groups null keys together`() throws {
        let table = try Self.run(
            """
            datatable(op:string, status:long)["KeyGet", 200, "KeyGet", long(null), "KeyWrap", 403, "KeyGet", 200]
            | summarize count() by op
            | order by op asc
            """)
        #expect(table.columns == [Column("op", .string), Column("count_", .long)])
        #expect(table.rows == [[.string("KeyGet"), .long(3)], [.string("KeyWrap"), .long(1)]])
    }

    @Test func `sort is descending by default with nulls last`() throws {
        let table = try Self.run("datatable(x:long)[2, long(null), 5, 1] | sort by x")
        #expect(table.rows == [[.long(5)], [.long(2)], [.long(1)], [.null]])
        let ascending = try Self.run("datatable(x:long)[2, long(null), 5, 1] | order by x asc")
        #expect(ascending.rows == [[.null], [.long(1)], [.long(2)], [.long(5)]])
    }

    @Test func `tabular let, where, extend, project and take compose`() throws {
        let table = try Self.run(
            """
            let T = datatable(name:string, n:int)["a", 1, "b", 2, "c", 3];
            let limit = 1;
            T
            | where n > limit and name != "c"
            | extend doubled = n * 2
            | project name, doubled, label = strcat(name, "-", tostring(doubled))
            | take 5
            """)
        #expect(table.columns == [Column("name", .string), Column("doubled", .long), Column("label", .string)])
        #expect(table.rows == [[.string("b"), .long(4), .string("b-4")]])
    }

    @Test func `a where over a null comparison drops the row, and != keeps it`() throws {
        let equal = try Self.run("datatable(x:long)[1, 2, long(null)] | where x != 1 | count")
        #expect(equal.rows == [[.long(2)]])
        let notIn = try Self.run("datatable(x:long)[1, 2, long(null)] | where x !in (1, 2) | count")
        #expect(notIn.rows == [[.long(1)]])
    }

    @Test func `an unsupported operator is refused by name`() {
        #expect(throws: KQLError.unsupported("the 'top-nested' operator")) {
            try Self.run("datatable(x:long)[1] | top-nested 1 of x by count()")
        }
        #expect(throws: KQLError.unsupported("the function hash_xxhash64()")) {
            try Self.run("print hash_xxhash64('a')")
        }
        // Statements and forms outside the subset, even with braces and semicolons inside them.
        #expect(throws: KQLError.unsupported("the 'declare' statement")) {
            try Self.run(#"declare pattern p = (n:string) { ("a") = { print x = 1 }; }; p("a")"#)
        }
        #expect(throws: KQLError.unsupported("a management command (a request that starts with '.')")) {
            try Self.run(".set-or-replace T <| print 1")
        }
        #expect(throws: KQLError.unsupported("the 'partition' operator")) {
            try Self.run("datatable(k:long)[1] | partition hint.strategy=native by k { take 1 } | count")
        }
    }

    @Test func `a syntax error names the line, column and what was expected`() {
        #expect(throws: KQLError.syntax(line: 2, column: 9, expected: "an expression", found: "'|'")) {
            try KQLEngine.parse("print x = 1\n| where |")
        }
    }

    @Test func `an unknown column is a SEM0100 error`() {
        #expect(throws: KQLError.unknownColumn("nope")) {
            try Self.run("datatable(x:long)[1] | where nope == 1")
        }
    }
}
