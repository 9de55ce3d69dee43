/// A thread that catches an execution running past its time limit, saves its input and stops.

import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Watches the execution in progress; one that runs longer than `limit` is a hang.
///
/// The runner marks the start and end of every execution; the watchdog polls. On a hang it writes
/// the input to `hangs/` in the corpus directory, prints it, and exits with ``Watchdog/hangExitCode``
/// (a hung computation cannot be cancelled from outside in Swift, so the process must go).
final class Watchdog: Sendable {
    /// The exit status that tells scripts/fuzz.sh the process stopped on a hang.
    static let hangExitCode: Int32 = 70

    private struct Running {
        var started: UInt64 = 0
        var input: [UInt8] = []
    }

    private let running = Mutex(Running())
    private let limitNanoseconds: UInt64
    private let hangDirectory: String

    /// Starts watching; `limit` is the longest one execution may take.
    init(limit: Double, hangDirectory: String) {
        limitNanoseconds = UInt64(limit * 1_000_000_000)
        self.hangDirectory = hangDirectory
        let thread = Thread { [self] in watch() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Marks the start of an execution on `input`.
    func begin(_ input: [UInt8]) {
        let now = DispatchTime.now().uptimeNanoseconds
        running.withLock {
            $0.started = now
            $0.input = input
        }
    }

    /// Marks the end of the current execution.
    func end() {
        running.withLock { $0.started = 0 }
    }

    private func watch() {
        while true {
            usleep(50_000)
            let now = DispatchTime.now().uptimeNanoseconds
            let hung: [UInt8]? = running.withLock {
                guard $0.started != 0, now > $0.started, now - $0.started > limitNanoseconds else { return nil }
                return $0.input
            }
            guard let hung else { continue }
            let name = "hang-\(FuzzReport.digest(hung))"
            let path = (hangDirectory as NSString).appendingPathComponent(name)
            try? FileManager.default.createDirectory(atPath: hangDirectory, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: path, contents: Data(hung))
            FuzzReport.note("HANG: an execution ran over the time limit; input saved to \(path)")
            FuzzReport.note("input (first 300 bytes): \(FuzzReport.preview(hung))")
            exit(Self.hangExitCode)
        }
    }
}
