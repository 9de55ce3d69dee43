/// Fuzz targets for the KQL lexer and parser and for the evaluator on self-contained queries.

import KQLEngine
import TableModel

extension FuzzTarget {
    /// KQL keywords, operators and literals the mutator inserts into queries.
    static let kqlDictionary = [
        "| where ", "| extend ", "| project ", "| summarize count() by ", "| sort by ", "| take 5", "| join (",
        "| union ", "| mv-expand ", "| parse ", "| serialize ", "| top 3 by ", "| distinct ", "| make-series ",
        "let x = ", ";", "(", ")", "[", "]", "{", "}", ",", "==", "!=", "=~", "has", "contains", "matches regex ",
        "startswith", "in (", "!in (", "between (", "..", "datetime(", "timespan(", "dynamic(", "todynamic(",
        "extract(", "parse_json(", "strcat(", "iff(", "case(", "datatable(a:long)[", "print ", "range i from ",
        " to ", " step ", "'", "\"", "@'", "h'", "\\", "//", "/*", "*/", "ago(1d)", "now()", "1d", "10000000000",
        "bin(", "toscalar(", "materialize(", "row_number()", "prev(", "array_length(", "bag_unpack(", "$left.",
        "\u{0}", "\u{FEFF}", "é", "0x", "1e400", "-", "*", "/", "%",
    ]

    /// The lexer and parser on any text: `KQLEngine.parse`.
    static func kqlParse(_ sources: SeedSources) -> FuzzTarget {
        var seeds = Seeds.queries(
            sources,
            files: [
                "docs_pairs_selfcontained.json", "docs_pairs_with_table.json", "kql2sql_kustainer_cases.jsonl",
                "kql2sql_kustainer_rejected.jsonl", "security_queries_local_corpora.json",
                "security_queries_feature_df.json",
            ]
        ).map { Array($0.utf8) }
        seeds += Seeds.userSeeds(sources, target: "kql-parse")
        return FuzzTarget(
            name: "kql-parse", summary: "KQLEngine.parse (lexer and parser)", maxLength: 16_384,
            dictionary: kqlDictionary, seeds: seeds.isEmpty ? [Array("print 1".utf8)] : seeds
        ) { input in
            do {
                try KQLEngine.parse(String(decoding: input, as: UTF8.self))
                return true
            } catch {
                return false
            }
        }
    }

    /// The evaluator on self-contained queries (datatable, print, range) with no tables.
    static func kqlEval(_ sources: SeedSources) -> FuzzTarget {
        let starts = ["datatable", "print", "range", "let"]
        var seeds = Seeds.queries(sources, files: ["docs_pairs_selfcontained.json", "kql2sql_kustainer_cases.jsonl"])
            .filter { query in
                query.utf8.count < 1_500 && starts.contains { query.hasPrefix($0) }
            }
            .map { Array($0.utf8) }
        seeds += Seeds.userSeeds(sources, target: "kql-eval")
        seeds.append(Array("datatable(a:long, b:string)[1, 'x', 2, 'y'] | summarize count() by b".utf8))
        let engine = KQLEngine(tables: InMemoryTables(), now: DateTime(ticks: 639_000_000_000_000_000))
        return FuzzTarget(
            name: "kql-eval", summary: "KQLEngine.run on datatable/print/range queries", maxLength: 4_096,
            dictionary: kqlDictionary, seeds: seeds
        ) { input in
            do {
                _ = try engine.run(String(decoding: input, as: UTF8.self))
                return true
            } catch {
                return false
            }
        }
    }
}
