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

    @Test(arguments: [
        // A '-' after a class like \s or \w is a literal in RE2, not the start of a range.
        (#"print r = "abc" matches regex @"^[\s-z]+$""#, false),
        (#"print r = "- z" matches regex @"^[\s-z]+$""#, true),
        (#"print r = "{" matches regex @"^[\w-~]$""#, false),
        (#"print r = "~" matches regex @"^[\w-~]$""#, true),
        (#"print r = "." matches regex @"^[\d-.]$""#, true),
        (#"print r = "/" matches regex @"^[\d-.]$""#, false),
        // Under (?i) RE2 folds one character to one: ß is not ss.
        (#"print r = "STRASSE" matches regex @"(?i)straße""#, false),
        (#"print r = "straße" matches regex @"(?i)STRASSE""#, false),
        (#"print r = "STRAßE" matches regex @"(?i)^straße$""#, true),
        (#"print r = "ﬁ" matches regex @"(?i)^fi$""#, false),
        (#"print r = "AbC" matches regex @"(?i)^\Qabc\E$""#, true),
        // \p{..}, \pL and \x{..} are RE2 escapes, and a named group's name may hold '_'.
        (#"print r = "é" matches regex @"^\p{L}$""#, true),
        (#"print r = "é" matches regex @"^\pL$""#, true),
        (#"print r = "1" matches regex @"^\PL$""#, true),
        (#"print r = "AB" matches regex @"^\x41\x{42}$""#, true),
        (#"print r = "a.b" matches regex @"^\Qa.b\E$""#, true),
        (#"print r = "axb" matches regex @"^\Qa.b\E$""#, false),
    ])
    func `classes, case folding and escapes follow RE2`(query: String, expected: Bool) throws {
        let table = try OperatorsTests.run(query)
        #expect(table.rows == [[.bool(expected)]], "\(query)")
    }

    @Test func `extract under (?i) does not match a full case folding`() throws {
        let table = try OperatorsTests.run(
            #"print a = extract(@"(?i)(STRASSE)", 1, "straße x"), b = extract(@"(?P<first_name>\w+)", 1, "hi you")"#)
        #expect(table.rows == [[.string(""), .string("hi")]])
    }

    @Test func `replace_regex reads only backslash groups in its rewrite, as RE2 does`() throws {
        let table = try OperatorsTests.run(
            #"""
            print a = replace_regex("abc", @"(b)", @"[\1]"), b = replace_regex("abc", "b", "$0"),
                c = replace_regex("abc", "(b)", @"$1\0"), d = replace_regex("abc", "b", @"\\"),
                e = replace_regex("abc", "(b)", @"\10")
            """#)
        #expect(
            table.rows == [[.string("a[b]c"), .string("a$0c"), .string("a$1bc"), .string(#"a\c"#), .string("ab0c")]])
    }

    @Test(arguments: [
        #"print r = replace_regex("abc", "(b)", @"\2")"#,
        #"print r = replace_regex("abc", "(b)", @"\n")"#,
        #"print r = extract_all(@"(?P<a>\d)(?P<b>\w)", dynamic(["a", "b"]), "1x2y")"#,
        #"print r = extract_all(@"(\d)(\w)", dynamic([1, 3]), "1x2y")"#,
    ])
    func `rewrites and group selections RE2 rejects are refused as unsupported`(query: String) {
        #expect {
            try OperatorsTests.run(query)
        } throws: { error in
            "\(error)".contains("unsupported")
        }
    }
}
