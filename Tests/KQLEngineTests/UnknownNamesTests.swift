/// Misspelled and unknown names are called unknown (with a near miss offered), real but unimplemented
/// ones unsupported, and `parse` refuses what `run` would refuse before reading a row.

import TableModel
import Testing

@testable import KQLEngine

struct UnknownNamesTests {
    static func refusal(_ query: String) -> String? {
        do {
            _ = try CoreQueriesTests.run(query)
            return nil
        } catch {
            return "\(error)"
        }
    }

    static func parseRefusal(_ query: String) -> String? {
        do {
            try KQLEngine.check(query)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [
        ("print tostrng(1)", "unsupported: unknown function tostrng() (did you mean tostring()?)"),
        ("print TOLOWER('A')", "unsupported: unknown function TOLOWER() (did you mean tolower()?)"),
        ("print nosuchfunc(1)", "unsupported: unknown or unsupported function nosuchfunc()"),
        ("print x = 1 | summarize cuont()", "unsupported: unknown function cuont() (did you mean count()?)"),
        ("Nope(1) | take 1", "unsupported: unknown or unsupported tabular function Nope()"),
        (
            "print hash_xxhash64('a')",
            "unsupported: the function hash_xxhash64() is not supported by the embedded KQL engine"
        ),
        (
            "print series_decompose_anomalies(dynamic([1]))",
            "unsupported: the function series_decompose_anomalies() is not supported by the embedded KQL engine"
        ),
        // Real functions the official parser declares are not unknown names near an implemented one.
        ("print bin_auto(1)", "unsupported: the function bin_auto() is not supported by the embedded KQL engine"),
        ("print around(1, 0, 2)", "unsupported: the function around() is not supported by the embedded KQL engine"),
        ("print parseurl('x')", "unsupported: the function parseurl() is not supported by the embedded KQL engine"),
    ])
    func `run and parse call an unknown function unknown and a real one unsupported`(
        query: String, message: String
    ) {
        #expect(Self.refusal(query) == message)
        #expect(Self.parseRefusal(query) == message)
    }

    @Test(arguments: [
        ("print x = 1 | summarise count()", "summarize"),
        ("print x = 1 | were x > 1", "where"),
        ("print x = 1 | projet x", "project"),
        ("print x = 1 | Extend y = 2", "extend"),
    ])
    func `a misspelled tabular operator is offered the nearest one`(query: String, operator: String) {
        #expect(Self.parseRefusal(query)?.hasSuffix("(did you mean \(`operator`)?)") == true)
    }

    @Test func `an unknown operator with no near miss gets no suggestion`() {
        #expect(Self.parseRefusal("print x = 1 | frobnicate")?.contains("did you mean") == false)
    }

    @Test(arguments: [
        ("", "semantic error: the query is empty"),
        ("// only a comment\n", "semantic error: the query is empty"),
        (" ; ", "semantic error: the query is empty"),
        ("let x = 1;", "semantic error: the query has no tabular statement after its let statements"),
    ])
    func `a query without a tabular statement is refused by parse and run alike`(query: String, message: String) {
        #expect(Self.parseRefusal(query) == message)
        #expect(Self.refusal(query) == message)
    }

    @Test(arguments: [
        "print x = 1 | evaluate autocluster()",
        "print x = 1 | invoke foo()",
        "print x = 1 | evaluate pivot(x)",
        "print x = 1 | extend y = nosuch(x)",
        "let f = (a:long) { nosuch(a) }; print y = f(1)",
        "let T = print x = 1 | where bogus(x); T",
        "print x = toscalar(print y = nosuch(1))",
        "1 + 2",
        "print x = 1 | sample 3",
        "print x = 1 | top-nested 2 of x by count()",
        "set truncationmaxrecords = 1; print 1",
        "let f = () { print x = 1 | sample 1 }; f()",
    ])
    func `parse refuses what run refuses before reading a row`(query: String) {
        let refused = Self.parseRefusal(query)
        #expect(refused != nil)
        #expect(refused == Self.refusal(query))
    }

    @Test(arguments: [
        "let f = (a:long) { a + 1 }; print y = f(1)",
        "let f = () { print x = 1 }; f() | take 1",
        "let f = (a:long) { nosuch(a) }; print y = 1",
        "let toupper2 = (s:string) { toupper(s) }; print y = toupper2('a')",
        "print x = 1 | extend y = column_ifexists('x', nosuch())",
        "print x = 1 | summarize c = count(), s = make_set(x) by bin(x, 1)",
        "print x = 1 | serialize | extend r = row_number()",
        "print a = iif(true, 1, 2), b = todouble('1'), c = pack_dictionary('k', 1), d = pack_all()",
    ])
    func `parse accepts what run runs`(query: String) throws {
        _ = try CoreQueriesTests.run(query)
        try KQLEngine.check(query)
    }

    @Test func `every function the catalog lists reaches an implementation`() {
        // A refusal calling a listed name unknown means the list and the function families disagree.
        for name in FunctionCatalog.scalars.union(FunctionCatalog.specialForms).sorted() {
            let refusal = Self.refusal("print x = \(name)()") ?? ""
            #expect(!refusal.contains("unknown"), "\(name): \(refusal)")
        }
        for name in FunctionCatalog.unsupportedScalars {
            #expect(!FunctionCatalog.isImplemented(name), "\(name) is listed as both")
        }
    }
}
