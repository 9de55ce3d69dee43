/// Tests that values are written exactly as the Log Analytics query API writes them.

import Foundation
import Testing

@testable import TableModel

struct QueryResponseJSONTests {
    @Test func `encodes every type as the query API does`() throws {
        let columns = ColumnType.allCases.map { Column("c_\($0.rawValue)", $0) }
        let instant = try #require(DateTime(iso8601: "2023-04-05T21:00:23.2559518Z"))
        let row: [Value] = [
            .bool(true), .datetime(instant), .decimal(Decimal(string: "0.10101")!),
            .dynamic(.object(["a": .long(1)])), .guid(UUID(uuidString: "74BE27DE-1E4E-49D9-B579-FE0B331D3642")!),
            .int(2_147_483_647), .long(.max), .real(.nan), .string("x"), .timespan(Timespan(ticks: 1)),
        ]
        let nulls = [Value](repeating: .null, count: columns.count)
        let text = QueryResponseJSON.encode([Table(columns: columns, rows: [row, nulls])])
        #expect(text.contains(#"[true,"2023-04-05T21:00:23.2559518Z","0.10101","{\"a\":1}","#))
        #expect(text.contains(#""74be27de-1e4e-49d9-b579-fe0b331d3642",2147483647,9223372036854775807,"NaN","x","#))
        #expect(text.contains(#""00:00:00.0000001"]"#))
        #expect(text.contains(#"[null,null,null,null,null,null,null,null,"",null]"#))
        let parsed = try JSONParser.parse(text)
        guard case .array(let tables)? = parsed["tables"] else {
            Issue.record("no tables")
            return
        }
        #expect(tables.first?["name"] == .string("PrimaryResult"))
    }

    @Test func `a dynamic string is sent bare, not re-quoted`() {
        #expect(Value.dynamic(.string("boundedElastic-1")).apiJSON(as: .dynamic) == #""boundedElastic-1""#)
        #expect(Value.dynamic(.array([])).apiJSON(as: .dynamic) == #""[]""#)
    }

    @Test func `tostring renders as Kusto does`() throws {
        #expect(Value.bool(true).kqlString == "True")
        #expect(Value.null.kqlString == "")
        #expect(Value.dynamic(.array([])).kqlString == "[]")
        #expect(Value.dynamic(.string("a")).kqlString == "a")
        let instant = try #require(DateTime(iso8601: "2020-01-01T00:00:00Z"))
        #expect(Value.datetime(instant).kqlString == "2020-01-01T00:00:00.0000000Z")
    }
}
