/// `pathproof watch`: keeps proving, window after window, that the private path holds.

import Foundation
import KQLEngine
import TableModel

enum WatchCommand {
    static let help = """
        USAGE: pathproof watch --every DURATION [--runs N] (--workspace W | --log-analytics ID) --policy P \
        [--from T] [--archive A] [verify options except --to and --now]

        Runs 'pathproof verify --since-last' every DURATION (30s, 15m, 1h, 1d): each run proves the window
        from the archive's watermark up to now minus the settle margin, so windows never overlap and never
        leave gaps, and a killed run is repeated by the next. A change for the worse (a new violation, a
        new UNPROVEN reason, a late finding) is reported and runs --on-worse CMD. --runs N stops after N
        runs and exits with the last run's code; otherwise it runs until stopped. A runtime error is
        reported and the next run retries the window; a usage error stops watch (exit 64).
        """

    static func run(_ arguments: [String], _ environment: [String: String], _ console: Console) throws(CLIError)
        -> Int32
    {
        var verifyArguments: [String] = []
        var every: Int64?
        var runs: Int?
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--every" || argument == "--runs" {
                guard index + 1 < arguments.count else { throw .usage("option \(argument) needs a value") }
                let value = arguments[index + 1]
                if argument == "--every" {
                    every = try duration(value, option: "every")
                } else {
                    guard let count = Int(value), count > 0 else { throw .usage("--runs must be a positive number") }
                    runs = count
                }
                index += 2
                continue
            }
            verifyArguments.append(argument)
            index += 1
        }
        guard let every else { throw .usage("missing required option --every") }
        for (option, why) in [
            ("--to", "each window ends at now minus the settle margin"),
            ("--now", "it follows the clock"),
        ] where verifyArguments.contains(where: { $0 == option || $0.hasPrefix(option + "=") }) {
            throw .usage(
                "watch always runs 'verify --since-last', so \(option) cannot be given: \(why) "
                    + "(--from sets the start of the first window only)")
        }
        if !verifyArguments.contains("--since-last") { verifyArguments.append("--since-last") }
        let options = try VerifyOptions(verifyArguments, environment: environment)
        var verification = VerificationRun(options: options, environment: environment, console: console)
        var completed = 0
        var lastCode = ExitCode.success
        while true {
            let started = KQLEngine.currentTime()
            do {
                let outcome = try verification.execute(now: started)
                lastCode = outcome.exitCode
                if outcome.worse {
                    if outcome.firstOfSeries, let verdict = outcome.verdict {
                        console.note("watch: the first report of this series is \(verdict.rawValue)")
                    } else {
                        console.note("watch: the result is worse than the previous one")
                    }
                }
            } catch {
                // A usage error (no --from for a first window, a --from that would leave a gap) is the
                // same on every run: stop with it rather than repeat it for ever.
                if case .usage = error { throw error }
                // A failed run leaves the watermark where it was; the next run proves the same window.
                console.note("Error: \(error.description) (the next run will retry this window)")
                lastCode = error.exitCode
            }
            completed += 1
            verification.notesIgnoredFrom = false
            if let runs, completed >= runs { return lastCode }
            let elapsed = KQLEngine.currentTime().ticks - started.ticks
            let wait = max(0, every - elapsed)
            Thread.sleep(forTimeInterval: Double(wait) / Double(DateTime.ticksPerSecond))
        }
    }

    /// Parses `30s`, `15m`, `1h`, `1d` into ticks; `option` names the option in the error.
    static func duration(_ text: String, option: String) throws(CLIError) -> Int64 {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        guard let unit = text.last, let seconds = units[unit], let count = Int64(text.dropLast()), count > 0,
            count <= 366 * 86_400
        else {
            throw .usage("--\(option) '\(text)' is not a duration such as 30s, 15m, 1h or 1d")
        }
        return count * seconds * DateTime.ticksPerSecond
    }
}
