/// Queries built to exhaust the engine: a billion-row range and regexes that backtrack forever.

import Foundation
import KQLEngine
import TableModel
import Testing

struct HostileQueryTests {
    let engine = KQLEngine(tables: InMemoryTables(), now: DateTime(ticks: 639_000_000_000_000_000))

    @Test func `a billion-row range is refused at once, naming the limit`() {
        let started = Date()
        #expect {
            _ = try engine.run("range x from 1 to 1000000000 step 1")
        } throws: { error in
            "\(error)".contains("range x would generate about 1000000000 rows")
                && "\(error)".contains("at most 10000000")
        }
        #expect(Date().timeIntervalSince(started) < 1)
    }

    @Test(arguments: [
        "range x from 1.0 to real(nan) step 1.0",
        "range x from 0 to 9223372036854775807 step 1",
        "range t from datetime(2000-01-01) to datetime(2100-01-01) step 1s",
        "range x from 1 to 1000000000 step 1 | count",
    ])
    func `ranges too large or without end are refused`(query: String) {
        #expect(throws: KQLError.self) { _ = try engine.run(query) }
    }

    @Test func `a range within the limit still runs and counts exactly`() throws {
        let result = try engine.run("range x from 1 to 100000 step 1 | summarize n = count(), s = sum(x)")
        #expect(result.first?.rows == [[.long(100_000), .long(5_000_050_000)]])
    }

    /// Catastrophic backtracking on 40 characters would take far longer than the test run.
    @Test(arguments: [
        "print s = strcat(strrep('a', 40), 'b') | where s matches regex '(a+)+$'",
        "print s = strcat(strrep('a', 40), 'b') | extend e = extract('(a+)+$', 1, s)",
        "print s = strcat(strrep('a', 40), 'b') | extend e = extract_all('((a+)+$)', s)",
        "print s = strcat(strrep('a', 40), 'b') | extend e = countof(s, '(a|aa)+$', 'regex')",
        "print s = strcat(strrep('a', 40), 'b') | extend e = replace_regex(s, '(a*)*$', 'x')",
    ])
    func `a catastrophic regex stops after its time limit with a clear error`(query: String) {
        let started = Date()
        #expect {
            _ = try engine.run(query)
        } throws: { error in
            "\(error)".contains("ran longer than 1 s on one value")
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    /// `parse kind=regex` builds its own anchored pattern; whether that backtracks or fails fast, it is
    /// bounded: a clear time-limit error or an answer, within seconds.
    @Test func `a catastrophic regex in parse is bounded`() {
        let started = Date()
        do {
            _ = try engine.run("print s = strcat(strrep('a', 40), 'b') | parse kind=regex s with x:string '(a+)+$'")
        } catch {
            #expect("\(error)".contains("ran longer than 1 s on one value"))
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func `ordinary regex functions keep their results`() throws {
        let result = try engine.run(
            """
            print s = 'key-17 key-4' | extend m = s matches regex @'key-\\d+', e = extract(@'key-(\\d+)', 1, s),
                a = extract_all(@'key-(\\d+)', s), c = countof(s, @'key-\\d', 'regex'),
                r = replace_regex(s, @'key-(\\d+)', @'k\\1'), t = trim(@'k[a-z]+-', s)
            """)
        #expect(
            result.first?.rows.first == [
                .string("key-17 key-4"), .bool(true), .string("17"), .dynamic(.array([.string("17"), .string("4")])),
                .long(2), .string("k17 k4"), .string("17 key-4"),
            ])
    }
}
