/// Values inserted into KQL through KQLLiteral cannot change the query: fuzzed against the parser.

import KQLEngine
import TableModel
import Testing

struct KQLInjectionTests {
    let engine = KQLEngine(tables: InMemoryTables(), now: DateTime(ticks: 639_000_000_000_000_000))

    /// Pieces that break naive quoting: quotes, escapes, line breaks, comments, pipes, combining marks
    /// (which merge with a following quote into one character), BOM, NUL, bidi controls and emoji.
    static let hostilePieces: [String] = [
        "\"", "'", "\\", "\\\"", "\\'", "\n", "\r\n", "\r", "\t", "\u{0}", "//", "/*", "*/", "|", ";", "@", "h\"",
        "```", "~~~", "\" | take 0 | print y = \"", "' or 1 == 1 //", "\u{301}", "\u{20DD}", "\u{FEFF}", "\u{2028}",
        "\u{202E}", "\u{1F600}", "\u{1F3FB}", "\u{E0041}", "é", "ﬀ", "\u{FF11}", "\\u0022", "\\ud83d", "kv-prod",
        "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv", "2026-11-02T08:00:00Z", " ",
        "a", "$left", "{", "}", "(", ")", "[", "]", ",",
    ]

    static func hostileString(_ random: inout some RandomNumberGenerator) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...8, using: &random) {
            text += hostilePieces.randomElement(using: &random)!
        }
        if Bool.random(using: &random) {
            let scalar = Unicode.Scalar(UInt32.random(in: 0...0x10FFFF, using: &random)) ?? "x"
            text.unicodeScalars.append(scalar)
        }
        return text
    }

    @Test func `a hostile string evaluates back to exactly itself and adds no clause`() throws {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<1_500 {
            let value = Self.hostileString(&random)
            let literal = KQLLiteral.string(value)
            let tables = try engine.run("print x = \(literal)")
            #expect(tables.count == 1)
            #expect(tables.first?.columns.map(\.name) == ["x"], "\(literal)")
            #expect(tables.first?.rows == [[.string(value)]], "\(literal)")
        }
    }

    @Test func `a hostile string in a filter matches only itself`() throws {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let value = Self.hostileString(&random)
            let literal = KQLLiteral.string(value)
            let other = KQLLiteral.string(value + "x")
            let query = "datatable(s:string)[\(literal), \(other)] | where s == \(literal) | count"
            #expect(try engine.run(query).first?.rows == [[.long(1)]], "\(query)")
        }
    }

    @Test func `a datetime literal round-trips every tick of the range`() throws {
        var random = SystemRandomNumberGenerator()
        var instants = [DateTime(ticks: 0), DateTime(ticks: DateTime.maxTicks)]
        for _ in 0..<300 { instants.append(DateTime(ticks: Int64.random(in: 0...DateTime.maxTicks, using: &random))) }
        for instant in instants {
            let tables = try engine.run("print t = \(KQLLiteral.datetime(instant))")
            #expect(tables.first?.rows == [[.datetime(instant)]], "\(instant.kustoText)")
        }
    }

    @Test(arguments: [Int64.min, -1, 0, 1, Int64.max])
    func `a long literal round-trips`(value: Int64) throws {
        #expect(try engine.run("print n = \(KQLLiteral.long(value))").first?.rows == [[.long(value)]])
    }

    @Test func `the literal text is one line of ASCII`() {
        let literal = KQLLiteral.string("\u{301}\"\n\u{1F600}\\")
        #expect(literal == #""\u0301\"\u000a\ud83d\ude00\\""#)
    }
}
