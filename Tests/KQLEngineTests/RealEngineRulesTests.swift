/// Rules taken from the real engine's recorded behaviour (rejections and documented outputs): what the
/// engine refuses, and the answers it must give where the docs or recordings pin them.

import KQLEngine
import TableModel
import Testing

struct RealEngineRulesTests {
    static func run(_ query: String) throws -> Table {
        try OperatorsTests.run(query)
    }

    static func refuses(_ query: String) -> Bool {
        (try? run(query)) == nil
    }

    @Test(arguments: [
        "print a = dynamic([1,2]) | extend u = set_union(a, dynamic([])), c = array_length(u)",
        "datatable(g:long)[1] | summarize by d = dynamic([1])",
        "print d = dynamic([1]) | where d == dynamic([1])",
        "datatable(d:dynamic)[dynamic(1), dynamic(2)] | sort by d asc",
        "datatable(s:string)['a1 b2'] | parse s with a:string n:long ' ' rest:string",
        "print f = format_timespan(1d, '%d')",
        "print d = dynamic({'a':1}) | extend missing = d.b",
    ])
    func `constructs the real engine rejects are refused`(query: String) {
        #expect(Self.refuses(query), "\(query)")
    }

    @Test func `extend evaluates every expression over its input row`() throws {
        let table = try Self.run("print x = 1 | extend x = x + 10, y = x * 2")
        #expect(table.columns.map(\.name) == ["x", "y"])
        #expect(table.rows == [[.long(11), .long(2)]])
    }

    @Test func `two nulls compare to null and one null is unequal`() throws {
        let table = try Self.run(
            """
            datatable(v:int)[5, int(null)]
            | extend eq = v == int(null), ne = v != int(null) | project eq, ne
            """)
        #expect(table.rows == [[.bool(false), .bool(true)], [.null, .null]])
    }

    @Test func `a union type split that clashes with a column name is numbered`() throws {
        let table = try Self.run(
            """
            let A = print x = 1; let B = print x = toint(2); let C = print x_long = 3;
            union A, B, C
            """)
        #expect(table.columns.map(\.name) == ["x_long1", "x_int", "x_long"])
        #expect(table.rows == [[.long(1), .null, .null], [.null, .int(2), .null], [.null, .null, .long(3)]])
    }

    @Test func `indexof searches each further occurrence from after the previous one`() throws {
        let table = try Self.run(
            """
            print a = indexof("abcdefgabcdefg", "cde", 1, 10, 2), b = indexof("abcdefg", "cde", 1, 2),
                c = indexof("abcdefgabcdefg", "cde", 1, -1, 3)
            """)
        #expect(table.rows == [[.long(9), .long(-1), .long(-1)]])
    }

    @Test func `sort keys tie groups let tied rows come in any order`() {
        let rows: [[Value]] = [[.long(1), .string("a")], [.long(1), .string("b")], [.long(2), .string("c")]]
        let keys = SortKeys.columns("T | order by k asc", ["k", "v"])
        #expect(keys == [0])
        #expect(SortKeys.tieGroups(rows, keys) == [0..<2, 2..<3])
        let match = Conformance.orderedMatch(
            ["(1, 'a')", "(1, 'b')", "(2, 'c')"], ["(1, 'b')", "(1, 'a')"], ties: [0..<2, 2..<3])
        #expect(match.0 == .pass)
        let wrong = Conformance.orderedMatch(["(1, 'a')", "(1, 'b')", "(2, 'c')"], ["(2, 'c')"], ties: [0..<2, 2..<3])
        #expect(wrong.0 == .wrong)
    }
}

struct AddedFunctionsTests {
    @Test func `hash_sha256 matches the FIPS 180-4 test vectors`() throws {
        let table = try OperatorsTests.run("print a = hash_sha256('abc'), b = hash_sha256(''), c = hash_md5('')")
        #expect(
            table.rows == [
                [
                    .string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
                    .string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                    .string("d41d8cd98f00b204e9800998ecf8427e"),
                ]
            ])
    }

    @Test func `parse_command_line follows the Windows quoting rules`() throws {
        let table = try OperatorsTests.run(
            #"print a = parse_command_line(@'a "b c" d\"e f\\"g h"', "windows")"#)
        #expect(table.rows == [[.dynamic(.array([.string("a"), .string("b c"), .string("d\"e"), .string("f\\g h")]))]])
    }

    @Test func `extract_json reads a path and converts to the asked type`() throws {
        let table = try OperatorsTests.run(
            """
            print a = extract_json('$.b[1].c', '{"b":[1,{"c":42}]}', typeof(long)),
                b = extractjson('$.x', '{"b":1}'), c = extract_json("$['b']", '{"b":"t"}')
            """)
        #expect(table.rows == [[.long(42), .string(""), .string("t")]])
    }
}

struct AddedOperatorsTests {
    @Test func `parse-where keeps only the rows its pattern matches`() throws {
        let table = try OperatorsTests.run(
            #"datatable(s:string)["a 1", "b", "c x"] | parse-where s with x:string " " n:long"#)
        #expect(table.rows == [[.string("a 1"), .string("a"), .long(1)]])
    }

    @Test func `mv-apply runs the subquery once per row and keeps the row's other columns`() throws {
        let table = try OperatorsTests.run(
            """
            datatable(g:string, d:dynamic)["a", dynamic([3, 1, 2]), "b", dynamic([5])]
            | mv-apply v = d to typeof(long) on (top 1 by v) | project g, v
            """)
        #expect(table.rows == [[.string("a"), .long(3)], [.string("b"), .long(5)]])
    }
}
