/// The decimal type: literals, `todecimal()`, arithmetic, comparisons and refusals.

import Foundation
import KQLEngine
import TableModel
import Testing

struct DecimalsTests {
    private func decimal(_ text: String) -> Value { .decimal(Decimal(string: text)!) }

    @Test func `decimal literals and todecimal give decimals, and unreadable text gives null`() throws {
        let table = try OperatorsTests.run(
            """
            print a = decimal(0.1), b = todecimal("3.14159"), c = todecimal("abc"), d = todecimal(10),
                e = todecimal(" 12.5 "), f = todecimal("12abc"), g = decimal(1e5), h = todecimal("-0.0")
            """)
        #expect(table.columns.allSatisfy { $0.type == .decimal })
        #expect(
            table.rows == [
                [
                    decimal("0.1"), decimal("3.14159"), .null, decimal("10"), decimal("12.5"), .null,
                    decimal("100000"), decimal("0"),
                ]
            ])
    }

    @Test func `decimal arithmetic is exact and stays decimal with integers`() throws {
        let table = try OperatorsTests.run(
            """
            print sum = decimal(0.1) + decimal(0.2), eq = decimal(0.1) + decimal(0.2) == decimal(0.3),
                withInt = todecimal(1) + toint(1), product = todecimal(2147483648) * 2,
                mod = todecimal(10) % todecimal(3), negMod = todecimal(-7) % 3, neg = -decimal(2.5),
                byZero = decimal(1) / 0, t = gettype(todecimal(10) / 3)
            """)
        #expect(
            table.columns.map(\.type) == [
                .decimal, .bool, .decimal, .decimal, .decimal, .decimal, .decimal, .decimal, .string,
            ])
        #expect(
            table.rows == [
                [
                    decimal("0.3"), .bool(true), decimal("2"), decimal("4294967296"), decimal("1"),
                    decimal("2"), decimal("-2.5"), .null, .string("decimal"),
                ]
            ])
    }

    @Test func `a non-terminating quotient keeps 38 significant digits`() throws {
        let table = try OperatorsTests.run("print q = decimal(1) / decimal(3)")
        guard case .decimal(let q) = table.rows[0][0] else {
            Issue.record("expected a decimal")
            return
        }
        #expect("\(q)" == "0." + String(repeating: "3", count: 38))
        #expect(abs(NSDecimalNumber(decimal: q).doubleValue - 1.0 / 3.0) < 1e-15)
    }

    @Test func `conversions from decimal truncate toward zero and print plainly`() throws {
        let table = try OperatorsTests.run(
            """
            print i = toint(todecimal("9.99")), n = tolong(todecimal("-9.99")),
                r = todouble(todecimal("1.5")), s = tostring(todecimal("100")),
                back = tolong(tostring(todecimal("100")))
            """)
        #expect(table.rows == [[.int(9), .long(-9), .real(1.5), .string("100"), .long(100)]])
    }

    @Test func `decimal columns of datatable take numbers and compare with integers and reals`() throws {
        let table = try OperatorsTests.run(
            """
            datatable(d:decimal)[decimal(10), 3, 0.5, decimal(null)]
            | extend big = d > 2, half = d == 0.5, t = gettype(d)
            | order by d asc
            """)
        #expect(
            table.rows == [
                [.null, .null, .bool(false), .string("decimal")],
                [decimal("0.5"), .bool(false), .bool(true), .string("decimal")],
                [decimal("3"), .bool(true), .bool(false), .string("decimal")],
                [decimal("10"), .bool(true), .bool(false), .string("decimal")],
            ])
    }

    @Test(arguments: [
        "print decimal(1) + 1.5",
        "print round(decimal(1.5))",
        "print ceiling(decimal(1.5))",
        "datatable(d:decimal)[decimal(1)] | summarize sum(d)",
        "datatable(d:decimal)[decimal(1)] | summarize avg(d)",
        "print todecimal(datetime(2020-01-01))",
    ])
    func `uses of decimals the engine has not verified are refused as unsupported`(query: String) {
        #expect {
            _ = try OperatorsTests.run(query)
        } throws: { "\($0)".hasPrefix("unsupported:") }
    }
}
