/// Regular expressions mean what RE2 (KQL's regex syntax) makes them mean, not what ICU would.

import KQLEngine
import TableModel
import Testing

struct RE2PatternTests {
    @Test(arguments: [
        // \w, \d and \s are ASCII in RE2.
        (#"print r = "café" matches regex @"^\w+$""#, false),
        (#"print r = "x٣y" matches regex @"\d""#, false),
        (#"print r = "a\u00a0b" matches regex @"a\sb""#, false),
        (#"print r = "a b" matches regex @"a\sb""#, true),
        // \b looks at ASCII word characters only.
        (#"print r = "é!" matches regex @"\b!""#, false),
        (#"print r = "e!" matches regex @"\b!""#, true),
        // $ without the m flag is the very end of the text, not before a final newline.
        (#"print r = "abc\n" matches regex "abc$""#, false),
        (#"print r = "x\ny" matches regex "(?m)^x$""#, true),
        // Only \n ends a line for `.`.
        (#"print r = "a\rb" matches regex "a.b""#, true),
        (#"print r = "a\nb" matches regex "a.b""#, false),
        (#"print r = "a\nb" matches regex "(?s)a.b""#, true),
    ])
    func `matches regex follows RE2`(query: String, expected: Bool) throws {
        let table = try OperatorsTests.run(query)
        #expect(table.rows == [[.bool(expected)]], "\(query)")
    }

    @Test func `extract reads ASCII classes, literal braces and RE2 named groups`() throws {
        let table = try OperatorsTests.run(
            #"""
            print a = extract(@"(\w+)@", 1, "josé@contoso.com"), b = extract(@"{""id"":(\d+)", 1, @"{""id"":42}"),
                c = extract(@"(?P<n>[\d_]+)", 1, "x1_2y"), d = extract(@"[]a]+", 0, "b]a]")
            """#)
        #expect(table.rows == [[.string(""), .string("42"), .string("1_2"), .string("]a]")]])
    }

    @Test(arguments: [
        #"print r = "ab" matches regex "a(?=b)""#,
        #"print r = "ab" matches regex "(?<=a)b""#,
        #"print r = "aa" matches regex @"(a)\1""#,
        #"print r = "aa" matches regex "a++""#,
        #"print r = "aa" matches regex "[[:alpha:]]""#,
        #"print r = "aa" matches regex "(?x) a""#,
    ])
    func `what RE2 does not have is refused as unsupported`(query: String) {
        #expect {
            try OperatorsTests.run(query)
        } throws: { error in
            "\(error)".contains("unsupported")
        }
    }
}
