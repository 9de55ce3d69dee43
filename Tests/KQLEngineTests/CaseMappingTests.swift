/// toupper(), tolower() and the case-insensitive operators map one character to one, as .NET's
/// invariant culture does.

import KQLEngine
import TableModel
import Testing

struct CaseMappingTests {
    static func value(_ expression: String) throws -> Value {
        try CoreQueriesTests.run("print x = \(expression)").rows[0][0]
    }

    @Test(arguments: [
        ("toupper('ß')", "ß"),
        ("toupper('straße')", "STRAßE"),
        ("toupper('ŉ')", "ŉ"),
        ("toupper('ﬁ')", "ﬁ"),
        ("tolower('ΟΔΟΣ')", "οδοσ"),
        ("tolower('Σ')", "σ"),
        ("toupper('οδος')", "ΟΔΟΣ"),
        ("tolower('İ')", "İ"),
        ("tolower('İstanbul')", "İstanbul"),
        ("toupper('ı')", "ı"),
        ("toupper('i')", "I"),
        ("tolower('I')", "i"),
        ("toupper('ᾳ')", "ᾼ"),
        ("tolower('ẞ')", "ß"),
        ("toupper('Key Vault 42')", "KEY VAULT 42"),
        ("tolower('Key Vault 42')", "key vault 42"),
        ("toupper('café')", "CAFÉ"),
        ("tolower('ПРИВЕТ')", "привет"),
    ])
    func `case functions map each character to one character`(expression: String, expected: String) throws {
        #expect(try Self.value(expression) == .string(expected))
    }

    @Test(arguments: ["'ß'", "'ŉ'", "'İ'", "'straße'", "'ΣΑΣ'"])
    func `case functions keep the length`(text: String) throws {
        #expect(try Self.value("strlen(toupper(\(text))) == strlen(\(text))") == .bool(true))
        #expect(try Self.value("strlen(tolower(\(text))) == strlen(\(text))") == .bool(true))
    }

    @Test(arguments: [
        ("'straße' =~ 'STRASSE'", false),
        ("'straße' =~ 'STRAßE'", true),
        ("'ß' =~ 'ẞ'", true),
        ("'İ' =~ 'i̇'", false),
        ("'İ' =~ 'i'", false),
        ("'ı' =~ 'I'", false),
        ("'ΟΔΟΣ' =~ 'οδοσ'", true),
        ("'KeyGet' =~ 'keyget'", true),
        ("'KeyGet' !~ 'keyget'", false),
        ("'STRASSE' has 'straße'", false),
        ("'İstanbul' has 'i̇stanbul'", false),
        ("'İstanbul' contains 'stanbul'", true),
        ("'ΟΔΟΣ' endswith 'οσ'", true),
        ("'ΟΔΟΣ' hassuffix 'οσ'", true),
        ("'Straße 1' startswith 'STRAß'", true),
        ("'Straße 1' hasprefix 'STRAß'", true),
        ("'İ' in~ ('i̇')", false),
        ("'ΟΔΟΣ' in~ ('οδοσ')", true),
        ("'ΟΔΟΣ' !in~ ('οδοσ')", false),
        ("'a STRASSE b' has_any ('straße')", false),
        ("'a ΟΔΟΣ b' has_any ('οδοσ')", true),
        ("'a ΟΔΟΣ b' has_all ('οδοσ', 'A')", true),
    ])
    func `case-insensitive operators fold with the same one-to-one mapping`(expression: String, expected: Bool)
        throws
    {
        #expect(try Self.value(expression) == .bool(expected))
    }

    @Test func `a folded column compares like a folded constant`() throws {
        let table = try CoreQueriesTests.run(
            """
            datatable(s:string)['İ', 'i̇', 'ΟΔΟΣ', 'straße', 'STRASSE']
            | where s =~ 'i̇' or s =~ 'οδοσ' or s =~ 'STRAßE'
            """)
        #expect(table.rows == [[.string("i̇")], [.string("ΟΔΟΣ")], [.string("straße")]])
    }
}
