/// Tests of the CSV writer behind `pathproof query --format csv`: quoting, every kind of cell, and
/// output cut into pieces anywhere.

import Foundation
import Testing

@testable import PathProofCommands
@testable import TableModel

struct CSVWriterTests {
    private static let table = Table(
        name: "PrimaryResult",
        columns: [Column("text", .string), Column("n", .long), Column("at", .datetime), Column("other", .dynamic)],
        rows: [
            [.string("plain"), .long(0), .datetime(DateTime(ticks: 0)), .null],
            [.string("a,b"), .long(Int64.min), .datetime(DateTime(ticks: DateTime.maxTicks)), .bool(true)],
            [.string("say \"hi\""), .long(Int64.max), .datetime(DateTime(ticks: 638_396_640_000_000_005)), .real(1.5)],
            [.string("line\r\nbreak"), .long(-7), .null, .dynamic(.array([.long(1), .string("x,y")]))],
            [.string(""), .null, .datetime(DateTime(ticks: 36_000_000_000)), .timespan(Timespan(ticks: 600_000_000))],
            [.string("caf\u{E9} \u{1F512}"), .int(-3), .datetime(DateTime(ticks: -1)), .string("tail")],
        ])

    private static func csv(_ table: Table, pieceSize: Int) -> (text: String, pieces: Int) {
        var bytes: [UInt8] = []
        var pieces = 0
        var writer = CSVWriter(pieceSize: pieceSize) { piece in
            bytes.append(contentsOf: piece)
            pieces += 1
        }
        writer.write(table)
        writer.flush()
        return (String(decoding: bytes, as: UTF8.self), pieces)
    }

    @Test func `every kind of cell is written as Kusto spells it, quoted where RFC 4180 needs it`() {
        let expected = [
            "text,n,at,other",
            "plain,0,0001-01-01T00:00:00.0000000Z,",
            "\"a,b\",-9223372036854775808,9999-12-31T23:59:59.9999999Z,True",
            "\"say \"\"hi\"\"\",9223372036854775807,2024-01-01T00:00:00.0000005Z,1.5",
            "\"line\r\nbreak\",-7,,\"[1,\"\"x,y\"\"]\"",
            ",,0001-01-01T01:00:00.0000000Z,00:01:00",
            "caf\u{E9} \u{1F512},-3,\(DateTime(ticks: -1).kustoText),tail",
        ]
        #expect(Self.csv(Self.table, pieceSize: 1 << 20).text == expected.joined(separator: "\r\n") + "\r\n")
    }

    @Test(arguments: [1, 7, 64])
    func `output cut into small pieces is the same bytes`(pieceSize: Int) {
        let whole = Self.csv(Self.table, pieceSize: 1 << 20)
        let cut = Self.csv(Self.table, pieceSize: pieceSize)
        #expect(cut.text == whole.text)
        #expect(whole.pieces == 1)
        #expect(cut.pieces > 1)
    }

    @Test func `a large result grows the buffer and loses nothing`() {
        let rows = (0..<20_000).map { index -> [Value] in
            [.string(String(repeating: "x", count: index % 300)), .long(Int64(index)), .null, .null]
        }
        let text = Self.csv(Table(name: "T", columns: Self.table.columns, rows: rows), pieceSize: 4096).text
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.count == 20_002)
        #expect(lines[19_000] == String(repeating: "x", count: 18_999 % 300) + ",18999,,")
    }
}
