/// The row visitor (typed cells over the buffer) against the event API, and its fast paths against
/// independent parsers.

import Foundation
import RowDecoding
import TableModel
import Testing

/// Records what a visitor is handed, in the canonical text form of the event API.
struct RecordingVisitor: ResponseVisitor {
    var events: [String] = []

    mutating func visitTableStart(name: String, columns: [Column]) {
        events.append(Canonical.event(.tableStart(name: name, columns: columns)))
    }

    mutating func visitRow(_ row: RowCells) {
        events.append(Canonical.event(.row(row.map(\.value))))
    }

    mutating func visitTableEnd(name: String, rowCount: Int) {
        events.append(Canonical.event(.tableEnd(name: name, rowCount: rowCount)))
    }

    mutating func visitPartialError(_ error: Dynamic) {
        events.append(Canonical.event(.partialError(error)))
    }

    /// Feeds `bytes` in chunks of `size` and visits after each; returns the events or the error.
    static func scan(_ bytes: [UInt8], chunk size: Int) -> [String] {
        let scanner = ResponseScanner()
        var visitor = RecordingVisitor()
        var offset = 0
        do {
            while offset < bytes.count {
                let end = min(offset + size, bytes.count)
                scanner.feed(bytes[offset..<end])
                offset = end
                try scanner.scan(into: &visitor)
            }
            scanner.finish()
            try scanner.scan(into: &visitor)
        } catch {
            visitor.events.append("failed: \(error)")
        }
        return visitor.events
    }
}

struct ResponseVisitorTests {
    private func body(_ columns: String, _ rows: String) -> [UInt8] {
        Array("{\"tables\":[{\"name\":\"T\",\"columns\":[\(columns)],\"rows\":[\(rows)]}]}".utf8)
    }

    @Test(arguments: LAFixtures.names)
    func `the visitor sees what the event API reports, in any chunking`(name: String) throws {
        let bytes = try LAFixtures.bytes(name)
        let expected = Canonical.scan(bytes, chunkSizes: [bytes.count])
        for size in [1, 2, 7, 64, bytes.count] {
            #expect(RecordingVisitor.scan(bytes, chunk: size) == expected, "chunk size \(size)")
        }
    }

    @Test func `the visitor reads a response file the same way`() throws {
        let reader = try ResponseFileReader(path: LAFixtures.url("multi-row-100.json").path, chunkSize: 333)
        var visitor = RecordingVisitor()
        try reader.scan(into: &visitor)
        let bytes = try LAFixtures.bytes("multi-row-100.json")
        #expect(visitor.events == Canonical.scan(bytes, chunkSizes: [bytes.count]))
        #expect(visitor.events.filter { $0.hasPrefix("row ") }.count == 100)
    }

    /// Cells the fast path leaves to the general one: nested JSON, a dynamic number or bool, JSON in
    /// a string column, spaces everywhere.
    @Test func `rows the general path reads reach the visitor whole`() {
        let bytes = body(
            "{\"name\":\"d\",\"type\":\"dynamic\"},{\"name\":\"s\",\"type\":\"string\"}",
            "[{\"a\":[1,2.5,\"x\"]},{\"b\":null}], [ 12 , \"t\" ] ,[true,[1]],[-1.5e3,\"\"],[\"{\\\"k\\\":1}\",\"\\u00e9\"]"
        )
        let expected = [
            "start T d:dynamic,s:string",
            "row dynamic:{\"a\":[1,2.5,\"x\"]} | string:\"{\\\"b\\\":null}\"",
            "row dynamic:12 | string:\"t\"", "row dynamic:true | string:\"[1]\"",
            "row dynamic:-1500 | string:\"\"", "row dynamic:{\"k\":1} | string:\"é\"", "end T 5",
        ]
        #expect(Canonical.scan(bytes, chunkSizes: [bytes.count]) == expected)
        for size in [1, 5, bytes.count] { #expect(RecordingVisitor.scan(bytes, chunk: size) == expected) }
    }

    @Test func `text cells stay raw in the buffer until decoded`() throws {
        struct Texts: ResponseVisitor {
            var seen: [(raw: String, escaped: Bool, decoded: String, isOK: Bool)] = []
            mutating func visitRow(_ row: RowCells) {
                guard case .string(let text) = row[0] else { return }
                let raw = String(decoding: text.raw, as: UTF8.self)
                seen.append((raw, text.isEscaped, text.string, text.equals("OK")))
            }
        }
        let bytes = body("{\"name\":\"s\",\"type\":\"string\"}", "[\"OK\"],[\"a\\\"b\\u00e9\"],[null]")
        let scanner = ResponseScanner()
        scanner.feed(bytes)
        scanner.finish()
        var visitor = Texts()
        try scanner.scan(into: &visitor)
        #expect(visitor.seen.map(\.raw) == ["OK", "a\\\"b\\u00e9", ""])
        #expect(visitor.seen.map(\.escaped) == [false, true, false])
        #expect(visitor.seen.map(\.decoded) == ["OK", "a\"bé", ""])
        #expect(visitor.seen.map(\.isOK) == [true, false, false])
    }

    @Test func `a bad escape or invalid UTF-8 is refused by the visitor as by the event API`() {
        for text in ["a\\x", "\\ud800x", "\\udc00", "\\u12G4"] {
            let bytes = body("{\"name\":\"s\",\"type\":\"string\"}", "[\"ok\"],[\"\(text)\"]")
            let expected = Canonical.scan(bytes, chunkSizes: [bytes.count])
            #expect(expected.last?.hasPrefix("failed:") == true, "\(text)")
            #expect(RecordingVisitor.scan(bytes, chunk: 3) == expected, "\(text)")
        }
        var bytes = body("{\"name\":\"s\",\"type\":\"dynamic\"}", "[\"ab\"]")
        bytes[bytes.lastIndex(of: UInt8(ascii: "b"))!] = 0xC3
        #expect(RecordingVisitor.scan(bytes, chunk: 4).last?.contains("invalid UTF-8") == true)
    }

    /// The fast datetime reader agrees with TableModel's ISO 8601 parser, valid or not.
    @Test func `datetimes read straight from bytes agree with the ISO 8601 parser`() {
        var texts = [
            "2023-02-29T00:00:00Z", "2024-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2000-02-29T23:59:59.9999999Z",
            "2024-00-10T00:00:00Z", "2024-13-10T00:00:00Z", "2024-04-31T00:00:00Z", "2024-04-00T00:00:00Z",
            "2024-01-01T24:00:00Z", "2024-01-01T00:60:00Z", "2024-01-01T00:00:60Z", "0000-01-01T00:00:00Z",
            "0001-01-01T00:00:00.0000000Z", "9999-12-31T23:59:59.9999999Z", "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00.12345678Z", "2024-01-01T00:00:00.1a3Z", "2024-1-01T00:00:00Z",
            "2024-01-01 00:00:00Z", "2024-01-01T00:00:00", "2024-01-01T00:00:0/Z", "1970-01-01T00:00:00Z",
        ]
        var random = SeededRandom(state: 42)
        for _ in 0..<400 {
            let ticks = Int64.random(in: 0...DateTime.maxTicks, using: &random)
            let digits = Int.random(in: 0...7, using: &random)
            let scaled = ticks - ticks % [10_000_000, 1_000_000, 100_000, 10_000, 1000, 100, 10, 1][digits]
            texts.append(DateTime(ticks: scaled).apiText)
        }
        let rows = texts.map { "[\"\($0)\"]" }
        for (text, row) in zip(texts, rows) {
            let result = Canonical.scan(body("{\"name\":\"t\",\"type\":\"datetime\"}", row), chunkSizes: [1 << 20])
            if let instant = DateTime(iso8601: text) {
                #expect(result.contains("row datetime:\(instant.ticks)"), "\(text)")
            } else {
                #expect(result.last?.contains("is declared datetime but holds") == true, "\(text)")
            }
        }
    }

    /// Reals read without strtod agree bit for bit with `Double(String)`; integers in long and real
    /// columns keep their sign and range.
    @Test func `numbers read straight from bytes agree with the standard library`() {
        var texts = [
            "0", "-0", "0.0", "-0.0", "1", "-1", "200.0", "403.5", "0.1", "0.3", "123456789012345", "1234567890123456",
            "12345678901234567", "9007199254740993", "0.000000000000000000001", "1e5", "1E-5", "-2.5e+10",
            "1.7976931348623157E+308", "5E-324", "123456.789012345678", "99999999999999.9", "0.12345678901234567",
        ]
        var random = SeededRandom(state: 7)
        for _ in 0..<500 {
            let digits = (0..<Int.random(in: 1...17, using: &random)).map { _ in
                String(Int.random(in: 0...9, using: &random))
            }
            var text = digits.joined()
            while text.count > 1 && text.hasPrefix("0") { text.removeFirst() }
            let point = Int.random(in: 0...text.count, using: &random)
            if point > 0 && point < text.count {
                text.insert(".", at: text.index(text.startIndex, offsetBy: point))
            }
            texts.append(Bool.random(using: &random) ? "-" + text : text)
        }
        for text in texts {
            let result = Canonical.scan(body("{\"name\":\"r\",\"type\":\"real\"}", "[\(text)]"), chunkSizes: [1 << 20])
            let expected = Double(text)!
            #expect(result.contains("row real:\(String(expected.bitPattern, radix: 16))"), "\(text)")
        }
        let longs = body(
            "{\"name\":\"a\",\"type\":\"long\"}",
            "[0],[-0],[9223372036854775807],[-9223372036854775808],[999999999999999999],[-100000000000000000]")
        #expect(
            Canonical.scan(longs, chunkSizes: [5]) == [
                "start T a:long", "row long:0", "row long:0", "row long:9223372036854775807",
                "row long:-9223372036854775808", "row long:999999999999999999", "row long:-100000000000000000",
                "end T 6",
            ])
        for bad in ["01", "-", "1.", "--1", "1e", "0x10"] {
            let result = Canonical.scan(body("{\"name\":\"a\",\"type\":\"long\"}", "[\(bad)]"), chunkSizes: [3])
            #expect(result.last?.hasPrefix("failed:") == true, "\(bad)")
        }
    }
}

/// A seeded generator (SplitMix64), so every run checks the same values.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

struct LongRowTests {
    /// A row longer than many chunks is looked at again only when the buffered input has grown by
    /// half, so it is read whole after a handful of looks (not one per chunk) and no later than
    /// half its length past its end.
    @Test func `a row of several megabytes fed in small chunks arrives whole and soon`() throws {
        let long = String(repeating: "é-x", count: 700_000)
        let head =
            "{\"tables\":[{\"name\":\"T\",\"columns\":[{\"name\":\"s\",\"type\":\"string\"},"
            + "{\"name\":\"n\",\"type\":\"long\"}],\"rows\":[[\"\(long)\",1]"
        let text = head + String(repeating: ",[\"b\",2]", count: 200_000) + "]}]}"
        let bytes = Array(text.utf8)
        let scanner = ResponseScanner()
        var rows = 0
        var longLength = 0
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + 4096, bytes.count)
            scanner.feed(bytes[offset..<end])
            offset = end
            while let event = try scanner.next() {
                guard case .row(let row) = event, case .string(let value) = row[0] else { continue }
                if rows == 0 { longLength = value.utf8.count }
                rows += 1
            }
            if offset >= head.utf8.count * 3 / 2 + 8192 && rows == 0 {
                Issue.record("the long row had not arrived \(offset - head.utf8.count) bytes after its end")
                return
            }
        }
        scanner.finish()
        while let event = try scanner.next() { if case .row = event { rows += 1 } }
        #expect(longLength == long.utf8.count)
        #expect(rows == 200_001)
        #expect(scanner.bufferCapacity <= 8 << 20)
    }
}
