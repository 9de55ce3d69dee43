/// Hostile bytes at every reader of untrusted input: huge lines, deep nesting, invalid UTF-8, NUL
/// bytes, numbers out of range, duplicate keys. Each gives a clear error or a bounded result.

import Foundation
import RowDecoding
import TableModel
import Testing
import Workspace

struct HostileInputTests {
    /// A saved query response around one dynamic cell given as raw JSON text.
    static func response(cell: String, type: String = "dynamic") -> [UInt8] {
        Array(
            """
            {"tables":[{"name":"PrimaryResult","columns":[{"name":"c","type":"\(type)"}],"rows":[[\(cell)]]}]}
            """.utf8)
    }

    /// One Key Vault record line with `extra` spliced into its properties.
    static func record(_ extra: String) -> String {
        """
        {"time":"2026-11-02T08:00:00Z","resourceId":"/SUBSCRIPTIONS/S/RESOURCEGROUPS/R/PROVIDERS/\
        MICROSOFT.KEYVAULT/VAULTS/KV","operationName":"KeyGet","category":"AuditEvent",\
        "properties":{"id":"https://kv.vault.azure.net/keys/k"\(extra)}}
        """
    }

    /// Ingests `bytes` as a PT1H.json file into a fresh in-memory workspace.
    static func ingest(_ bytes: [UInt8]) throws -> IngestSummary {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("PT1H.json").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return try Workspace.inMemory().ingest(paths: [path])
    }

    // MARK: - Deep nesting

    @Test func `ten thousand levels of nesting are refused by depth, not by the stack`() throws {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let deepObject = String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        for text in [deep, deepObject] {
            #expect {
                _ = try JSONParser.parse(text)
            } throws: { error in
                "\(error)".contains("nesting deeper than \(JSONParser.maxDepth)")
            }
            #expect(throws: ResponseDecodingError.self) {
                _ = try QueryResponseDecoder.decode(bytes: Self.response(cell: text))
            }
            // A dynamic cell holding deep JSON as a string stays a string rather than overflowing.
            let quoted = JSONText.quoted(text)
            let decoded = try QueryResponseDecoder.decode(bytes: Self.response(cell: quoted))
            #expect(decoded.tables.first?.rows.first?.first == .dynamic(.string(text)))
        }
        let summary = try Self.ingest(Array((Self.record(",\"deep\":" + deep) + "\n" + Self.record("")).utf8))
        #expect(summary.totalRows == 1)
        #expect(summary.rejected.count == 1)
        #expect(summary.rejected.first?.line == 1, "\(summary.rejected)")
        #expect(summary.rejected.first?.reason.contains("nesting") == true, "\(summary.rejected)")
    }

    // MARK: - Invalid UTF-8 and NUL bytes

    @Test(
        arguments: [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFF], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80]] as [[UInt8]])
    func `invalid UTF-8 in a string is an error naming the byte offset`(bad: [UInt8]) throws {
        let json = Array("{\"a\":\"x".utf8) + bad + Array("\"}".utf8)
        #expect {
            _ = try JSONParser.parse(bytes: json)
        } throws: { error in
            "\(error)".contains("invalid UTF-8") && "\(error)".contains("byte")
        }
        let body =
            Array("{\"tables\":[{\"name\":\"T\",\"columns\":[{\"name\":\"c\",\"type\":\"string\"}],\"rows\":[[\"".utf8)
            + bad + Array("\"]]}]}".utf8)
        #expect(throws: ResponseDecodingError.self) { _ = try QueryResponseDecoder.decode(bytes: body) }
        let line = Array(Self.record(",\"u\":\"").utf8.dropLast(2)) + bad + Array("\"}}\n".utf8)
        let summary = try Self.ingest(line + Array((Self.record("") + "\n").utf8))
        #expect(summary.totalRows == 1 && summary.rejected.count == 1, "\(summary.rejected)")
    }

    @Test func `a raw NUL byte is refused and an escaped one is kept exactly`() throws {
        #expect(throws: JSONParseError.self) {
            _ = try JSONParser.parse(bytes: Array("[\"a".utf8) + [0] + Array("\"]".utf8))
        }
        #expect(throws: JSONParseError.self) { _ = try JSONParser.parse(bytes: [0x5B, 0x00, 0x5D]) }
        #expect(try JSONParser.parse("[\"a\\u0000b\"]") == .array([.string("a\u{0}b")]))
        let decoded = try QueryResponseDecoder.decode(bytes: Self.response(cell: "\"a\\u0000b\"", type: "string"))
        #expect(decoded.tables.first?.rows == [[.string("a\u{0}b")]])
        // A NUL inside a record value survives ingest (SQLite text with an embedded NUL).
        let summary = try Self.ingest(Array((Self.record(",\"n\":\"x\\u0000y\"") + "\n").utf8))
        #expect(summary.totalRows == 1, "\(summary.rejected)")
    }

    // MARK: - Numbers out of range

    @Test(arguments: [
        ("long", "9223372036854775808"), ("long", "-9223372036854775809"), ("int", "2147483648"), ("long", "1e400"),
        ("real", "1e400"), ("datetime", "\"10000-01-01T00:00:00Z\""), ("timespan", "\"99999999999.00:00:00\""),
        ("guid", "\"not-a-guid\""), ("decimal", "\"1e99999\""), ("long", "1.5"),
    ])
    func `a number out of its column's range is a clear error or an exact value`(type: String, cell: String) {
        do {
            let decoded = try QueryResponseDecoder.decode(bytes: Self.response(cell: cell, type: type))
            // Accepted only as a faithful value: never a silently wrapped or truncated integer.
            let value = decoded.tables.first?.rows.first?.first
            #expect(value != .long(Int64.min) && value != .long(Int64.max) && value != .int(Int32.min), "\(cell)")
        } catch {
            #expect("\(error)".contains("c"), "\(error)")
        }
    }

    @Test func `out-of-range numbers in JSON keep their magnitude or are refused`() throws {
        #expect(try JSONParser.parse("[9223372036854775807]") == .array([.long(.max)]))
        let big = try JSONParser.parse("[9223372036854775808]")
        #expect(big == .array([.real(9_223_372_036_854_775_808)]))
        // Past the double range the parser gives infinity (JSON cannot spell it otherwise), never a wrap.
        #expect(try JSONParser.parse("[1e400, -1e400]") == .array([.real(.infinity), .real(-.infinity)]))
        #expect(throws: JSONParseError.self) {
            _ = try JSONParser.parse("[1" + String(repeating: "0", count: 400) + "]")
        }
        #expect(throws: JSONParseError.self) { _ = try JSONParser.parse("[-]") }
    }

    // MARK: - Duplicate keys

    @Test func `duplicate keys resolve the same way in every reader`() throws {
        let text = "{\"a\":1,\"a\":2}"
        #expect(try JSONParser.parse(text) == .object(["a": .long(2)]))
        let decoded = try QueryResponseDecoder.decode(bytes: Self.response(cell: text))
        #expect(decoded.tables.first?.rows.first?.first == .dynamic(.object(["a": .long(2)])))
        let quoted = try QueryResponseDecoder.decode(bytes: Self.response(cell: JSONText.quoted(text)))
        #expect(quoted.tables.first?.rows.first?.first == .dynamic(.object(["a": .long(2)])))
    }

    // MARK: - A long single line

    /// 16 MB in one line through the streaming decoder: its buffer grows to the longest value only.
    @Test func `a long single-line response streams with a buffer bounded by its longest value`() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("response.json").path
        let row = "[\"" + String(repeating: "x", count: 1_000) + "\"],"
        var body = "{\"tables\":[{\"name\":\"T\",\"columns\":[{\"name\":\"c\",\"type\":\"string\"}],\"rows\":["
        body += String(repeating: row, count: 16_000) + "[\"end\"]]}]}"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(body.utf8)))
        let reader = try ResponseFileReader(path: path)
        var rows = 0
        while let event = try reader.next() {
            if case .row = event { rows += 1 }
        }
        #expect(rows == 16_001)
        #expect(reader.bytesRead == body.utf8.count)
    }
}
