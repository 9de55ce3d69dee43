/// pathproof-fuzz: seeded mutation fuzzing of every reader of untrusted input (see scripts/fuzz.sh).

import Foundation

let options: FuzzOptions
do {
    options = try FuzzOptions(Array(CommandLine.arguments.dropFirst()))
} catch {
    FuzzReport.note("Error: \(error.message)\n\(FuzzOptions.usage)")
    exit(64)
}
let sources = SeedSources(shared: options.shared, corpus: options.corpus)
let makers: [String: (SeedSources) -> FuzzTarget] = [
    "kql-parse": FuzzTarget.kqlParse, "kql-eval": FuzzTarget.kqlEval, "row-decoder": FuzzTarget.rowDecoder,
    "ingest": FuzzTarget.ingest, "archive-reader": FuzzTarget.archiveReader, "json": FuzzTarget.json,
]
guard let make = makers[options.target] else {
    FuzzReport.note("Error: unknown target '\(options.target)'\n\(FuzzOptions.usage)")
    exit(64)
}
try? FileManager.default.createDirectory(atPath: options.corpus, withIntermediateDirectories: true)
let target = make(sources)
FuzzReport.note("\(target.name): \(target.summary); \(target.seeds.count) seeds, seed \(options.seed)")
let runner = FuzzRunner(target: target, options: options)
if options.replay.isEmpty {
    runner.run()
} else {
    runner.replay(options.replay)
}
