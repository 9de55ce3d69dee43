/// Inputs the fuzzer (pathproof-fuzz) once crashed on; each must now give a clear error or a result.

import Foundation
import KQLEngine
import RowDecoding
import TableModel
import Testing

struct FuzzRegressionTests {
    /// Queries that trapped in the lexer: a timespan literal past the 64-bit tick range.
    @Test(arguments: [
        "T | where TimeGenerated > ago(1e308d)",
        "datatable(t:long)[1,92233720368d, 3]",
        "print x = 1e400d",
        "print x = 99999999999999999999h",
        "print x = 922337203685477.5808s",
    ])
    func `an out-of-range timespan literal is a syntax error`(query: String) {
        #expect(throws: KQLError.self) { try KQLEngine.parse(query) }
    }

    /// Found by kql-eval: an empty datetime literal indexed an empty split; a huge indexof length overflowed.
    @Test(arguments: [
        "print som = startofmonth(datetime())", "print d = datetime( )", "print d = todatetime(' ')",
        "print i = indexof(1234567, 5, 1, 0x7fffffffffffffff)", "print i = indexof('abc', 'c', 2, 9223372036854775807)",
        "datatable(t:long)[1,2,3] | sort by t asc | serialize rn = row_number(9223372036854775807)",
        "datatable(t:long)[1,2,3] | sort by t asc | serialize rn = row_number(1e309)",
        "print da = datetime_add('year', 9223372036854775807, datetime(2020-02-29 00:00:00))",
        "print da = datetime_add('quarter', -9223372036854775807, datetime(2020-02-29))",
        "print span = totimespan('9223372036854775808d')",
        "print sub = substring('abc', 1, 9223372036854775807)",
        "print e = extract('a(b)', -1, 'ab'), f = extract('a(b)', -9223372036854775808, 'ab')",
        "datatable(x:long)[1,2,3] | sort by x asc | serialize n = next(x, 18446744073709551616, -1)",
        "datatable(x:long)[1,2,3] | sort by x asc | serialize p = prev(x, -9223372036854775807)",
        "print m = -14 % -9223372036854775808, n = -1 % -9223372036854775808",
        "datatable(x:long)[1, -9223372036854775808] | summarize count() by bin(x, 3)",
        "print t = bin(datetime(0001-01-01), 7d)",
        "print t = totimespan('99999999999999:00'), u = totimespan('1e300')",
        "print date_time = unixtime_milliseconds_todate; time(1546300800000)",
        "print m = make_datetime(-1e309, 10, 1, 12, 10), n = make_datetime(2017, 10, 1, 12, -1e309)",
        "print m = make_datetime(2017, 1e309, 1, 12, 0x7fffffffffffffff), n = make_datetime(9223372036854775808, 1, 1)",
        "print m = make_datetime(2017, 10, 1, 10000000000000000000000000000000000000000, 10)",
        "print s = startofday(datetime(2020-01-01), 9223372036854775807)",
        "print s = startofweek(datetime(2020-01-01), -9223372036854775807)",
        "print s = startofmonth(datetime(2020-01-01), 9223372036854775807)",
        "print e = endofday(datetime(2020-01-01), 9223372036854775807), f = endofyear(now(), 9223372036854775807)",
    ])
    func `queries that trapped now give a result or a clear error`(query: String) {
        do {
            _ = try KQLEngine(tables: InMemoryTables()).run(query)
        } catch {
            #expect(!"\(error)".isEmpty)
        }
    }

    @Test func `the fixed functions keep their ordinary results`() throws {
        let tables = try KQLEngine(tables: InMemoryTables()).run(
            """
            print d = datetime_add('year', 2, datetime(2020-02-29)), s = substring('abcdef', 2, 9223372036854775807),
                e = extract('a(b)', -1, 'ab'), t = totimespan('9223372036854775808d'), u = totimespan('2d'),
                m = -14 % -9223372036854775808, b = bin(-9223372036854775807, 3), h = totimespan('1:30')
            """)
        #expect(
            tables.first?.rows == [
                [
                    .datetime(DateTime(iso8601: "2022-02-28T00:00:00Z")!), .string("cdef"), .string(""), .null,
                    .timespan(Timespan(ticks: 2 * 864_000_000_000)), .long(9_223_372_036_854_775_794), .null,
                    .timespan(Timespan(ticks: 5_400 * 10_000_000)),
                ]
            ])
    }

    @Test func `indexof with an unbounded length searches to the end`() throws {
        let tables = try KQLEngine(tables: InMemoryTables()).run(
            "print i = indexof('abcabc', 'c', 3, 9223372036854775807)")
        #expect(tables.first?.rows == [[.long(5)]])
    }

    @Test func `the largest timespan literal that fits still parses`() throws {
        let tables = try KQLEngine(tables: InMemoryTables()).run("print x = 10675199d")
        #expect(tables.first?.rows.first?.first == .timespan(Timespan(ticks: 10_675_199 * 864_000_000_000)))
    }
}

/// The lexer's `\u` escape: fullwidth digits trapped; surrogate pairs were dropped.
struct UnicodeEscapeRegressionTests {
    @Test(arguments: ["print x = \"\\u\u{FF11}\u{FF12}\u{FF13}\u{FF14}\"", "print x = '\\u\u{FF21}000'"])
    func `fullwidth hex digits after backslash-u are a syntax error`(query: String) {
        #expect(throws: KQLError.self) { try KQLEngine.parse(query) }
    }

    @Test func `a surrogate pair escape is one character`() throws {
        let tables = try KQLEngine(tables: InMemoryTables()).run(#"print x = "\ud83d\ude00|\u00e9""#)
        #expect(tables.first?.rows == [[.string("\u{1F600}|é")]])
    }
}
