/// Loading seed inputs from the shared KQL corpora, the public fixtures and the corpus directory.

import Foundation
import TableModel

/// Reads seed files; a missing source yields no seeds rather than an error.
enum Seeds {
    /// Every query text (values of `query` or `kql` keys) in the JSON and JSON Lines corpora.
    static func queries(_ sources: SeedSources, files: [String]) -> [String] {
        var queries: [String] = []
        for file in files {
            let path = "\(sources.shared)/kql/\(file)"
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            let documents: [String] = file.hasSuffix(".jsonl") ? text.split(separator: "\n").map(String.init) : [text]
            for document in documents {
                guard let parsed = try? JSONParser.parse(document) else { continue }
                collect(parsed, into: &queries)
            }
        }
        return queries
    }

    private static func collect(_ value: Dynamic, into queries: inout [String]) {
        switch value {
        case .array(let items):
            for item in items { collect(item, into: &queries) }
        case .object(let bag):
            for key in bag.keys.sorted() {
                let item = bag[key]!
                if key == "query" || key == "kql", case .string(let text) = item {
                    queries.append(text)
                } else {
                    collect(item, into: &queries)
                }
            }
        default:
            break
        }
    }

    /// The contents of every regular file in the fixture folders named, sorted by path.
    static func fixtureFiles(_ sources: SeedSources, folders: [String]) -> [[UInt8]] {
        var seeds: [[UInt8]] = []
        for folder in folders {
            let directory = "\(sources.shared)/fixtures/public/\(folder)"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for name in names.sorted() where name.hasSuffix(".json") {
                if let data = FileManager.default.contents(atPath: "\(directory)/\(name)") { seeds.append(Array(data)) }
            }
        }
        return seeds
    }

    /// Files the user placed in `corpus/seeds-TARGET/`.
    static func userSeeds(_ sources: SeedSources, target: String) -> [[UInt8]] {
        let directory = "\(sources.corpus)/seeds-\(target)"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.sorted().compactMap { FileManager.default.contents(atPath: "\(directory)/\($0)").map(Array.init) }
    }
}
