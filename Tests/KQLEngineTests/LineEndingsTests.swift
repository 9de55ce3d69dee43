/// Queries saved with Windows (CRLF) or old Mac (CR) line endings read exactly as with LF: a `//`
/// comment ends at the line's end, and errors name the right line.

import KQLEngine
import TableModel
import Testing

struct LineEndingsTests {
    private static let table = Table(
        name: "T", columns: [Column("op", .string)],
        rows: [[.string("KeyGet")], [.string("KeyUnwrap")], [.string("KeyUnwrap")]])

    private static func count(_ query: String) throws -> [[Value]] {
        try OperatorsTests.run(query, tables: [table]).rows
    }

    @Test(arguments: ["\n", "\r\n", "\r", "\u{2028}", "\u{2029}"])
    func `a comment ends at the end of its line, whatever the line ending`(ending: String) throws {
        let query = ["// every unwrap", "T // all rows", "| where op == 'KeyUnwrap' // the filter", "| count"]
            .joined(separator: ending)
        #expect(try Self.count(query) == [[.long(2)]])
        try KQLEngine.parse(query)
    }

    @Test(arguments: ["\n", "\r\n"])
    func `a syntax error names its line and column`(ending: String) throws {
        let query = ["T", "| where op == 'KeyGet'", "| project op", "| sumarize count()"].joined(separator: ending)
        #expect {
            try KQLEngine.parse(query)
        } throws: { error in
            guard case KQLError.syntax(let line, let column, _, _) = error else { return false }
            return line == 4 && column == 3
        }
    }

    @Test(arguments: ["\n", "\r\n"])
    func `a string left open is reported where it starts`(ending: String) throws {
        let query = ["T", "| where op == 'KeyGet", "| count"].joined(separator: ending)
        #expect {
            try KQLEngine.parse(query)
        } throws: { error in
            "\(error)".contains("syntax error at 2:15") && "\(error)".contains("closing the string that starts here")
                && "\(error)".contains("the end of the line")
        }
    }

    @Test func `a verbatim string left open is an error, not the rest of the query`() throws {
        #expect {
            try KQLEngine.parse("print x = @'abc\n| count")
        } throws: { error in
            "\(error)".contains("syntax error at 1:12") && "\(error)".contains("the end of the line")
        }
        #expect(throws: KQLError.self) { try KQLEngine.parse("print x = @\"abc") }
    }

    @Test func `a line ending inside a string escape does not continue the string`() throws {
        #expect(throws: KQLError.self) { try KQLEngine.parse("print x = 'abc\\\r\n'") }
    }

    @Test func `a line separator inside a string is part of the string`() throws {
        let rows = try OperatorsTests.run("print s = 'a\u{2028}b' // c\u{2028}| extend n = strlen(s)").rows
        #expect(rows == [[.string("a\u{2028}b"), .long(3)]])
    }

    @Test func `hex, long Unicode and octal escapes are decoded as Kusto's parser decodes them`() throws {
        let rows = try OperatorsTests.run(
            #"print a = "\x41", b = "\U0001F600", c = "\101", d = "\012x", e = "\0", f = "\7x", g = "\u00e9""#
        ).rows
        #expect(
            rows == [
                [
                    .string("A"), .string("😀"), .string("A"), .string("\nx"), .string("\u{0}"), .string("\u{7}x"),
                    .string("é"),
                ]
            ])
    }

    @Test(arguments: [#"print a = "\q""#, #"print a = "\d+""#, #"print a = "\x4""#, #"print a = "\8""#])
    func `an escape Kusto's parser does not know is a syntax error`(query: String) {
        #expect {
            try OperatorsTests.run(query)
        } throws: { error in
            "\(error)".hasPrefix("syntax error")
        }
    }

    @Test(arguments: [#"print a = "\ud800x""#, #"print a = "\48""#])
    func `escapes the engine cannot give Kusto's value for are refused`(query: String) {
        #expect {
            try OperatorsTests.run(query)
        } throws: { error in
            "\(error)".contains("unsupported")
        }
    }
}
