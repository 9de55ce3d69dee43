/// KQL literals cannot break out of their quotes.

import Foundation
import LogAnalytics
import TableModel
import Testing

struct KQLLiteralTests {
    @Test(arguments: [
        ("kv-contoso", "\"kv-contoso\""), ("a\"b", "\"a\\\"b\""), ("back\\slash", "\"back\\\\slash\""),
        ("line\nbreak\r\ttab", "\"line\\nbreak\\r\\ttab\""), ("\" | take 1 //", "\"\\\" | take 1 //\""),
        ("é中", "\"é中\""),
    ])
    func `strings are quoted with every quote and backslash escaped`(text: String, literal: String) {
        #expect(KQLLiteral.string(text) == literal)
    }

    @Test func `other control characters are refused`() {
        #expect(KQLLiteral.string("a\u{0}b") == nil)
        #expect(KQLLiteral.string("a\u{1B}b") == nil)
    }

    @Test func `typed values use typed literals`() {
        let instant = DateTime.from(year: 2024, month: 1, day: 2, hour: 3, minute: 4, second: 5, fraction: 6)!
        #expect(KQLLiteral.datetime(instant) == "datetime(2024-01-02T03:04:05.0000006Z)")
        #expect(
            KQLLiteral.guid(UUID(uuidString: "74BE27DE-1E4E-49D9-B579-FE0B331D3642")!)
                == "guid(74be27de-1e4e-49d9-b579-fe0b331d3642)")
        #expect(KQLLiteral.long(-5) == "long(-5)")
        #expect(KQLLiteral.timespan(Timespan(seconds: 90_061)) == "time(1.01:01:01)")
    }
}
