/// Exact values the scanner reads from the real recorded responses.

import Foundation
import RowDecoding
import TableModel
import Testing

struct ResponseScannerValueTests {
    private func decode(_ name: String) throws -> DecodedResponse {
        try QueryResponseDecoder.decode(fileAt: LAFixtures.url(name))
    }

    @Test func `all ten types arrive exactly as recorded`() throws {
        let response = try decode("all-types.json")
        #expect(response.partialError == nil)
        let row = try #require(response.tables.first?.rows.first)
        #expect(
            row[0]
                == .datetime(
                    DateTime.from(
                        year: 2015, month: 12, day: 31, hour: 23, minute: 59, second: 59,
                        fraction: 9_000_000)!))
        #expect(row[1] == .bool(false))
        #expect(row[2] == .guid(UUID(uuidString: "74be27de-1e4e-49d9-b579-fe0b331d3642")!))
        #expect(row[3] == .int(12345))
        #expect(row[4] == .long(1_234_567_890_123))
        #expect(row[5] == .real(12345.6789))
        #expect(row[6] == .string("string value"))
        #expect(row[7] == .timespan(Timespan(seconds: 10)))
        #expect(row[8] == .decimal(Decimal(string: "0.10101")!))
        #expect(row[9] == .null)
    }

    @Test func `nulls stay typed nulls but a string is never null`() throws {
        let row = try #require(try decode("all-types-nulls.json").tables.first?.rows.first)
        #expect(row.filter(\.isNull).count == 9)
        #expect(row[6] == .string("I cant be null"))
    }

    @Test func `extremes survive: max long never goes through Double`() throws {
        let row = try #require(try decode("handwritten-grafana-all-types-extremes.json").tables.first?.rows.first)
        #expect(row[5] == .int(Int32.max))
        #expect(row[6] == .long(Int64.max))
        #expect(row[7] == .real(.greatestFiniteMagnitude))
        #expect(row[8] == .timespan(Timespan(ticks: 1)))
        #expect(row[9] == .decimal(Decimal(string: "79228162514264337593543950335")!))
        #expect(
            row[3]
                == .dynamic(
                    .array([
                        .object(["person": .string("Alex")]), .object(["cats": .long(23)]),
                        .object(["diagnosis": .string("cat problem")]),
                    ])))
    }

    @Test func `real columns read NaN and both infinities from strings`() throws {
        let row = try #require(try decode("handwritten-grafana-real-nan-inf.json").tables.first?.rows.first)
        guard case .real(let infinity) = row[0], case .real(let negative) = row[1], case .real(let nan) = row[2] else {
            throw TestFailure("not reals: \(row)")
        }
        #expect(infinity == .infinity)
        #expect(negative == -.infinity)
        #expect(nan.isNaN)
    }

    @Test func `a datetime without fraction digits is whole seconds`() throws {
        let row = try #require(try decode("print-types-datetime-no-fraction.json").tables.first?.rows.first)
        #expect(row[2] == .datetime(DateTime.from(year: 2000, month: 1, day: 2, hour: 3, minute: 4, second: 5)!))
        #expect(row[5] == .real(102.1))
    }

    @Test func `dynamic holds bare strings and JSON text, a string column keeps JSON as text`() throws {
        let response = try decode("partial-error-datasize-dynamic-strings.json")
        let row = try #require(response.tables.first?.rows.first)
        #expect(
            row[0]
                == .datetime(
                    DateTime.from(
                        year: 2022, month: 6, day: 3, hour: 19, minute: 50, second: 29,
                        fraction: 430_000)!))
        #expect(row[1] == .dynamic(.string("boundedElastic-1")))
        #expect(row[4] == .null)
        #expect(
            row[6]
                == .string(
                    "{\"az.sdk.message\":\"Sending batch to be distributed round-robin in service.\",\"size\":500}"))
        let inner = response.partialError?["details"].flatMap { detail -> Dynamic? in
            if case .array(let items) = detail { return items.first?["innererror"] }
            return nil
        }
        #expect(inner?["code"] == .string("-2133196797"))
        #expect(inner?["message"]?.stringValue?.contains("data size limit 64000000") == true)
    }

    @Test func `a truncated result carries its partial error`() throws {
        let response = try decode("partial-error-truncated.json")
        #expect(response.tables.first?.rows == [[.string("a")]])
        #expect(response.partialError?["code"] == .string("PartialError"))
    }

    @Test func `a hundred rows of all types, with statistics and render skipped`() throws {
        let response = try decode("multi-row-100.json")
        #expect(response.tables.count == 1)
        let table = try #require(response.tables.first)
        #expect(table.rows.count == 100)
        #expect(table.rows.map { $0[0] } == (1...100).reversed().map { .long(Int64($0)) })
        #expect(
            table.rows[0][11]
                == .dynamic(
                    .object([
                        "a": .long(123), "b": .string("hello"), "c": .array([.long(1), .long(2), .long(3)]),
                        "d": .object([:]),
                    ])))
        #expect(response.partialError == nil)
    }

    @Test func `a wide resource-centric result with seven-digit datetimes`() throws {
        let table = try #require(try decode("wide-resource-query.json").tables.first)
        #expect(table.columns.count == 101)
        #expect(table.columns[0] == Column("$table", .string))
        #expect(table.rows.count == 30)
        let datetimes = table.columns.indices.filter { table.columns[$0].type == .datetime }
        let sevenDigit = table.rows.flatMap { row in datetimes.map { row[$0] } }.contains { value in
            if case .datetime(let instant) = value { return instant.ticks % 10 != 0 }
            return false
        }
        #expect(sevenDigit)
    }

    @Test func `a table named getschema keeps its name`() throws {
        let table = try #require(try decode("getschema.json").tables.first)
        #expect(table.name == "getschema")
        #expect(table.rows.count == 31)
        #expect(table.rows[2] == [.string("TimeGenerated"), .int(2), .string("System.DateTime"), .string("datetime")])
    }

    @Test func `an error body is not a query response`() throws {
        #expect(throws: ResponseDecodingError.self) { try decode("semantic-error-400.json") }
        #expect(throws: ResponseDecodingError.self) { try decode("batch-mixed-out-of-order.json") }
    }

    @Test func `the in-memory decoder gives the same tables as the file decoder`() throws {
        for name in ["multi-row-100.json", "wide-resource-query.json", "all-types.json"] {
            let fromBytes = try QueryResponseDecoder.decode(bytes: LAFixtures.bytes(name))
            let fromFile = try decode(name)
            #expect(fromBytes.tables == fromFile.tables)
        }
    }
}
