/// The scanner on hand-made bodies: every fraction length, escapes split across chunks, and refusals.

import Foundation
import RowDecoding
import TableModel
import Testing

struct ResponseScannerEdgeTests {
    private func body(_ columns: String, _ rows: String, extra: String = "") -> [UInt8] {
        Array("{\"tables\":[{\"name\":\"T\",\"columns\":[\(columns)],\"rows\":[\(rows)]}]\(extra)}".utf8)
    }

    private func rows(_ bytes: [UInt8]) throws -> [[Value]] {
        try QueryResponseDecoder.decode(bytes: bytes).tables.first?.rows ?? []
    }

    @Test(arguments: [
        ("2024-02-29T12:34:56Z", Int64(0)), ("2024-02-29T12:34:56.1Z", 1_000_000),
        ("2024-02-29T12:34:56.12Z", 1_200_000), ("2024-02-29T12:34:56.123Z", 1_230_000),
        ("2024-02-29T12:34:56.1234Z", 1_234_000), ("2024-02-29T12:34:56.12345Z", 1_234_500),
        ("2024-02-29T12:34:56.123456Z", 1_234_560), ("2024-02-29T12:34:56.1234567Z", 1_234_567),
    ])
    func `datetimes with 0 to 7 fraction digits are exact to 100 ns`(text: String, fraction: Int64) throws {
        let bytes = body("{\"name\":\"t\",\"type\":\"datetime\"}", "[\"\(text)\"]")
        let expected = DateTime.from(
            year: 2024, month: 2, day: 29, hour: 12, minute: 34, second: 56, fraction: fraction)!
        #expect(try rows(bytes) == [[.datetime(expected)]])
    }

    @Test func `longs at both ends of Int64 and a timespan with days and sign`() throws {
        let bytes = body(
            "{\"name\":\"a\",\"type\":\"long\"},{\"name\":\"b\",\"type\":\"long\"},"
                + "{\"name\":\"c\",\"type\":\"timespan\"}",
            "[-9223372036854775808,9007199254740993,\"-2.00:00:02.0020002\"]")
        #expect(
            try rows(bytes) == [
                [
                    .long(.min), .long(9_007_199_254_740_993),
                    .timespan(Timespan(ticks: -(2 * 86_400 + 2) * 10_000_000 - 20_002)),
                ]
            ])
    }

    @Test func `a long one past Int64 max is refused, not rounded`() {
        let bytes = body("{\"name\":\"a\",\"type\":\"long\"}", "[9223372036854775808]")
        #expect {
            try rows(bytes)
        } throws: { error in
            "\(error)".contains("column 'a' is declared long but holds 9223372036854775808")
        }
    }

    @Test func `escapes and multi-byte characters split across every chunk boundary`() {
        let text = "caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\ \\/ \\n\\t é 中"
        let bytes = body("{\"name\":\"s\",\"type\":\"string\"}", "[\"\(text)\"]")
        let whole = Canonical.scan(bytes, chunkSizes: [bytes.count])
        #expect(whole.contains("row string:" + JSONText.quoted("café 😀 \"q\" \\ / \n\t é 中")))
        for size in 1...7 { #expect(Canonical.scan(bytes, chunkSizes: [size]) == whole) }
    }

    @Test func `several tables come out in order`() throws {
        let table = "{\"name\":\"N\",\"columns\":[{\"name\":\"x\",\"type\":\"int\"}],\"rows\":[[1],[2]]}"
        let first = table.replacingOccurrences(of: "\"N\"", with: "\"A\"")
        let second = table.replacingOccurrences(of: "\"N\"", with: "\"B\"")
        let text = "{\"tables\":[" + first + "," + second + "]}"
        let bytes = Array(text.utf8)
        #expect(
            Canonical.scan(bytes, chunkSizes: [2]) == [
                "start A x:int", "row int:1", "row int:2", "end A 2", "start B x:int", "row int:1", "row int:2",
                "end B 2",
            ])
    }

    @Test func `whitespace between tokens is accepted`() throws {
        let text =
            " {\n \"tables\" : [ { \"name\" : \"T\" , \"columns\" : [ { \"name\" : \"x\" , \"type\" : \"long\" } ] ,"
            + " \"rows\" : [ [ 1 ] , [ 2 ] ] } ] }\n"
        let bytes = Array(text.utf8)
        #expect(try rows(bytes) == [[.long(1)], [.long(2)]])
    }

    @Test func `dynamic JSON text keeps the last of duplicate keys and non-JSON text as a string`() throws {
        let bytes = body(
            "{\"name\":\"d\",\"type\":\"dynamic\"}",
            "[\"{\\\"a\\\":1,\\\"a\\\":[2,\\\"x\\\"]}\"],[\"{not json\"],[\"[1,\"]")
        #expect(
            try rows(bytes) == [
                [.dynamic(.object(["a": .array([.long(2), .string("x")])]))], [.dynamic(.string("{not json"))],
                [.dynamic(.string("[1,"))],
            ])
    }

    @Test func `a dynamic cell sent as a JSON object and an error of null`() throws {
        let bytes = body("{\"name\":\"d\",\"type\":\"dynamic\"}", "[{\"k\":[1,2.5,null]}]", extra: ",\"error\":null")
        let response = try QueryResponseDecoder.decode(bytes: bytes)
        #expect(response.tables[0].rows == [[.dynamic(.object(["k": .array([.long(1), .real(2.5), .null])]))]])
        #expect(response.partialError == nil)
    }

    @Test(arguments: [
        ("[[1,2]]", "has more cells than its 1 columns"), ("[[]]", "has 0 cells, not 1"),
        ("[[\"x\"]]", "declared long but holds \"x\""),
        ("[[1.5]]", "declared long but holds 1.5"), ("[[01]]", "malformed number"), ("[[tru]]", "unexpected word"),
    ])
    func `bad rows are refused with the table, row and column named`(rows rowText: String, message: String) {
        let bytes = body("{\"name\":\"a\",\"type\":\"long\"}", String(rowText.dropFirst().dropLast()))
        let result = Canonical.scan(bytes, chunkSizes: [3])
        #expect(result.last?.contains(message) == true, "\(result)")
        // Fed whole, the row goes through the fast path; the outcome must not change.
        #expect(Canonical.scan(bytes, chunkSizes: [bytes.count]) == result)
    }

    @Test func `rows before columns, unknown types, trailing text and empty bodies are refused`() {
        let cases: [(String, String)] = [
            ("{\"tables\":[{\"name\":\"T\",\"rows\":[],\"columns\":[]}]}", "rows before (or without) its columns"),
            (
                "{\"tables\":[{\"name\":\"T\",\"columns\":[{\"name\":\"x\",\"type\":\"weird\"}],\"rows\":[]}]}",
                "unknown type 'weird'"
            ),
            ("{\"tables\":[]} x", "unexpected word 'x'"),
            ("{\"tables\":[]}{}", "unexpected text after the response object"),
            ("", "the body is empty"),
            ("[1]", "not a JSON object"),
            ("{\"tables\":[{\"name\":\"T\",\"columns\":[]}]}", "has no 'rows' array"),
            ("{\"tables\":[\"a\u{01}\"]}", "control character"),
        ]
        for (text, message) in cases {
            let result = Canonical.scan(Array(text.utf8), chunkSizes: [1])
            #expect(result.last?.contains(message) == true, "\(text): \(result)")
        }
    }

    @Test func `invalid UTF-8 inside a string is refused`() {
        var bytes = body("{\"name\":\"s\",\"type\":\"string\"}", "[\"ab\"]")
        let index = bytes.lastIndex(of: UInt8(ascii: "b"))!
        bytes[index] = 0xFF
        #expect(Canonical.scan(bytes, chunkSizes: [4]).last?.contains("invalid UTF-8") == true)
    }

    @Test func `memory stays bounded by the longest value, not the body`() throws {
        var text = "{\"tables\":[{\"name\":\"T\",\"columns\":[{\"name\":\"s\",\"type\":\"string\"}],\"rows\":["
        let row = "[\"" + String(repeating: "x", count: 100) + "\"]"
        text += Array(repeating: row, count: 20_000).joined(separator: ",") + "]}]}"
        let bytes = Array(text.utf8)
        let scanner = ResponseScanner()
        var count = 0
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + 4096, bytes.count)
            scanner.feed(bytes[offset..<end])
            offset = end
            while let event = try scanner.next() { if case .row = event { count += 1 } }
        }
        scanner.finish()
        while try scanner.next() != nil {}
        #expect(count == 20_000)
        #expect(scanner.bufferCapacity <= 1 << 16)
    }
}

struct GUIDCellTests {
    private func decode(_ text: String) -> [String] {
        let body =
            "{\"tables\":[{\"name\":\"T\",\"columns\":[{\"name\":\"g\",\"type\":\"guid\"}],\"rows\":[[\"\(text)\"]]}]}"
        return Canonical.scan(Array(body.utf8), chunkSizes: [body.utf8.count])
    }

    @Test(arguments: [
        "74be27de-1e4e-49d9-b579-fe0b331d3642", "74BE27DE-1E4E-49D9-B579-FE0B331D3642",
        "00000000-0000-0000-0000-000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff", "0a1B2c3D-4e5F-6a7B-8c9D-0e1f2A3b4C5d",
    ])
    func `GUIDs of either case read the same as Foundation reads them`(text: String) {
        #expect(decode(text).contains("row guid:" + UUID(uuidString: text)!.uuidString))
    }

    @Test(arguments: [
        "74be27de-1e4e-49d9-b579-fe0b331d364g", "74be27de-1e4e-49d9-b579-fe0b331d364",
        "74be27de+1e4e-49d9-b579-fe0b331d3642",
        "74be27de-1e4e-49d9-b579-fe0b331d364é", "7:be27de-1e4e-49d9-b579-fe0b331d3642",
        "74be27de-1e4e-49d9-b579-fe0b331d36@2",
    ])
    func `anything else in a guid column is refused`(text: String) {
        #expect(decode(text).last?.contains("is declared guid but holds") == true)
    }
}
