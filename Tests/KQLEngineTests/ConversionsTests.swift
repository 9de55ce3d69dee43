/// `to*()` conversions of text the real engine reads (the kql-semantics notes' recorded forms).

import KQLEngine
import TableModel
import Testing

struct ConversionsTests {
    @Test(arguments: [
        ("2 Dec 2022", "2022-12-02T00:00:00Z"),
        ("Dec 2, 2022", "2022-12-02T00:00:00Z"),
        ("Fri, 02 Dec 2022 10:00:00 GMT", "2022-12-02T10:00:00Z"),
        ("Friday, 02-Dec-22 10:00:00 GMT", "2022-12-02T10:00:00Z"),
        ("20221202", "2022-12-02T00:00:00Z"),
    ])
    func `todatetime reads month names, RFC 1123 and compact dates`(text: String, expected: String) throws {
        let table = try OperatorsTests.run("print d = todatetime('\(text)')")
        #expect(table.rows == [[.datetime(DateTime(iso8601: expected)!)]], "\(text)")
    }

    @Test(arguments: ["not a date", "Foo 2 Dec 2022", "20221302", "13-01-2022"])
    func `todatetime of text that is no date is null`(text: String) throws {
        let table = try OperatorsTests.run("print d = todatetime('\(text)')")
        #expect(table.rows == [[.null]], "\(text)")
    }
}
