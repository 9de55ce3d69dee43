/// The `pathproof` command line: dispatch to the commands, usage text, and exit codes.

import Foundation

/// Runs `pathproof` with the given arguments; the executable is a thin shell over this.
public enum PathProofCLI {
    /// The one-paragraph usage shown by `--help` and after a usage error.
    public static let usage = """
        USAGE: pathproof <command> [options]

        Commands:
          verify      Prove or refute private key access from Key Vault logs (PROVEN / VIOLATED / UNPROVEN)
          watch       Repeat verify --since-last on a schedule (scheduled private-path proof)
          ingest      Read exported Key Vault logs into a SQLite workspace
          query       Run a KQL query on a workspace and print the result
          optimize    Bring a workspace's column snapshot up to date (faster queries)
          parse       Check a KQL query without running it (syntax, and what the engine implements)
          keys        Create a signing key pair (keys generate --out DIR)
          archive     Check the tamper-evident archive (archive verify), show its series (archive history)
          export      Write the auditor's signed evidence bundle; check one (export verify DIR)
          diff        New, resolved and persistent violations between two reports or checkpoints

        Run 'pathproof <command> --help' for a command's options.
        Exit codes: 0 PROVEN/success, 1 VIOLATED, 2 UNPROVEN, 3 runtime error, 64 usage error,
        65 some input refused (ingest).
        """

    /// Runs one command line and returns the process exit code.
    public static func run(arguments: [String], environment: [String: String], console: Console) -> Int32 {
        guard let name = arguments.first else {
            console.note(usage)
            return ExitCode.usage
        }
        let rest = Array(arguments.dropFirst())
        if name == "--help" || name == "-h" || name == "help" {
            // `pathproof help query` is `pathproof query --help`.
            if name == "help", let topic = rest.first {
                guard let command = commands[topic] else {
                    return fail(.usage("unknown command '\(topic)'"), help: usage, console: console)
                }
                console.print(command.help)
                return ExitCode.success
            }
            console.print(usage)
            return ExitCode.success
        }
        if name == "--version" {
            console.print("pathproof \(PathProofVersion.current)")
            return ExitCode.success
        }
        guard let command = commands[name] else {
            return fail(.usage("unknown command '\(name)'"), help: usage, console: console)
        }
        if rest.contains("--help") || rest.contains("-h") {
            console.print(command.help)
            return ExitCode.success
        }
        do {
            return try command.run(rest, environment, console)
        } catch {
            return fail(error, help: command.help, console: console)
        }
    }

    private static func fail(_ error: CLIError, help: String, console: Console) -> Int32 {
        console.note("Error: \(error.description)")
        if case .usage = error {
            let usageLine = help.split(separator: "\n").first.map(String.init) ?? ""
            console.note(usageLine)
            console.note("See 'pathproof --help'.")
        }
        return error.exitCode
    }

    struct Command: Sendable {
        let help: String
        let run: @Sendable ([String], [String: String], Console) throws(CLIError) -> Int32
    }

    static let commands: [String: Command] = [
        "verify": Command(help: VerifyCommand.help, run: VerifyCommand.run),
        "watch": Command(help: WatchCommand.help, run: WatchCommand.run),
        "ingest": Command(help: IngestCommand.help, run: IngestCommand.run),
        "query": Command(help: QueryCommand.help, run: QueryCommand.run),
        "parse": Command(help: ParseCommand.help, run: ParseCommand.run),
        "optimize": Command(help: OptimizeCommand.help, run: OptimizeCommand.run),
        "keys": Command(help: KeysCommand.help, run: KeysCommand.run),
        "archive": Command(help: ArchiveCommand.help, run: ArchiveCommand.run),
        "export": Command(help: ExportCommand.help, run: ExportCommand.run),
        "diff": Command(help: DiffCommand.help, run: DiffCommand.run),
    ]
}

/// The version of this build.
public enum PathProofVersion {
    /// Semantic version of the tool.
    public static let current = "0.1.0"
}
