/// The command line of pathproof-fuzz.

import Foundation

/// Parsed options: `pathproof-fuzz TARGET --runs N --seed S --corpus DIR [--timeout SEC]
/// [--shared DIR] [--replay FILE]`.
struct FuzzOptions {
    var target = ""
    var runs = 10_000
    var seed: UInt64 = 1
    var corpus = "fuzz-corpus"
    var timeout = 2.0
    var shared = ProcessInfo.processInfo.environment["PATHPROOF_SHARED"] ?? "/work/shared"
    var replay: [String] = []

    static let usage = """
        USAGE: pathproof-fuzz TARGET [--runs N] [--seed S] [--corpus DIR] [--timeout SEC] [--shared DIR]
               pathproof-fuzz TARGET --replay FILE...

        Targets: kql-parse, kql-eval, row-decoder, ingest, archive-reader, json.
        Runs N mutated inputs made from the seeds (the shared corpora and fixtures under --shared, plus
        DIR/seeds-TARGET/). Before each execution the input is written to DIR/current-TARGET.input, so a
        crash leaves its reproducer; an execution longer than SEC seconds is a hang: its input goes to
        DIR/hangs/ and the process exits 70. Progress is kept in DIR/progress-TARGET. The last line on
        stdout is: RESULT target=T executions=N accepted=A hangs=H peak_rss_kb=K seconds=S.
        """

    /// Parses `arguments` (without the program name); throws a message for a usage error.
    init(_ arguments: [String]) throws(UsageError) {
        var rest = arguments[...]
        guard let first = rest.popFirst(), !first.hasPrefix("-") else { throw UsageError(message: "give a TARGET") }
        target = first
        while let option = rest.popFirst() {
            guard let value = rest.popFirst() else { throw UsageError(message: "\(option) needs a value") }
            switch option {
            case "--runs":
                guard let number = Int(value), number >= 0 else { throw UsageError(message: "bad --runs \(value)") }
                runs = number
            case "--seed":
                guard let number = UInt64(value) else { throw UsageError(message: "bad --seed \(value)") }
                seed = number
            case "--corpus": corpus = value
            case "--timeout":
                guard let number = Double(value), number > 0 else {
                    throw UsageError(message: "bad --timeout \(value)")
                }
                timeout = number
            case "--shared": shared = value
            case "--replay":
                replay.append(value)
                while let next = rest.first, !next.hasPrefix("--") { replay.append(rest.removeFirst()) }
            default: throw UsageError(message: "unknown option \(option)")
            }
        }
    }
}

/// A command-line mistake, shown with the usage text.
struct UsageError: Error {
    let message: String
}
