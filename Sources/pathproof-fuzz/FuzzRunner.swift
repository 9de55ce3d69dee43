/// The fuzzing loop: mutate, save the input, execute under the watchdog, count, report.

import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs one target for a number of executions and reports what happened.
struct FuzzRunner {
    let target: FuzzTarget
    let options: FuzzOptions

    /// Inputs that were accepted are kept (up to this many beyond the seeds) as material to mutate.
    private static let poolExtra = 2_000

    /// Runs `options.runs` executions: first every seed as is, then mutations.
    func run() {
        let currentPath = "\(options.corpus)/current-\(target.name).input"
        let progressPath = "\(options.corpus)/progress-\(target.name)"
        let current = open(currentPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard current >= 0 else {
            FuzzReport.note("cannot write \(currentPath): \(String(cString: strerror(errno)))")
            exit(3)
        }
        let watchdog = Watchdog(limit: options.timeout, hangDirectory: "\(options.corpus)/hangs")
        let mutator = Mutator(maxLength: target.maxLength, dictionary: target.dictionary.map { Array($0.utf8) })
        var random = SeededRandom(seed: options.seed)
        var pool = target.seeds
        var accepted = 0
        let started = Date()
        var lastProgress = started

        for execution in 0..<options.runs {
            let input: [UInt8]
            if execution < target.seeds.count && options.seed <= 1 {
                input = target.seeds[execution]
            } else {
                let base = pool[random.below(pool.count)]
                let other = pool[random.below(pool.count)]
                input = mutator.mutate(base, other: other, random: &random)
            }
            save(input, to: current)
            watchdog.begin(input)
            let ok = target.execute(input)
            watchdog.end()
            if ok {
                accepted += 1
                if pool.count < target.seeds.count + Self.poolExtra {
                    pool.append(input)
                } else if random.oneIn(4) {
                    pool[target.seeds.count + random.below(Self.poolExtra)] = input
                }
            }
            if execution % 1_000 == 999 {
                let text = "\(execution + 1)\n"
                _ = FileManager.default.createFile(atPath: progressPath, contents: Data(text.utf8))
                if Date().timeIntervalSince(lastProgress) > 30 {
                    lastProgress = Date()
                    FuzzReport.note(
                        "\(target.name): \(execution + 1) executions, \(accepted) accepted, "
                            + "peak RSS \(FuzzReport.peakRSSKilobytes()) KB")
                }
            }
        }
        close(current)
        _ = FileManager.default.createFile(atPath: progressPath, contents: Data("\(options.runs)\n".utf8))
        let seconds = Date().timeIntervalSince(started)
        print(
            "RESULT target=\(target.name) executions=\(options.runs) accepted=\(accepted) hangs=0 "
                + "peak_rss_kb=\(FuzzReport.peakRSSKilobytes()) seconds=\(String(format: "%.1f", seconds))")
    }

    /// Replays saved inputs one by one (a crash reproduces by killing the process here).
    func replay(_ paths: [String]) {
        let watchdog = Watchdog(limit: options.timeout, hangDirectory: "\(options.corpus)/hangs")
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                FuzzReport.note("cannot read \(path)")
                exit(3)
            }
            let input = Array(data)
            watchdog.begin(input)
            let ok = target.execute(input)
            watchdog.end()
            print("\(path): \(ok ? "accepted" : "refused with an error") (no crash, no hang)")
        }
    }

    /// Overwrites the reproducer file with `input`; the page cache keeps it if the process dies.
    private func save(_ input: [UInt8], to descriptor: Int32) {
        _ = input.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        _ = ftruncate(descriptor, off_t(input.count))
    }
}
