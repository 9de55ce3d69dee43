/// `pathproof parse`: checks a KQL query without running it.

import Foundation
import KQLEngine

enum ParseCommand {
    static let help = """
        USAGE: pathproof parse (QUERY | --file F.kql)

        Checks the query with the embedded KQL engine without running it: its syntax, and what the
        engine would refuse whatever the tables hold (no tabular statement, an unknown or unsupported
        function, operator or plugin). Exit 0 when it passes; otherwise prints the error (line:column
        and what was expected, or the construct named) and exits 3.
        """

    static func run(_ arguments: [String], _ environment: [String: String], _ console: Console) throws(CLIError)
        -> Int32
    {
        let parsed = try Arguments(arguments, valueOptions: ["file"])
        let query = try QueryText.read(parsed)
        do {
            try KQLEngine.check(query)
        } catch {
            throw .runtime(error.description)
        }
        console.print("ok")
        return ExitCode.success
    }
}

/// Reads a query from `--file` or from the single positional argument.
enum QueryText {
    static func read(_ arguments: Arguments) throws(CLIError) -> String {
        if let file = arguments.value("file") {
            guard arguments.positionals.isEmpty else { throw .usage("give the query either inline or with --file") }
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw .runtime("cannot read the query file \(file): \(FileReadFailure.reason(file))")
            }
            return text
        }
        guard arguments.positionals.count == 1 else {
            throw .usage(arguments.positionals.isEmpty ? "missing QUERY" : "give the query as one argument (quote it)")
        }
        return arguments.positionals[0]
    }
}
