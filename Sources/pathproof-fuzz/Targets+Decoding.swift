/// Fuzz targets for the query response decoders (streaming and whole) and the JSON parser.

import RowDecoding
import TableModel

extension FuzzTarget {
    /// JSON and query-response tokens the mutator inserts.
    static let jsonDictionary = [
        "{", "}", "[", "]", ",", ":", "\"", "\\u0000", "\\ud800", "\\udc00", "\\uD83D\\uDE00", "\\", "null", "true",
        "false", "-", "0", "1e400", "-1e400", "9223372036854775808", "\"tables\"", "\"columns\"", "\"rows\"",
        "\"name\"", "\"type\"", "\"long\"", "\"int\"", "\"real\"", "\"datetime\"", "\"timespan\"", "\"guid\"",
        "\"dynamic\"", "\"decimal\"", "\"bool\"", "\"string\"", "\"error\"", "\"responses\"", "\"body\"",
        "\"records\"", "\"value\"", "\"NaN\"", "\"2024-01-01T00:00:00.1234567Z\"", "\"1.02:03:04.5\"",
        "\"{\\\"a\\\":[1,{}]}\"", "[[[[[[[[", "{\"a\":{\"a\":{\"a\":", "\u{0}", "\u{FF}",
    ]

    /// `QueryResponseDecoder.decode(bytes:)` and the streaming `ResponseScanner` fed in uneven chunks.
    static func rowDecoder(_ sources: SeedSources) -> FuzzTarget {
        var seeds = Seeds.fixtureFiles(sources, folders: ["la-responses"])
        seeds += Seeds.userSeeds(sources, target: "row-decoder")
        if seeds.isEmpty { seeds = [Array(#"{"tables":[{"name":"PrimaryResult","columns":[],"rows":[]}]}"#.utf8)] }
        return FuzzTarget(
            name: "row-decoder", summary: "QueryResponseDecoder.decode(bytes:) and ResponseScanner",
            maxLength: 65_536, dictionary: jsonDictionary, seeds: seeds
        ) { input in
            let whole = (try? QueryResponseDecoder.decode(bytes: input)) != nil
            // Chunk sizes come from the input itself, so a replay cuts the same chunks.
            var random = SeededRandom(seed: UInt64(input.count) &* 0x9E37_79B9 &+ UInt64(input.first ?? 0))
            let scanner = ResponseScanner()
            var offset = 0
            var streamed = true
            do {
                while offset < input.count {
                    let size = 1 + random.below(random.oneIn(4) ? 7 : 4_096)
                    let end = min(input.count, offset + size)
                    scanner.feed(input[offset..<end])
                    offset = end
                    while try scanner.next() != nil {}
                }
                scanner.finish()
                while try scanner.next() != nil {}
            } catch {
                streamed = false
            }
            return whole && streamed
        }
    }

    /// `JSONParser.parse(bytes:)`, the parser under every record, policy and dynamic value.
    static func json(_ sources: SeedSources) -> FuzzTarget {
        var seeds = Seeds.fixtureFiles(sources, folders: ["la-responses", "keyvault-records"])
        seeds += Seeds.userSeeds(sources, target: "json")
        seeds.append(Array(#"{"a":[1,-2.5e3,"\u00e9\ud83d\ude00",true,null,{}]}"#.utf8))
        return FuzzTarget(
            name: "json", summary: "TableModel JSONParser", maxLength: 65_536, dictionary: jsonDictionary,
            seeds: seeds
        ) { input in
            (try? JSONParser.parse(bytes: input)) != nil
        }
    }
}
