/// Constructs of the subset added for the conformance corpora: range() over time, sorting several
/// arrays together, bag_unpack's options and output schema, query hints, spaced date literals.

import KQLEngine
import TableModel
import Testing

struct ConformanceGapsTests {
    @Test func `range over datetimes and timespans steps by the given timespan or by an hour`() throws {
        let table = try OperatorsTests.run(
            """
            print d = range(datetime(2007-01-01), datetime(2007-01-03), 1d), t = range(1h, 3h),
                down = range(3h, 1h, -1h), none = range(1h, 3h, 0s)
            """)
        #expect(
            table.rows == [
                [
                    .dynamic(
                        .array([
                            .string("2007-01-01T00:00:00.0000000Z"), .string("2007-01-02T00:00:00.0000000Z"),
                            .string("2007-01-03T00:00:00.0000000Z"),
                        ])),
                    .dynamic(.array([.string("01:00:00"), .string("02:00:00"), .string("03:00:00")])),
                    .dynamic(.array([.string("03:00:00"), .string("02:00:00"), .string("01:00:00")])),
                    .dynamic(.null),
                ]
            ])
    }

    @Test func `a range of datetimes expands into datetime rows`() throws {
        let table = try OperatorsTests.run(
            """
            print r = range(datetime(2020-01-01 00:00), datetime(2020-01-01 01:00), 30m)
            | mv-expand r to typeof(datetime)
            """)
        #expect(table.columns == [Column("r", .datetime)])
        #expect(table.rows.count == 3)
        #expect(table.rows.last == [.datetime(DateTime(iso8601: "2020-01-01T01:00:00Z")!)])
    }

    @Test func `sorting several arrays reorders the others and spreads over named columns`() throws {
        let table = try OperatorsTests.run(
            """
            let a = dynamic([3, 1, 2]);
            let b = dynamic(["c", "a", "b"]);
            print array_sort_asc(a, b)
            | extend (x, y) = array_sort_desc(a, b), second = array_sort_asc(a, b)[1]
            """)
        #expect(table.columns.map(\.name) == ["a_sorted", "b_sorted", "x", "y", "second"])
        let abc: Dynamic = .array([.string("a"), .string("b"), .string("c")])
        #expect(
            table.rows == [
                [
                    .dynamic(.array([.long(1), .long(2), .long(3)])), .dynamic(abc),
                    .dynamic(.array([.long(3), .long(2), .long(1)])),
                    .dynamic(.array([.string("c"), .string("b"), .string("a")])), .dynamic(abc),
                ]
            ])
    }

    @Test func `an array of another length sorts to null and nulls_last still applies`() throws {
        let table = try OperatorsTests.run(
            """
            print (x, y) = array_sort_asc(dynamic([2, null, 1]), dynamic([1]), false)
            """)
        #expect(table.rows == [[.dynamic(.array([.null, .long(1), .long(2)])), .dynamic(.null)]])
    }

    @Test func `sorting several arrays into one name is refused`() {
        #expect {
            _ = try OperatorsTests.run("print s = array_sort_asc(dynamic([1]), dynamic([2]))")
        } throws: { "\($0)".hasPrefix("unsupported:") }
    }

    @Test func `bag_unpack replaces or keeps a clashing column and ignores listed properties`() throws {
        let input = """
            datatable(Name:string, d:dynamic)[
                'James', dynamic({"Name": "John", "Age": 20}), 'David', dynamic({"Age": 40})]
            """
        let replaced = try OperatorsTests.run(
            input + "| evaluate bag_unpack(d, columnsConflict='replace_source')")
        #expect(replaced.columns == [Column("Name", .string), Column("Age", .long)])
        #expect(replaced.rows == [[.string("John"), .long(20)], [.string(""), .long(40)]])
        let kept = try OperatorsTests.run(input + "| evaluate bag_unpack(d, 'p_', 'keep_source')")
        #expect(kept.columns.map(\.name) == ["Name", "p_Age", "p_Name"])
        let ignored = try OperatorsTests.run(
            input + "| evaluate bag_unpack(d, ignoredProperties=dynamic(['Name']))")
        #expect(ignored.rows == [[.string("James"), .long(20)], [.string("David"), .long(40)]])
    }

    @Test func `bag_unpack with an output schema gives exactly the declared columns`() throws {
        let table = try OperatorsTests.run(
            """
            datatable(d:dynamic, Description:string)[
                dynamic({"Name": "John", "Age": 20, "height": 180}), "Student",
                dynamic({"Age": "old"}), "Teacher"]
            | evaluate bag_unpack(d) : (*, Name:string, Age:long)
            """)
        #expect(
            table.columns == [Column("Description", .string), Column("Name", .string), Column("Age", .long)])
        #expect(
            table.rows == [
                [.string("Student"), .string("John"), .long(20)], [.string("Teacher"), .string(""), .null],
            ])
    }

    @Test func `query hints after other options are skipped`() throws {
        let table = try OperatorsTests.run(
            """
            let A = datatable(k:long)[1, 2];
            A | join kind=inner hint.strategy = broadcast (A | where k > 1) on k
            | summarize hint.strategy=shuffle count() by k
            """)
        #expect(table.rows == [[.long(2), .long(1)]])
    }

    @Test func `a column named hint still takes dynamic access`() throws {
        let table = try OperatorsTests.run(#"print hint = dynamic({"a": 1}) | project b = hint.a == 1"#)
        #expect(table.rows == [[.bool(true)]])
    }

    @Test(arguments: ["datetime(2025, 6, 14)", "datetime(2025 - 06 - 14)", "datetime(2025-6-14)"])
    func `date literals with spaced separators read as year, month and day`(literal: String) throws {
        let table = try OperatorsTests.run("print \(literal)")
        #expect(table.rows == [[.datetime(DateTime(iso8601: "2025-06-14T00:00:00Z")!)]])
    }

    @Test func `a datetime literal without a date is refused as unsupported`() {
        #expect {
            _ = try OperatorsTests.run("print datetime(8:00)")
        } throws: { "\($0)".contains("unsupported: a datetime literal with a time but no date") }
    }

    @Test func `sample-distinct is refused under its own name`() {
        #expect(throws: KQLError.unsupported("the 'sample-distinct' operator")) {
            try OperatorsTests.run(#"datatable(g:string)["a", "b"] | sample-distinct 1 of g"#)
        }
    }
}
