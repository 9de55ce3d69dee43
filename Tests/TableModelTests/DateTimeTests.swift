/// Tests of DateTime and Timespan: parsing and printing the forms logs and the query API use.

import Testing

@testable import TableModel

struct DateTimeTests {
    @Test(arguments: [
        ("2000-01-02T03:04:05Z", "2000-01-02T03:04:05Z"),
        ("2015-12-31T23:59:59.9Z", "2015-12-31T23:59:59.9Z"),
        ("2022-06-03T19:50:29.043Z", "2022-06-03T19:50:29.043Z"),
        ("2023-04-05T21:00:23.2559518Z", "2023-04-05T21:00:23.2559518Z"),
        ("0001-01-01T00:00:00.0000000Z", "0001-01-01T00:00:00Z"),
        ("2024-02-29T12:00:00+02:00", "2024-02-29T10:00:00Z"),
        ("2024-03-01T00:30:00-01:00", "2024-03-01T01:30:00Z"),
        ("2024-03-01 00:30:00", "2024-03-01T00:30:00Z"),
        ("2024-03-01", "2024-03-01T00:00:00Z"),
        ("9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.9999999Z"),
    ])
    func `parses ISO 8601 forms to the exact instant`(input: String, expected: String) throws {
        let instant = try #require(DateTime(iso8601: input))
        #expect(instant.apiText == expected)
    }

    @Test func `a time without a zone is UTC`() throws {
        let zoned = try #require(DateTime(iso8601: "2026-11-02T08:15:00Z"))
        let plain = try #require(DateTime(iso8601: "2026-11-02T08:15:00"))
        #expect(zoned == plain)
    }

    @Test func `keeps 100 ns ticks exactly`() throws {
        let instant = try #require(DateTime(iso8601: "2023-04-05T21:00:23.0000001Z"))
        let whole = try #require(DateTime(iso8601: "2023-04-05T21:00:23Z"))
        #expect(instant.ticks - whole.ticks == 1)
        #expect(instant.kustoText == "2023-04-05T21:00:23.0000001Z")
    }

    @Test func `unix epoch is where Kusto puts it`() throws {
        let epoch = try #require(DateTime(iso8601: "1970-01-01T00:00:00Z"))
        #expect(epoch.ticks == DateTime.unixEpochTicks)
        #expect(DateTime(unixSeconds: 86_400).apiText == "1970-01-02T00:00:00Z")
    }

    @Test(arguments: [
        "2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2024-13-01", "24-01-01", "2024-01-01T25:00Z",
        "2024-01-01T00:00:00Zjunk", "",
    ])
    func `refuses malformed or impossible times`(input: String) {
        #expect(DateTime(iso8601: input) == nil)
    }

    @Test func `round-trips every day of a leap-year cycle`() throws {
        var instant = try #require(DateTime(iso8601: "1999-12-25T00:00:00Z"))
        for _ in 0..<(366 * 5) {
            let text = instant.apiText
            #expect(DateTime(iso8601: text) == instant)
            instant.ticks += DateTime.ticksPerDay
        }
    }

    @Test(arguments: [
        ("00:00:10", Int64(10 * 10_000_000)),
        ("00:00:00.0000001", Int64(1)),
        ("1.00:00:01.0010001", Int64(864_010_010_001)),
        ("-2.00:00:02.0020002", Int64(-1_728_020_020_002)),
    ])
    func `timespans parse and print in the .NET c format`(text: String, ticks: Int64) throws {
        let span = try #require(Timespan(text: text))
        #expect(span.ticks == ticks)
        #expect(span.text == text)
    }
}
